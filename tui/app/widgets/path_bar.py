"""The selected node's dot path and value, with buttons to map or copy it."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from tui.core.paths import describe_kind


class PathBar(Horizontal):
    """Posts `ActionPressed('add' | 'copy_path' | 'copy_value')` for the shown path."""

    class ActionPressed(Message):
        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def compose(self) -> ComposeResult:
        yield Static(Text("Select a node in the tree to see its path", style="dim"), id="path-text")
        yield Button("+ Variable (a)", id="path-add", compact=True)
        yield Button("Copy path (c)", id="path-copy", compact=True)

    def show(self, path: str, value: Any, *, xml: bool = False) -> None:
        """Show a node; for XML, say when an element is an object (it occurred once)."""
        text = Text()
        text.append(path or "(root)", "bold")
        text.append(" = ")
        if isinstance(value, (dict, list)):
            text.append(describe_kind(value), "italic")
            if xml and isinstance(value, dict) and path:
                text.append("  (one element: an object, not a list; .0 also reaches it)", "dim")
        else:
            preview = json.dumps(value, ensure_ascii=False)
            text.append(preview if len(preview) < 200 else preview[:199] + "…", "green")
        self.query_one("#path-text", Static).update(text)

    def show_note(self, note: str) -> None:
        self.query_one("#path-text", Static).update(Text(note))

    @on(Button.Pressed, "#path-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ActionPressed("add"))

    @on(Button.Pressed, "#path-copy")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ActionPressed("copy_path"))
