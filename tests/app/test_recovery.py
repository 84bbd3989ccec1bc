"""Nothing lost when the session dies: recovery copies of unsaved edits, and the crash safety net.

Pilot tests edit, save and quit as a person would and watch the state folder; the signal tests
run `hookbench open` as a process on a pseudo-terminal, type into the URL, and then drop the
"SSH link" (SIGHUP) or kill the process (SIGKILL).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from tests.app.conftest import PROFILES
from tests.app.test_terminal_bytes import Terminal
from tui.core.recovery import RecoveryStore

URL = "{{base_url}}/users"
WAIT = 60.0  # seconds: generous, the machine may be busy


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(PROFILES / "users.toml", profiles)
    return profiles


async def until(pilot, condition: Callable[[], object], timeout: float = WAIT) -> None:
    """Let the app run until `condition` holds (a copy is written within about a second)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def copies(folder: Path) -> list[Path]:
    return [copy.path for copy in RecoveryStore(folder).all()]


def copied_url(folder: Path) -> str | None:
    copy = RecoveryStore(folder).for_profile(folder / "users.toml")
    return copy.load().request.url if copy is not None else None


async def type_into_url(pilot, text: str) -> None:
    pilot.app.workbench.query_one("#url", Input).focus()
    await pilot.press("end", *text)


async def test_an_edit_is_copied_within_a_second_and_the_copy_goes_on_save(make_app, folder: Path) -> None:
    app = make_app(folder, folder / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert copies(folder) == []
        await type_into_url(pilot, "?edited=1")
        typed = time.monotonic()
        await until(pilot, lambda: copied_url(folder) == URL + "?edited=1")
        print(f"copy up to date {time.monotonic() - typed:.2f} s after the last key")
        copy = RecoveryStore(folder).for_profile(folder / "users.toml")
        assert copy is not None
        assert stat.S_IMODE(copy.path.stat().st_mode) == 0o600
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not copies(folder))
    assert "?edited=1" in (folder / "users.toml").read_text()


async def test_quit_without_saving_deletes_the_copy(make_app, folder: Path) -> None:
    app = make_app(folder, folder / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into_url(pilot, "?gone=1")
        await until(pilot, lambda: copies(folder))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: type(app.screen).__name__ == "UnsavedChanges")
        await pilot.click("#unsaved-proceed")
        await until(pilot, lambda: not app.is_running)
    assert copies(folder) == []
    assert "?gone=1" not in (folder / "users.toml").read_text()


async def test_reopening_offers_recover_focused_and_recover_restores_the_edit(make_app, folder: Path) -> None:
    first = make_app(folder, folder / "users.toml")
    async with first.run_test(size=(120, 40)) as pilot:
        await type_into_url(pilot, "?kept=1")
        await until(pilot, lambda: copied_url(folder) == URL + "?kept=1")
    # the session ended without a save (as after SIGHUP): the copy is there
    second = make_app(folder, folder / "users.toml")
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: type(second.screen).__name__ == "RecoverPrompt")
        labels = " ".join(str(label.render()) for label in second.screen.query("Label"))
        assert "Recover unsaved changes from" in labels
        await until(pilot, lambda: second.focused is not None)
        assert isinstance(second.focused, Button) and second.focused.id == "recover-yes"
        await pilot.press("enter")  # Recover is the default
        url = second.workbench.query_one("#url", Input)
        await until(pilot, lambda: url.value == URL + "?kept=1")
        assert second.workbench.dirty  # recovered edits are unsaved edits, kept as such
        assert "unsaved" in str(second.sub_title)
    assert "?kept=1" not in (folder / "users.toml").read_text()


async def test_discard_deletes_the_copy(make_app, folder: Path) -> None:
    first = make_app(folder, folder / "users.toml")
    async with first.run_test(size=(120, 40)) as pilot:
        await type_into_url(pilot, "?dropped=1")
        await until(pilot, lambda: copies(folder))
    second = make_app(folder, folder / "users.toml")
    async with second.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: type(second.screen).__name__ == "RecoverPrompt")
        await until(pilot, lambda: second.focused is not None)  # laid out
        await pilot.click("#recover-no")
        await until(pilot, lambda: second.screen is second.workbench)
        assert copies(folder) == []
        assert second.workbench.query_one("#url", Input).value == URL
        assert not second.workbench.dirty


