"""What makes the screen answer a key at once: the footer repaints one line instead of a widget
per key, the tab underline jumps instead of sliding, and bulk work in a thread pauses briefly
after each key (benchmarks/keys_bench.py prints the figures; no test asserts on time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import constants
from textual.widgets import TabbedContent
from textual.widgets._tabs import Underline

import tui.core.bulk as bulk
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.response_tree import ResponseTree


def _profile(folder: Path) -> Path:
    path = folder / "records.toml"
    path.write_text('[request]\nmethod = "GET"\nurl = "{{base_url}}/records?n=3"\n')
    return path


async def test_the_footer_shows_the_keys_of_the_focused_widget(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, _profile(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        footer = app.workbench.query_one(KeyFooter)
        await pilot.press("ctrl+t")  # the tree: its own keys come first
        assert app.workbench.focused is app.workbench.query_one(ResponseTree)
        assert footer.keys[:3] == ("a", "c", "y")
        line = str(footer.render())
        assert line.startswith(" a Add as variable  c Copy path  y Copy value ")
        assert "^r Send" in line and line.rstrip().endswith("▏^p palette")
        await pilot.press("ctrl+l")  # the URL: no tree keys
        assert "a" not in footer.keys and "ctrl+r" in footer.keys
        assert "Add as variable" not in str(footer.render())


async def test_a_click_on_a_footer_key_presses_it(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, _profile(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        footer = app.workbench.query_one(KeyFooter)
        sidebar = app.workbench.query_one("#sidebar")
        assert sidebar.display
        column = str(footer.render()).index("^b Profiles")
        await pilot.click(KeyFooter, offset=(column + 1, 0))
        await pilot.pause()
        assert not sidebar.display
        await pilot.click(KeyFooter, offset=(str(footer.render()).index("^b Profiles") + 1, 0))
        await pilot.pause()
        assert sidebar.display


@pytest.mark.parametrize("width", [80, 60])
async def test_a_narrow_footer_clicks_only_the_keys_it_shows(make_app, tmp_path: Path, width: int) -> None:
    """Keys cut off by the "…" cannot be clicked, and the palette's key opens the palette
    (it used to press the hidden key under it: ctrl+q quit the app at 80 columns)."""
    app = make_app(tmp_path, _profile(tmp_path))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("ctrl+l")
        footer = app.workbench.query_one(KeyFooter)
        line = str(footer.render())
        assert "…" in line and "^q" not in line
        await pilot.click(KeyFooter, offset=(line.index("…"), 0))  # where a hidden key began
        await pilot.pause()
        assert app.is_running and len(app.screen_stack) == 1
        await pilot.click(KeyFooter, offset=(line.index("palette") + 1, 0))
        await pilot.pause()
        assert app.is_running
        assert type(app.screen).__name__ == "CommandPalette"


async def test_the_tab_underline_jumps_to_the_new_tab(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, _profile(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        tabs = app.workbench.query_one("#response-tabs", TabbedContent)
        underline = tabs.query_one(Underline)
        await pilot.pause()
        app.simulate_key("f4")
        for _ in range(200):
            await pilot.pause(0.01)
            assert not app.animator.is_being_animated(underline, "highlight_start")
            tab = tabs.get_tab(tabs.active)
            if tabs.active == "tab-raw" and underline.highlight_start == tab.virtual_region.x + 1:
                break
        else:
            pytest.fail(f"the underline did not reach the Raw tab: {underline.highlight_start}")


def test_animations_stay_on_when_asked_for(make_app, tmp_path: Path, monkeypatch) -> None:
    assert make_app(tmp_path).animation_level == "none"
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    assert make_app(tmp_path).animation_level == constants.TEXTUAL_ANIMATIONS


class _Clock:
    """Stands in for `time` in `tui.core.bulk`: time stands still unless slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_key_makes_bulk_work_give_way(make_app, tmp_path: Path, monkeypatch) -> None:
    clock = _Clock()
    monkeypatch.setattr(bulk, "time", clock)
    monkeypatch.setattr(bulk, "_input_at", float("-inf"))
    monkeypatch.setattr(bulk, "_resumed_at", float("-inf"))
    app = make_app(tmp_path, _profile(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        clock.now += 1  # long after start-up (its resize is an input too)
        bulk.give_way()
        assert clock.slept == []  # no key since: the work goes on
        await pilot.press("f4")
        bulk.give_way()
        assert clock.slept == pytest.approx([bulk.GIVE_WAY])
        await pilot.press("f4")
        bulk.give_way()  # it has just paused: it works GIVE_WAY seconds before the next pause
        assert clock.slept == pytest.approx([bulk.GIVE_WAY])
        clock.now += 1  # it has worked long enough since
        await pilot.press("f4")
        bulk.give_way()
        assert clock.slept == pytest.approx([bulk.GIVE_WAY, bulk.GIVE_WAY])
