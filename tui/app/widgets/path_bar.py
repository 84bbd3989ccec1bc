"""The selected node's dot path and value, with buttons to map or copy it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from tui.app.safe import safe
from tui.core.paths import describe_kind
from tui.core.safe_text import safe_json, safe_text


class PathBar(Horizontal):
    """Posts `ActionPressed('add' | 'copy_path' | 'copy_value')` for the shown path."""

    class ActionPressed(Message):
        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    path: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a node in the tree to see its path", style="dim"), id="path-text")
        yield Button("+ Variable (a)", id="path-add", compact=True)
        yield Button("Copy path (c)", id="path-copy", compact=True)

    def show(self, path: str, value: Any, *, xml: bool = False) -> None:
        """Show a node; for XML, say when an element is an object (it occurred once).

        A path too long for the bar is cut at the front (its end tells nodes apart); the
        whole path is in `self.path`, the tooltip, and what `c` copies.
        """
        self.path = path
        tail = Text(" = ")
        if isinstance(value, (dict, list)):
            tail.append(describe_kind(value), "italic")
            if xml and isinstance(value, dict) and path:
                tail.append("  (one element: an object, not a list; .0 also reaches it)", "dim")
        else:
            # Only the start of a long string is escaped (a 100 MB value took seconds).
            preview = safe_json(value[:60] + "…" if isinstance(value, str) and len(value) > 60 else value)
            tail.append(preview if len(preview) < 60 else preview[:59] + "…", "green")
        label = self.query_one("#path-text", Static)
        room = max(16, label.size.width - 2 - min(len(tail.plain), 30))
        shown = safe_text(path, single_line=True)  # generated paths are safe; hand-written ones may not be
        shown = shown if len(shown) <= room else "…" + shown[-(room - 1) :]
        label.update(safe(shown or "(root)", "bold") + tail)
        label.tooltip = safe(path)

    def show_note(self, note: str) -> None:
        """A message in place of the path (after a copy, or when nothing is selected)."""
        self.query_one("#path-text", Static).update(safe(note))
        self.query_one("#path-text", Static).tooltip = safe(note, single_line=False)

    @on(Button.Pressed, "#path-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ActionPressed("add"))

    @on(Button.Pressed, "#path-copy")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ActionPressed("copy_path"))
