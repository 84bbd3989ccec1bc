"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tui.sandbox import Sandbox


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
