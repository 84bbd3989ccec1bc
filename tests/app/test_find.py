"""Find in a response, driven by keys: `/` on the Tree or Raw tab, Enter, n / N, Esc."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList
from textual.worker import WorkerState

from tests.app.conftest import send_and_wait
from tui.app.app import HookbenchApp
from tui.app.widgets.find_bar import FindBar
from tui.app.widgets.history_list import HistoryList
from tui.app.widgets.path_bar import PathBar
from tui.app.widgets.raw_view import RawView
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.core.paths import format_path
from tui.core.search import find_nodes
from tui.sandbox import HOSTILE


def profile_for(folder: Path, url: str) -> Path:
    path = folder / "records.toml"
    path.write_text(f'[request]\nmethod = "GET"\nurl = "{{{{base_url}}}}{url}"\n')
    return path


async def type_query(pilot, bar: FindBar, text: str) -> None:
    await pilot.press(*text)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(bar: FindBar) -> str:
    return str(bar.query_one(".find-status").render())


def listed(bar: FindBar) -> list[str]:
    options = bar.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_tree_find(pilot) -> tuple[FindBar, ResponseTree]:
    app: HookbenchApp = pilot.app
    await send_and_wait(pilot)
    await pilot.press("ctrl+t", "slash")
    bar = app.workbench.query_one("#tree-find", FindBar)
    assert bar.is_open and isinstance(app.focused, Input)
    return bar, app.workbench.query_one(ResponseTree)


async def test_find_by_value_lands_beyond_the_first_page_and_a_maps_it(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=5000"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, tree = await open_tree_find(pilot)
        await type_query(pilot, bar, "USER4321@")
        assert listed(bar) == ['records.4321.email = "user4321@example.com"']
        assert status(bar) == "1 match in 42,502 nodes"
        await pilot.press("enter")
        await pilot.pause()
        node = tree.cursor_node
        assert node is not None and node.data.path == "records.4321.email"
        assert app.focused is tree and bar.is_open
        # only the page holding item 4321 was loaded, with "… N more" nodes either side
        labels = [child.label.plain for child in node.parent.parent.children]
        assert len(labels) == 402
        assert labels[200].startswith("… 4000 more") and labels[-1].startswith("… 600 more")
        assert (
            tree.scroll_offset.y <= node.line < tree.scroll_offset.y + tree.scrollable_content_region.height
        )
        assert app.workbench.query_one(PathBar).path == "records.4321.email"
        await pilot.press("a", "c")
        await pilot.pause()
        panel = app.workbench.query_one(SetVariablesPanel)
        assert [row.name for row in panel.rows] == ["records.4321.email"]
        assert app.clipboard == "records.4321.email"
        # the gap before the page still loads page by page
        tree.select_node(node.parent.parent.children[200])
        await pilot.pause()
        assert node.parent.parent.children[200].data.path == "records.200"
        assert node.parent.parent.children[400].label.plain.startswith("… 3800 more")


async def test_find_by_key_and_by_pattern_then_n_and_shift_n_wrap(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=5000"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, tree = await open_tree_find(pilot)
        await type_query(pilot, bar, "points")
        assert status(bar) == "5,000 matches in 42,502 nodes"
        assert len(listed(bar)) == 200  # the list stops at 200; n / N walk all of them
        assert listed(bar)[0].startswith("records.0.points = ")
        await pilot.press("ctrl+a", "ctrl+k")  # clear the query
        await type_query(pilot, bar, "records.499*.id")
        expected = ["records.499.id"] + [f"records.{i}.id" for i in range(4990, 5000)]
        assert [path for path, _ in bar.matches] == expected
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.499.id" and app.focused is tree
        await pilot.press("N")  # wraps back to the last
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.4999.id"
        assert status(bar).startswith("11 of 11")
        await pilot.press("n")  # and forward to the first
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.499.id"
        await pilot.press("n")
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.4990.id"
        assert app.workbench.query_one(PathBar).path == "records.4990.id"
        await pilot.press("y")
        assert app.clipboard == "rec_4990"


async def test_enter_on_a_listed_match_and_escape_back_to_the_tree(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=300"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, tree = await open_tree_find(pilot)
        await type_query(pilot, bar, "grace")
        assert len(bar.matches) == 60
        await pilot.press("down", "down", "down", "enter")  # to the list, third match
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.11.name" and app.focused is tree
        await pilot.press("slash")  # back in the query, still there
        assert isinstance(app.focused, Input) and bar.query_text == "grace"
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open and app.focused is tree
        assert tree.cursor_node.data.path == "records.11.name"
        # with the bar closed, n is not find's and Esc is the screen's again
        await pilot.press("n")
        assert tree.cursor_node.data.path == "records.11.name"


async def test_further_typing_cancels_the_search_under_way(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=30000"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, _ = await open_tree_find(pilot)
        query = app.focused
        assert isinstance(query, Input)
        started = []  # every search worker the bar starts (a spy: the real method runs)
        search = bar._search
        monkeypatch.setattr(bar, "_search", lambda *args: started.append(search(*args)) or started[-1])
        # Pilot's press waits until the process is idle, i.e. until a search is over; a person
        # does not: the next keystrokes reach the box while the search still runs.
        query.insert_text_at_cursor("x")  # matches every e-mail: 30,000 matches to walk to
        for _ in range(3000):
            await pilot.pause(0.01)
            if bar.match_count:  # the first match is in: the search is under way
                break
        query.insert_text_at_cursor("y")  # nothing matches "xy" (nor "xyz")
        query.insert_text_at_cursor("z")
        for _ in range(3000):
            await pilot.pause(0.01)
            if not bar.searching:
                break
        # The bar hears "done" from inside the worker, just before its function returns: give
        # the thread the moment it needs to reach its final state.
        for _ in range(500):
            if started[-1].state != WorkerState.RUNNING:
                break
            await pilot.pause(0.01)
        states = [w.state for w in started]
        assert states[0] == WorkerState.CANCELLED and started[1].is_cancelled, states
        assert states[2] == WorkerState.SUCCESS and len(started) == 3, states
        assert bar.query_text == "xyz" and bar.matches == []
        assert status(bar) == "no match in 255,002 nodes"
        await pilot.press("backspace", "backspace", "backspace")
        await type_query(pilot, bar, "user2999")
        body = app.workbench.result.body.data
        assert bar.matches == list(find_nodes(body, "user2999"))
        assert [path for path, _ in bar.matches] == [
            "records.2999.email",
            *(f"records.{i}.email" for i in range(29990, 30000)),
        ]


async def test_raw_find_highlights_visible_lines_and_walks_matches(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=300"))
    async with app.run_test(size=(100, 30)) as pilot:
        await send_and_wait(pilot)
        await pilot.press("ctrl+t", "f4")  # Tree → Raw
        await app.workers.wait_for_complete()
        await pilot.pause()
        raw = app.workbench.query_one(RawView)
        await pilot.press("slash")
        bar = app.workbench.query_one("#raw-find", FindBar)
        assert bar.is_open
        await type_query(pilot, bar, "USER25")
        lines = raw.lines
        expected = [(i, lines[i].lower().index("user25")) for i, line in enumerate(lines) if "user25" in line]
        assert bar.matches == expected and len(expected) == 11
        assert status(bar) == f"11 matches in {len(lines):,} lines"
        await pilot.press("enter")
        await pilot.pause()
        line, column = expected[0]
        assert app.focused is raw
        top = int(raw.scroll_offset.y)
        assert top <= line < top + raw.scrollable_content_region.height
        strip = raw.render_line(line - top)
        marked = [
            seg.text for seg in strip if seg.style and seg.style.bgcolor is not None and seg.text.strip()
        ]
        assert "user25" in "".join(marked)
        await pilot.press("N")
        await pilot.pause()
        assert bar.current == 10
        top = int(raw.scroll_offset.y)
        assert top <= expected[10][0] < top + raw.scrollable_content_region.height
        await pilot.press("escape")
        assert not bar.is_open and app.focused is raw


async def test_xml_paths_are_those_the_tree_shows(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=500&format=xml"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, tree = await open_tree_find(pilot)
        await type_query(pilot, bar, "user321@")
        assert [path for path, _ in bar.matches] == ["records.record.321.email"]
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node.data.path == "records.record.321.email"
        await pilot.press("ctrl+a", "ctrl+k")
        await pilot.press("slash")
        await type_query(pilot, bar, "record.32*.@id")
        assert [path for path, value in bar.matches] == [
            "records.record.32.@id",
            *(f"records.record.{i}.@id" for i in range(320, 330)),
        ]
        await pilot.press("enter")
        await pilot.pause()
        assert app.workbench.query_one(PathBar).path == "records.record.32.@id"


async def test_slash_in_the_history_pane_is_still_its_filter(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/records?n=10"))
    async with app.run_test(size=(120, 30)) as pilot:
        await send_and_wait(pilot)
        history = app.workbench.query_one(HistoryList)
        history.query_one(OptionList).focus()
        await pilot.press("slash")
        assert app.focused is history.query_one("#history-filter")
        assert not app.workbench.query_one("#tree-find", FindBar).is_open


async def test_matches_with_control_characters_are_listed_inert(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, profile_for(tmp_path, "/fault/escapes?type=json"))
    async with app.run_test(size=(100, 30)) as pilot:
        bar, tree = await open_tree_find(pilot)
        await type_query(pilot, bar, "pwned")  # in a key and in a value
        assert [path for path, _ in bar.matches] == [format_path([HOSTILE]), "nested.value"]
        rows = listed(bar)
        assert all(not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in row) for row in rows), rows
        assert rows[0].startswith('"\\u001b]52;c;') and rows[0].endswith(' = "a key that is hostile"')
        await pilot.press("enter")
        await pilot.pause()
        assert tree.cursor_node.data.path == format_path([HOSTILE])
        await pilot.press("c")
        assert app.clipboard == format_path([HOSTILE])  # the real path is copied
