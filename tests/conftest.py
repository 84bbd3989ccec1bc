"""Shared fixtures, the hypothesis profiles and the session-wide history record check."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.history_check import unparsable_records
from tui.sandbox import Sandbox

# Property tests: reproducible in CI (derandomised: the same draws on every run, and a blob to
# replay any failure), random locally, and `HYPOTHESIS_PROFILE=explore` for a long hunt. A
# failure found by exploring becomes an explicit `@example` on its test.
settings.register_profile("local", max_examples=200, deadline=None)
settings.register_profile(
    "ci", max_examples=200, deadline=None, derandomize=True, database=None, print_blob=True
)
settings.register_profile("explore", max_examples=5_000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "local")
)


@pytest.fixture(scope="session")
def hand_broken_records() -> set[Path]:
    """Records a test truncates or garbles on purpose: add them here and the session check skips them."""
    return set()


@pytest.fixture(scope="session", autouse=True)
def _every_history_record_parses(
    tmp_path_factory: pytest.TempPathFactory, hand_broken_records: set[Path]
) -> Iterator[None]:
    """When the session ends, every record written under its temp folders (in process or by a
    `hookbench` subprocess) must parse with tomllib: the history writer only writes valid TOML."""
    yield
    problems = unparsable_records(tmp_path_factory.getbasetemp(), except_for=hand_broken_records)
    assert not problems, "history records that do not parse:\n" + "\n".join(problems)


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


@pytest.fixture(autouse=True)
def _state_in_a_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recovery copies and crash reports of each test in its own temp folder: a copy one test
    leaves must not make the next test's app ask "Recover unsaved changes?"."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))


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
