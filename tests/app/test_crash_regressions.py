"""Each crash that random input found, replayed with the shortest input that shows it.

The inputs go in as a terminal delivers them (`Terminal`: no wait between events), because
most of these crashes need a second event to arrive before the first one is handled. Each
test names the upstream bug it guards against (see `tui/app/upstream.py`), or says the bug
was hookbench's own.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Button, Static

from tests.app.conftest import PROFILES, send_and_wait
from tests.app.terminal import Terminal, mouse_event
from tui.app.dialogs import TextPrompt, UnsavedChanges
from tui.app.help_screen import HelpScreen
from tui.app.widgets.lazy_parts import part
from tui.app.widgets.placeholders import PlaceholderRow, PlaceholdersPanel
from tui.app.widgets.profile_list import ProfileList
from tui.app.widgets.response_tree import ResponseTree


def copy_profiles(folder: Path, *names: str) -> Path:
    for name in names:
        shutil.copy(PROFILES / name, folder)
    return folder / names[0]


async def test_double_click_outside_the_palette(make_app, tmp_path: Path) -> None:
    """Upstream bug 1: the palette's second click dismissed the workbench (ScreenStackError)."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert len(app.screen_stack) == 2
        Terminal(app).click(1, 1, times=2)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.workbench  # the palette closed once; the workbench stays
        await pilot.press("ctrl+p")  # and the palette still opens
        await pilot.pause()
        assert len(app.screen_stack) == 2


async def test_help_closed_twice_at_once(make_app, tmp_path: Path) -> None:
    """Upstream bug 1, in our help screen: Close (Enter) and f1 arrive together."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        app.screen.query_one("#help-close", Button).focus()  # not by tab: the Markdown may still be rendering
        await pilot.pause()
        assert isinstance(app.focused, Button) and app.focused.id == "help-close"
        terminal = Terminal(app)
        terminal.key("enter")
        await asyncio.sleep(0)
        terminal.key("f1")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.workbench
        assert len(app.screen_stack) == 1


async def test_press_on_a_screen_being_removed(make_app, tmp_path: Path) -> None:
    """Upstream bug 2: a press forwarded to the closing help screen hit a detached widget."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        help_screen = app.screen
        on_text: list[tuple[int, int]] = []
        for _ in range(100):  # the Markdown renders after the screen (late on a loaded machine)
            on_text = [
                (x, y)
                for y in range(24)
                for x in range(80)
                if help_screen.get_widget_and_offset_at(x, y)[1] is not None
            ]
            if on_text:
                break
            await pilot.pause(0.05)
        x, y = on_text[0]
        under, _ = help_screen.get_widget_and_offset_at(x, y)
        assert under is not None
        help_screen.dismiss()
        for _ in range(500):  # until the help's widgets are detached, as during its removal
            if under.parent is None:
                break
            await asyncio.sleep(0)
        assert under.parent is None
        help_screen._forward_event(mouse_event(events.MouseDown, x, y))  # as App.on_event does
        await pilot.pause()
        assert app.screen is app.workbench


async def test_page_down_in_a_method_select_being_opened(make_app, tmp_path: Path) -> None:
    """Upstream bug 3: PageDown reached the method select's overlay before it had a height."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.workbench.query_one("#method").focus()
        await pilot.pause()
        terminal = Terminal(app)
        for key in ("enter", "tab", "pagedown"):
            terminal.key(key)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.workbench


async def test_click_on_an_option_replaced_by_fewer(make_app, tmp_path: Path) -> None:
    """Upstream bug 4: a click on the third profile reached the list after it shrank to one.

    The screen gives a click the style (and option number) under the mouse when it forwards
    it; the list handles it later. Here the list is reloaded in between, as a save does.
    """
    start = copy_profiles(tmp_path, "users.toml", "soap-lookup.toml", "subscriber-lookup.toml")
    app = make_app(tmp_path, start)
    async with app.run_test(size=(120, 30)) as pilot:
        profiles = app.workbench.query_one(ProfileList)
        await pilot.pause()
        assert profiles.option_count == 3
        region = profiles.content_region
        x, y = region.x + 2, region.y + 2  # the third option
        click = mouse_event(events.Click, x - region.x, y - region.y)
        click.style = app.screen.get_style_at(x, y)  # what Screen._forward_event does
        assert click.style.meta.get("option") == 2
        profiles.post_message(click)
        for name in ("subscriber-lookup.toml", "users.toml"):
            (tmp_path / name).unlink()
        profiles.reload()  # before the list handles the click
        await pilot.pause()
        await pilot.pause()
        assert profiles.option_count == 1
        assert app.screen is app.workbench


async def test_enter_twice_on_more_items(make_app, tmp_path: Path) -> None:
    """Ours: the second Enter on "… N more" reached the tree after the first had replaced that
    node by the next page, and looked it up among the list's children (ValueError)."""
    path = tmp_path / "records.toml"
    path.write_text('[request]\nmethod = "GET"\nurl = "{{base_url}}/records?n=450"\n', encoding="utf-8")
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        records = tree.root.children[1]
        records.expand()
        await pilot.pause()
        more = records.children[-1]
        assert str(more.label).startswith("… 250 more")
        tree.focus()
        tree.move_cursor(more)
        await pilot.pause()
        terminal = Terminal(app)
        terminal.key("enter")
        terminal.key("enter")
        await pilot.pause()
        await pilot.pause()
        assert len(records.children) == 401  # two pages and "… 50 more": one page loaded, once
        assert str(records.children[-1].label).startswith("… 50 more")


