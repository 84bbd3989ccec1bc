"""f6 and f7 on a real terminal: the workbench lets go of it for the program and takes it back.

`run_test` cannot suspend an app, so the Pilot tests in test_external.py never see the terminal
handed over. Here `hookbench open` runs on a pseudo-terminal with a missing, a failing or an
interrupted `$PAGER` / `$EDITOR`; the test reads the bytes the terminal gets and checks that the
app took the terminal back (the escape that re-enters the alternate screen), drew the
notification, still answers keys (f1 opens the help) and quits with its normal exit.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import PROFILES
from tests.app.test_terminal_bytes import CTRL_Q, CTRL_R, TIMEOUT, Terminal, workbenches
from tui.sandbox import Sandbox

F1, F6, F7 = b"\x1bOP", b"\x1b[17~", b"\x1b[18~"
ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN = b"\x1b[?1049h", b"\x1b[?1049l"
HELP_SHOWN = b"send the request"  # the help's first key (ctrl+r); the workbench has no such line


@pytest.fixture
def folder(tmp_path: Path, isolated_history: Path) -> Path:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for name in ("users.toml", "subscriber-create.toml"):
        shutil.copy(PROFILES / name, profiles)
    return profiles


@pytest.fixture
def open_app(folder: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    def start(profile: str, **programs: str) -> Terminal:
        monkeypatch.delenv("VISUAL", raising=False)
        for name, value in programs.items():
            monkeypatch.setenv(name, value)  # the terminal's process gets this environment
        return start_workbench(
            ["open", str(folder / profile), "--var", f"base_url={sandbox.base_url}"], folder
        )

    with workbenches() as start_workbench:
        yield start


def script(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def send(terminal: Terminal) -> None:
    terminal.wait_for(b"200 OK", terminal.press(CTRL_R))


def wait_for_sequence(terminal: Terminal, sequence: bytes, since: int) -> None:
    """Read until the app writes `sequence` (an escape: `Terminal.wait_for` sees text only)."""
    deadline = time.monotonic() + TIMEOUT
    while sequence not in terminal.output[since:]:
        assert time.monotonic() < deadline and terminal._read(0.2), f"{sequence!r} never written"


def assert_alive(terminal: Terminal, since: int) -> None:
    """The app draws again, answers a key and quits with its normal exit, leaving the alt screen."""
    if LEAVE_ALT_SCREEN in terminal.output[since:]:  # the program ran: the app takes the screen back
        wait_for_sequence(terminal, ENTER_ALT_SCREEN, terminal.output.index(LEAVE_ALT_SCREEN, since))
    terminal.wait_for(HELP_SHOWN, terminal.press(F1))
    quit_at = terminal.press(b"\x1b" + CTRL_Q)  # Esc closes the help, ctrl+q quits
    deadline = time.monotonic() + TIMEOUT
    while terminal.process.poll() is None:
        assert time.monotonic() < deadline, "the app did not quit"
        terminal._read(0.1)
    while terminal._read(0.1):  # what it wrote last
        pass
    assert terminal.process.returncode == 0
    assert LEAVE_ALT_SCREEN in terminal.output[quit_at:]


@pytest.mark.parametrize(
    ("variable", "profile", "key"),
    [("PAGER", "users.toml", F6), ("EDITOR", "subscriber-create.toml", F7)],
    ids=["pager", "editor"],
)
@pytest.mark.parametrize(
    ("program", "shown"),
    [("false", b"'false' exited with status 1"), ("/nonexistent/program", b"was not found")],
    ids=["failing", "missing"],
)
def test_a_missing_or_failing_program_leaves_the_app_working(
    open_app, variable: str, profile: str, key: bytes, program: str, shown: bytes
) -> None:
    terminal = open_app(profile, **{variable: program})
    if variable == "PAGER":
        send(terminal)  # a response to page
    pressed = terminal.press(key)
    terminal.wait_for(shown, pressed)
    gave_up_the_screen = LEAVE_ALT_SCREEN in terminal.output[pressed:]
    assert gave_up_the_screen == (program == "false")  # never for a program that is not there
    assert_alive(terminal, pressed)


def test_ctrl_c_in_the_pager_is_the_pagers(open_app, tmp_path: Path) -> None:
    """ctrl+c in `less` stops a search; the terminal signals its whole foreground group, app too."""
    pager = script(
        tmp_path, "pager", "trap 'echo interrupted; exit 0' INT\necho paging\nwhile :; do sleep 0.1; done\n"
    )
    terminal = open_app("users.toml", PAGER=pager)
    send(terminal)
    pressed = terminal.press(F6)
    terminal.wait_for(b"paging", pressed)
    os.killpg(terminal.process.pid, signal.SIGINT)  # what the terminal does on ctrl+c
    terminal.wait_for(b"interrupted", pressed)
    assert_alive(terminal, pressed)
