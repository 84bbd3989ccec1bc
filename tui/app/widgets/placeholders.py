"""The `{{placeholders}}` a module uses, each with its value, unknown ones marked.

A value typed here holds for this session (it is not saved into the profile).
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Static

from tui.app.safe import safe
from tui.core.secrets import MASK


class PlaceholderRow(Horizontal):
    def __init__(self, name: str) -> None:
        super().__init__(classes="ph-row")
        self.placeholder_name = name

    def compose(self) -> ComposeResult:
        yield Label(Text("{{" + self.placeholder_name + "}}"), classes="ph-name")
        yield Static("", classes="ph-value")
        yield Input(
            placeholder="type a value for this session",
            classes="ph-input",
            compact=True,
            password=self.placeholder_name.startswith("env."),
        )


class PlaceholdersPanel(VerticalScroll):
    """Posts `ValueTyped` when the user types a session value."""

    can_focus = False  # its rows take focus; the container itself would be an invisible stop

    class ValueTyped(Message):
        def __init__(self, name: str, value: str) -> None:
            super().__init__()
            self.name = name
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # One `show` at a time: edits arriving together each refresh the panel, and a second
        # call meeting rows half removed by the first failed (or mounted the rows twice).
        self._showing = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield Static("No {{placeholders}} in use.", id="ph-empty")

    async def show(
        self, names: list[str], values: dict[str, str | None], typed: set[str] | None = None
    ) -> None:
        """List `names`; rows are rebuilt only when the set of names changes (keeps focus)."""
        async with self._showing:
            await self._show(names, values, typed)

    async def _show(self, names: list[str], values: dict[str, str | None], typed: set[str] | None) -> None:
        rows = {row.placeholder_name: row for row in self.query(PlaceholderRow)}
        if list(rows) != names:
            await self.query(PlaceholderRow).remove()
            await self.mount_all([PlaceholderRow(name) for name in names])
            rows = {row.placeholder_name: row for row in self.query(PlaceholderRow)}
        self.query_one("#ph-empty").display = not names
        for name, row in rows.items():
            value = values.get(name)
            label = row.query_one(".ph-value", Static)
            if value is None:
                label.update(Text("unknown — will not send", style="bold red"))
            elif name.startswith("env."):
                where = "typed for this session" if typed and name in typed else "from environment"
                label.update(Text(f"= {MASK} ({where})", style="green"))
            else:
                label.update(safe(f"= {value}", "green"))

    @on(Input.Changed, ".ph-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        row = event.input.parent
        if isinstance(row, PlaceholderRow):
            self.post_message(self.ValueTyped(row.placeholder_name, event.value))
