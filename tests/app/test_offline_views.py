"""Map against a recorded response, and the Diff tab, driven through Pilot against the sandbox."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import OptionList, TabbedContent

from tests.app.conftest import PROFILES, click_node, find_node, send_and_wait
from tui.app.widgets.diff_view import DiffView
from tui.app.widgets.history_list import HistoryList
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.app.widgets.status_line import StatusLine
from tui.sandbox import Sandbox


@pytest.fixture(autouse=True)
def _sandbox_back_to_normal(sandbox: Sandbox) -> Iterator[None]:
    """These tests empty the sandbox or switch drift on: later tests must not see that."""
    yield
    sandbox.reset()


def status_text(app) -> str:
    return str(app.workbench.query_one(StatusLine).render())


async def settle(pilot: Pilot) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def highlight_newest_record(pilot: Pilot) -> HistoryList:
    history = pilot.app.workbench.query_one(HistoryList)
    history.refresh_records()
    await settle(pilot)
    options = history.query_one("#history-options", OptionList)
    options.focus()
    options.highlighted = 0
    await pilot.pause()
    return history


async def test_map_against_a_record_shows_it_unsent_and_maps_the_current_module(
    make_app, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    shutil.copy(PROFILES / "subscriber-lookup.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "subscriber-lookup.toml")
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        history = await highlight_newest_record(pilot)
        assert len(history.records) == 1
        recorded_id = history.records[0].id
        fresh_sandbox.state.subscribers.clear()  # the API no longer has Ada: only the record does

        await pilot.press("m")
        await settle(pilot)
        assert "recorded " in status_text(app) and ", not sent" in status_text(app)
        assert "200 OK" in status_text(app) and "SUCCESS" in status_text(app)
        history.refresh_records()
        await settle(pilot)
        assert [r.id for r in history.records] == [recorded_id]  # nothing sent, nothing recorded

        workbench = app.workbench
        assert workbench.profile is not None and workbench.profile.path.stem == "subscriber-lookup"
        panel = workbench.query_one(SetVariablesPanel)
        assert panel.value_text(0) == '"sub_1"'  # the module's rows, judged against the record
        tree = workbench.query_one(ResponseTree)
        for path in ("subscribers", "subscribers.0", "subscribers.0.phone"):
            await click_node(pilot, tree, find_node(tree, path))
        await pilot.click("#path-add")
        await settle(pilot)
        assert panel.rows[-1].name == "subscribers.0.phone"
        assert panel.value_text(len(panel.rows) - 1) == '"+44 20 7946 0018"'
        assert workbench.dirty  # the row went into the current module
        assert ", not sent" in status_text(app)  # still the recorded response after the edit


async def test_map_against_from_the_palette_and_a_record_without_body(
    make_app, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    users = tmp_path / "users.toml"
    shutil.copy(PROFILES / "users.toml", users)
    app = make_app(tmp_path, users)
    async with app.run_test(size=(140, 44)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Map against this", "enter")
        await settle(pilot)
        assert any("Highlight a record in the History pane" in n.message for n in app._notifications)

        await send_and_wait(pilot)
        await highlight_newest_record(pilot)
        app.workbench.query_one("#url").focus()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Map against this", "enter")
        await settle(pilot)
        assert ", not sent" in status_text(app)
        assert app.workbench.query_one(SetVariablesPanel).value_text(0) == '"Ms"'

    quiet = tmp_path / "quiet"
    quiet.mkdir()
    text = (
        (PROFILES / "users.toml").read_text().replace("log_response_body = true", "log_response_body = false")
    )
    (quiet / "users.toml").write_text(text)
    app = make_app(quiet, quiet / "users.toml")
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        await highlight_newest_record(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert any("log_response_body was off" in n.message for n in app._notifications)
        assert ", not sent" not in status_text(app)


def styled_lines(text: Text) -> list[tuple[str, str]]:
    """(line, style of its first span) for each line of a diff."""
    lines = []
    for line in text.split("\n"):
        style = str(line.spans[0].style) if line.spans else str(line.style)
        lines.append((line.plain, style))
    return lines


async def test_diff_tab_colours_what_changed_since_the_previous_response(
    make_app, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        await settle(pilot)
        tabs = app.workbench.query_one("#response-tabs", TabbedContent)
        while tabs.active != "tab-diff":  # f4 cycles the response tabs, as a person would
            await pilot.press("f4")
            await pilot.pause()
        await settle(pilot)
        view = app.workbench.query_one(DiffView)
        assert "no earlier response of users" in view.shown.plain

        fresh_sandbox.state.drift = True
        await send_and_wait(pilot)
        await settle(pilot)
        lines = styled_lines(view.shown)
        assert lines[0][0].startswith("against ")
        assert ("+ users.*.salutation  string", "green") in lines
        assert ("+ page  object", "green") in lines
        assert ("- users.*.title  string", "red") in lines
        assert ("~ users.*.id  number → string", "yellow") in lines
        broken = [(plain, style) for plain, style in lines if plain.startswith("✗ ")]
        assert broken and broken[0][0].startswith("✗ users.0.title → {{title}}")
        assert broken[0][1] == "bold red"

        fresh_sandbox.state.drift = False
        await send_and_wait(pilot)
        await settle(pilot)
        lines = styled_lines(view.shown)
        assert ("- users.*.salutation  string", "red") in lines  # now against the drifted one
        assert not any(plain.startswith("✗ ") for plain, _ in lines)  # title resolves again