async def test_palette_reopened_while_the_last_one_closes(make_app, tmp_path: Path) -> None:
    """Upstream bug 6: ctrl+p handled while the palette closed by Esc was still being removed
    opened a second one with the same id (DuplicateIds). Random input hit it at 120×40 and
    in a protected environment; here ctrl+p is handled right in that window."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        palette = app.screen
        assert CommandPalette.is_open(app)
        Terminal(app).key("escape")
        for _ in range(1000):  # until the palette is off the stack, before it is removed
            if palette not in app.screen_stack:
                break
            await asyncio.sleep(0)
        assert palette.is_attached and app.screen is app.workbench
        app.action_command_palette()  # what ctrl+p does
        for _ in range(3):
            await pilot.pause()
        assert CommandPalette.is_open(app) and app.screen is not palette  # a new palette, once
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        assert app.screen is app.workbench


async def test_no_matches_shown_after_the_palette_closed(make_app, tmp_path: Path) -> None:
    """Upstream bug 7: a search with no match, Esc, then the palette's half-second countdown
    ends while the palette is being removed: "No matches found" went to its removed list
    (NoMatches). The in-suite random input (seed 2) hit it once on a loaded machine; here the
    countdown ends right in that window."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"zqxj")  # matches no command
        for _ in range(100):
            if palette._no_matches_timer is not None:
                break
            await pilot.pause(0.01)
        countdown = palette._no_matches_timer
        assert countdown is not None and countdown._callback is not None
        command_list = palette.query_one(CommandList)
        Terminal(app).key("escape")
        for _ in range(2000):  # until the palette's list is removed, the palette not yet
            if not command_list.is_attached:
                break
            await asyncio.sleep(0)
        assert palette.is_attached and not command_list.is_attached
        countdown._callback()  # what the timer does when the countdown ends
        for _ in range(3):
            await pilot.pause()
        assert app.screen is app.workbench and app.is_running


async def test_palette_over_a_dialog_leaves_it_answerable(make_app, tmp_path: Path) -> None:
    """Ours, found by hand: over the unsaved-changes question, the palette offered the workbench's
    commands; *Import curl* replaced the worker waiting for that answer, so "Open without saving"
    did nothing. Over a dialog the palette has Textual's commands only."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml", "soap-lookup.toml"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+l", "x")  # an unsaved edit
        app.workbench.query_one(ProfileList).focus()
        await pilot.press("home", "enter")  # soap-lookup
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges)
        await pilot.press("ctrl+p", *"import curl")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert not any(isinstance(screen, TextPrompt) for screen in app.screen_stack)
        await pilot.press("escape")  # the palette
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChanges)
        await pilot.press("tab", "enter")  # Open without saving
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.workbench
        profile = app.workbench.profile
        assert profile is not None and profile.path.name == "soap-lookup.toml"
        assert not app.workbench.dirty


async def test_placeholders_shown_twice_at_once(make_app, tmp_path: Path) -> None:
    """Ours: edits arriving together refresh the Placeholders panel concurrently; the second
    refresh met the rows the first was removing (`NoMatches: '.ph-value'`, random input in a
    protected environment) or mounted them twice. Here the URL's placeholders change and
    change back before the first refresh is done."""
    app = make_app(tmp_path, copy_profiles(tmp_path, "users.toml"))
    async with app.run_test(size=(120, 30)) as pilot:
        panel = await part(app.workbench, PlaceholdersPanel)  # mounted by Lazy after the first frame
        for _ in range(3):  # the workbench's own first refresh is done
            await pilot.pause()
        await panel.show(["base_url"], {"base_url": "http://a"})
        await asyncio.gather(
            panel.show(["who"], {"who": "x"}), panel.show(["base_url"], {"base_url": "http://b"})
        )
        await pilot.pause()
        rows = list(panel.query(PlaceholderRow))
        assert [row.placeholder_name for row in rows] == ["base_url"]
        assert str(rows[0].query_one(".ph-value", Static).render()).startswith("= http://")
