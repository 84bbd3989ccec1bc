"""The footer: the keys that work where the focus is, drawn as one line of text.

Textual's `Footer` recomposes itself on every focus change: a widget per key, each mounted
and styled (~0.2 s of CPU for a dozen keys, twice that while a decode shares the GIL), so
a tab switch waited for it. This one reads the same `Screen.active_bindings` when the screen
publishes `bindings_updated_signal` and repaints one line in the same frame. It looks and
acts the same: bold key, description, disabled keys dim, the command palette's key on the
right; a click on a key presses it, hovering shows its tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterItem:
    """One key as the footer draws it (a group's label when `key` is empty)."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyFooter(Widget, can_focus=False):
    """Keys of the focused widget, its ancestors, the screen and the app; click to press."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description", "key-footer--hover"}
    ALLOW_SELECT = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: tuple[FooterItem, ...] = ()
        self._palette: FooterItem | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []
        self._hover: FooterItem | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys shown, left to right (the palette's key last)."""
        return tuple(item.key for item in self._items) + ((self._palette.key,) if self._palette else ())

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        items, palette = self._read(screen)
        if (items, palette) != (self._items, self._palette):
            self._items, self._palette = items, palette
            self.refresh()

    def _read(self, screen: Screen[object]) -> tuple[tuple[FooterItem, ...], FooterItem | None]:
        """What Textual's Footer shows: bindings with `show`, one per action, groups together."""
        active = screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        items: list[FooterItem] = []
        for group, runs in groupby(by_action.values(), lambda run: run[0][0].group):
            members = list(runs)
            grouped = group is not None and len(members) > 1
            for binding, enabled, tooltip in (run[0] for run in members):
                items.append(self._item(binding, enabled, tooltip, "" if grouped else binding.description))
            if grouped and group is not None:
                items.append(FooterItem("", "", group.description, True, ""))
        palette = None
        app = self.app
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, _ = active[app.COMMAND_PALETTE_BINDING]
            palette = self._item(binding, enabled, binding.tooltip, binding.description)
        return tuple(items), palette

    def _item(self, binding: Binding, enabled: bool, tooltip: str, description: str) -> FooterItem:
        display = self.app.get_key_display(binding)
        return FooterItem(binding.key, display, description, enabled, tooltip or binding.description)

    def render(self) -> Text:
        width = self.size.width
        right = Text()
        if self._palette is not None:
            right.append("▏", "dim")
            self._append(right, self._palette, 0)
        left = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for item in self._items:
            start = left.cell_len
            self._append(left, item, start)
        room = max(0, width - right.cell_len)
        if left.cell_len > room:  # cut with "…": a key not wholly shown cannot be clicked
            self._spans = [span for span in self._spans if span[1] < room]
        left.truncate(room, overflow="ellipsis", pad=True)
        if self._palette is not None:
            self._spans.append((room + 1, width, self._palette))
        return Text.assemble(left, right, no_wrap=True)

    def _append(self, text: Text, item: FooterItem, start: int) -> None:
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        piece = Text()
        if not item.key:  # a group's label
            piece.append(f"{item.description} ", description_style)
        else:  # the palette's key sits against its bar, as in Textual's Footer
            piece.append(f"{'' if item is self._palette else ' '}{item.display} ", key_style)
            if item.description:
                piece.append(f"{item.description} ", description_style)
        if item is self._hover:
            piece.stylize(self.get_component_rich_style("key-footer--hover", partial=True))
        if not item.enabled:
            piece.stylize("dim")
        if item.key and item is not self._palette:
            self._spans.append((start, start + piece.cell_len, item))
        text.append_text(piece)

    def _at(self, x: int) -> FooterItem | None:
        return next((item for start, end, item in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        item = self._at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._at(event.x)
        if item is not self._hover:
            self._hover = item
            self.tooltip = item.tooltip if item is not None and item.tooltip else None
            self.refresh()

    def on_leave(self) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