async def test_a_never_saved_module_is_offered_from_the_profiles_pane(make_app, folder: Path) -> None:
    first = make_app(folder)  # a new module, never saved
    async with first.run_test(size=(120, 40)) as pilot:
        url = first.workbench.query_one("#url", Input)
        url.value = ""
        await pilot.press(*"{{base_url}}/brand-new")
        store = RecoveryStore(folder)
        await until(pilot, lambda: [c.load().request.url for c in store.all()] == ["{{base_url}}/brand-new"])
    second = make_app(folder)
    async with second.run_test(size=(120, 40)) as pilot:
        # the folder's newest copy is offered at start; decide later
        await until(pilot, lambda: type(second.screen).__name__ == "RecoverPrompt")
        await pilot.press("escape")
        await until(pilot, lambda: second.screen is second.workbench)
        profiles = second.workbench.query_one("#profile-list")
        entries = [str(profiles.get_option_at_index(i).prompt) for i in range(profiles.option_count)]
        unsaved = [i for i, entry in enumerate(entries) if entry.startswith("● unsaved")]
        assert len(unsaved) == 1, entries
        profiles.focus()
        profiles.highlighted = unsaved[0]
        await pilot.press("enter")
        await until(pilot, lambda: type(second.screen).__name__ == "RecoverPrompt")
        await pilot.press("enter")
        url = second.workbench.query_one("#url", Input)
        await until(pilot, lambda: url.value == "{{base_url}}/brand-new")
        assert second.workbench.profile is None and second.workbench.dirty
        # carried on as this session's copy: still exactly one
        await until(pilot, lambda: len(copies(folder)) == 1 and second.workbench.recovery.written)


async def test_an_exception_reaching_the_app_leaves_a_report_and_the_copy(make_app, folder: Path) -> None:
    app = make_app(folder, folder / "users.toml")
    secret = "tok-not-for-the-report"
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(120, 40)) as pilot:
            await type_into_url(pilot, "?crash=1")
            app.workbench.query_one("#url", Input).value += f"&token={secret}"
            await pilot.pause()
            app.workbench.call_later(lambda: 1 / 0)  # a bug in a handler
            await until(pilot, lambda: not app.is_running)
    state = Path(os.environ["XDG_STATE_HOME"]) / "hookbench"
    (report,) = (state / "crashes").glob("crash-*.txt")
    text = report.read_text()
    assert "ZeroDivisionError" in text and "textual" in text and "last inputs" in text
    assert "key end" in text
    copy = RecoveryStore(folder).for_profile(folder / "users.toml")
    assert copy is not None and "?crash=1" in copy.load().request.url  # as typed, secrets too
    assert secret not in text  # masked in the report
    said = app.exit_message or ""  # one line, printed once the terminal is restored
    assert len(said.splitlines()) == 1 and "Traceback" not in said
    assert str(report) in said and str(copy.path) in said


# --- the process dies: a dropped SSH link, a kill -9 -------------------------------------------


def run_on_a_terminal(folder: Path, tmp_path: Path) -> Terminal:
    """`hookbench open users.toml` on a pseudo-terminal; its URL has focus once drawn."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path / "xdg-state")  # the autouse fixture restores it
    terminal = Terminal(["open", str(folder / "users.toml")], cwd=tmp_path)
    terminal.wait_for(b"Send")
    return terminal


def wait_for_exit(terminal: Terminal) -> int:
    """Its exit code; the terminal is read meanwhile (a full pty would block the app's last writes)."""
    deadline = time.monotonic() + WAIT
    while terminal.process.poll() is None:
        assert time.monotonic() < deadline, "hookbench did not exit"
        terminal._read(0.1)
    return terminal.process.returncode


def wait_for_copy(folder: Path, ending: str) -> Path:
    deadline = time.monotonic() + WAIT
    while not (copied_url(folder) or "").endswith(ending):
        assert time.monotonic() < deadline, "no recovery copy written"
        time.sleep(0.1)
    return copies(folder)[0]


@pytest.mark.parametrize("how", [signal.SIGHUP, signal.SIGTERM, signal.SIGKILL])
def test_the_copy_survives_the_process(folder: Path, tmp_path: Path, how: signal.Signals) -> None:
    terminal = run_on_a_terminal(folder, tmp_path)
    try:
        terminal.press(b"?dropped=1")
        copy = wait_for_copy(folder, "?dropped=1")
        os.kill(terminal.process.pid, how)
        code = wait_for_exit(terminal)
        if how != signal.SIGKILL:  # an orderly exit: the terminal restored by the app itself
            assert code == 128 + how, code
            assert b"\x1b[?1049l" in bytes(terminal.output)  # alternate screen left
    finally:
        terminal.close()
    found = RecoveryStore(folder).for_profile(folder / "users.toml")
    assert found is not None and found.path == copy
    assert found.load().request.url.endswith("?dropped=1")
    assert "?dropped=1" not in (folder / "users.toml").read_text()
