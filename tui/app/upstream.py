"""Defences against Textual bugs that hookbench ships with (found by random input on textual 8.2.8).

Keys and clicks that arrive in a burst (key repeat, a paste, an SSH link delivering input in
lumps) queue up behind each other, and a few Textual code paths assume the screen or list they
act on is still the one shown. Hookbench cannot wait for upstream fixes, so `install()` wraps
those methods once, at app start. Each entry names the bug, what the wrapper does instead,
and the regression test in `tests/app/test_crash_regressions.py` that reproduces it; when a
Textual release fixes one, delete its wrapper and keep the test.

Upstream bugs worked around:

1. `Screen.dismiss` pops whatever screen is on top, without checking that it is its own
   screen. Two dismissals queued before the first is handled pop the screen beneath, or raise
   `ScreenStackError: Can't pop screen` when only the workbench is left. Textual's
   `CommandPalette` does this on a double click outside it (`_on_click`), on Enter pressed
   twice (`_select_or_command`) and on Esc; hookbench's own dialogs (help, name prompt,
   unsaved changes, row editor) do it when Close and Esc arrive together.
   → `_dismiss_if_active`: a screen that is no longer active is not dismissed again.
   Tests: `test_double_click_outside_the_palette`, `test_help_closed_twice_at_once`.
2. `Screen._forward_event` takes the widget under a mouse press from the last frame's map and
   reads `widget.parent.region`; a widget removed since (its parent is None) gives
   `AttributeError: 'NoneType' object has no attribute 'region'`. It happens to a press on a
   screen being removed, and on a widget just deleted (a second click on a row's ✕).
   → `_forward_event_if_attached`: a mouse event aimed at a removed screen or widget is dropped
   (the next frame shows what is really there). Test: `test_press_on_a_screen_being_removed`.
3. `OptionList._move_page` (PageUp / PageDown) reads the option-to-line map that the list only
   builds while it has a size; a list with no height yet (a `Select` overlay, the palette's
   command list, a list whose options were just replaced) raises `KeyError: 0`.
   → `_move_page_when_laid_out`: with no lines built there is no page to move by.
   Test: `test_page_down_in_a_method_select_being_opened`.
4. `OptionList._on_click` indexes the options with the option number painted in the last
   frame; when the options were replaced by fewer since, that raises `IndexError`.
   → `_click_existing_option`: a click on an option that no longer exists is ignored.
   Test: `test_click_on_an_option_replaced_by_fewer`.
5. `CommandPalette._gather_commands` (a worker) goes on after the palette was closed and
   queries its removed `CommandList`: `NoMatches`, which fails the worker and the app.
   → `_gather_while_open`: that error is dropped once the palette is gone.
   Test: `test_random_input.py` seed 1 hits it (timing-dependent: no short replay found yet).
6. `App.action_command_palette` (ctrl+p) opens a palette when the screen on top is not one; a
   palette just closed (Esc, a click outside) is off the stack but still being removed, and the
   new one, with the same id, raises `DuplicateIds: ... '--command-palette'`.
   → `_open_palette_once_closed`: while the old palette is being removed, the new one opens
   after the next refresh. Test: `test_palette_reopened_while_the_last_one_closes`.
7. `CommandPalette._start_no_matches_countdown` sets a timer that, half a second after a search
   found nothing, queues "No matches found" into the `CommandList`; the palette closed meanwhile
   (Esc, a click outside) has removed that list: `NoMatches`, the app ends. Random input hit it
   (the in-suite seed 2, once, on a loaded machine; the bench, in a protected environment).
   → `_no_matches_while_open`: that error is dropped once the palette is gone.
   Test: `test_no_matches_shown_after_the_palette_closed`.
8. `App.suspend` (the context manager that hands the terminal to another program) resumes
   application mode only when its block ends normally: it has no try/finally. An exception in
   the block (a `$PAGER` or `$EDITOR` that is missing or fails) leaves the terminal suspended:
   a blank screen, every key echoed as text, only a kill ends it.
   → no wrapper: `tui.app.external.in_terminal` raises nothing inside the block (a failure is
   raised once the app has resumed) and suspends only for a program that exists.
   Tests: `tests/app/test_external_terminal.py` (the app on a pseudo-terminal: `run_test`
   cannot suspend).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import OptionList

_INSTALLED = "_hookbench_guarded"


def install() -> None:
    """Wrap the faulty Textual methods (once per process; calling again does nothing)."""
    _wrap(Screen, "dismiss", _dismiss_if_active)
    _wrap(Screen, "_forward_event", _forward_event_if_attached)
    _wrap(OptionList, "_move_page", _move_page_when_laid_out)
    _wrap(OptionList, "_on_click", _click_existing_option)
    _wrap(App, "action_command_palette", _open_palette_once_closed)
    _wrap(CommandPalette, "_start_no_matches_countdown", _no_matches_while_open)
    _rewrap_gather()


def _wrap(owner: type, name: str, guard: Callable[..., Any]) -> None:
    original = getattr(owner, name)
    if getattr(original, _INSTALLED, False):
        return

    @functools.wraps(original)
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return guard(original, self, *args, **kwargs)

    setattr(method, _INSTALLED, True)
    setattr(owner, name, method)


def _dismiss_if_active(
    original: Callable[..., AwaitComplete], screen: Screen[Any], *args: Any
) -> AwaitComplete:
    if not screen.is_attached or screen.app.screen is not screen:
        return AwaitComplete.nothing()  # dismissed already, or another screen is on top of it
    return original(screen, *args)


def _forward_event_if_attached(
    original: Callable[..., None], screen: Screen[Any], event: events.Event
) -> None:
    if isinstance(event, events.MouseEvent) and not event.is_forwarded:
        if not screen.is_attached:
            return
        if isinstance(event, events.MouseDown):
            widget, _ = screen.get_widget_and_offset_at(event.x, event.y)
            if widget is not None and widget is not screen and not widget.is_attached:
                return
    original(screen, event)


def _move_page_when_laid_out(original: Callable[..., None], option_list: OptionList, direction: int) -> None:
    highlighted = option_list.highlighted or 0
    if highlighted not in option_list._index_to_line:
        return
    original(option_list, direction)


async def _click_existing_option(
    original: Callable[..., Any], option_list: OptionList, event: events.Click
) -> None:
    clicked = event.style.meta.get("option")
    if isinstance(clicked, int) and not 0 <= clicked < option_list.option_count:
        return
    await original(option_list, event)


def _open_palette_once_closed(original: Callable[..., None], app: App[Any]) -> None:
    closing = any(isinstance(node, CommandPalette) and node is not app.screen for node in app._nodes)
    if closing:
        app.call_after_refresh(app.action_command_palette)
        return
    original(app)


def _no_matches_while_open(original: Callable[..., None], palette: CommandPalette, search_value: str) -> None:
    original(palette, search_value)
    timer = palette._no_matches_timer
    queue_show = timer._callback if timer is not None else None
    if timer is None or not isinstance(queue_show, functools.partial) or not queue_show.args:
        return
    show = queue_show.args[0]  # the timer's callback is partial(palette.call_next, show)

    def show_while_open() -> None:
        try:
            show()
        except NoMatches:
            if palette.is_attached and palette.app.screen is palette:
                raise  # not the closed-palette race: a real bug, let it show

    timer._callback = functools.partial(palette.call_next, show_while_open)


def _rewrap_gather() -> None:
    """`_gather_commands` is a `@work` method: guard the coroutine inside, keep the worker options."""
    decorated = CommandPalette._gather_commands
    if getattr(decorated, _INSTALLED, False):
        return
    gather = decorated.__wrapped__  # type: ignore[attr-defined]

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    @functools.wraps(gather)
    async def method(palette: CommandPalette, search_value: str) -> None:
        await _gather_while_open(gather, palette, search_value)

    setattr(method, _INSTALLED, True)
    setattr(CommandPalette, "_gather_commands", method)  # noqa: B010


async def _gather_while_open(
    original: Callable[..., Any], palette: CommandPalette, search_value: str
) -> None:
    try:
        await original(palette, search_value)
    except NoMatches:
        if palette.is_attached and palette.app.screen is palette:
            raise  # not the closed-palette race: a real bug, let it show
