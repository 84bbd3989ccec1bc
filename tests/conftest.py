"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.sandbox import Sandbox


@pytest.fixture(scope="session", autouse=True)
def _history_in_a_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test, and no `hookbench` subprocess a test starts, writes history into the real home."""
    previous = os.environ.get("HOOKBENCH_HISTORY_DIR")
    os.environ["HOOKBENCH_HISTORY_DIR"] = str(tmp_path_factory.mktemp("history"))
    yield
    if previous is None:
        os.environ.pop("HOOKBENCH_HISTORY_DIR", None)
    else:
        os.environ["HOOKBENCH_HISTORY_DIR"] = previous


@pytest.fixture
def isolated_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """History and XDG state in this test's temp folder (subprocesses inherit it)."""
    root = tmp_path / "history-root"
    monkeypatch.setenv("HOOKBENCH_HISTORY_DIR", str(root))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("HOOKBENCH_HISTORY_KEEP", raising=False)
    return root


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One demo API on an ephemeral loopback port for the whole session."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def fresh_sandbox(sandbox: Sandbox) -> Sandbox:
    """The session sandbox with its data back in the initial state."""
    sandbox.reset()
    return sandbox
