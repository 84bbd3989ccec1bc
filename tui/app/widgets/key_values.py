"""An editable list of name/value rows (request headers, form and multipart fields)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input


class KeyValueRow(Horizontal):
    """One name/value pair with a delete button."""

    def __init__(self, name: str = "", value: str = "", *, placeholders: tuple[str, str]) -> None:
        super().__init__(classes="kv-row")
        self._initial = (name, value)
        self._placeholders = placeholders

    def compose(self) -> ComposeResult:
        yield Input(self._initial[0], placeholder=self._placeholders[0], classes="kv-name", compact=True)
        yield Input(self._initial[1], placeholder=self._placeholders[1], classes="kv-value", compact=True)
        yield Button("✕", classes="row-delete", tooltip="Delete this row", compact=True)

    @property
    def pair(self) -> tuple[str, str]:
        name, value = self.query(Input)
        return name.value.strip(), value.value


class KeyValueEditor(VerticalScroll):
    """Rows of name = value; empty names are ignored. Posts `Changed` on every edit."""

    can_focus = False  # its rows take focus; the container itself would be an invisible stop

    class Changed(Message):
        def __init__(self, editor: KeyValueEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> KeyValueEditor:
            return self.editor

    def __init__(
        self,
        pairs: tuple[tuple[str, str], ...] = (),
        *,
        placeholders: tuple[str, str] = ("Name", "Value"),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="kv-editor")
        self._initial = pairs
        self._placeholders = placeholders

    def compose(self) -> ComposeResult:
        for name, value in self._initial:
            yield KeyValueRow(name, value, placeholders=self._placeholders)
        yield Button("+ Add row", classes="row-add", compact=True)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(row.pair for row in self.query(KeyValueRow) if row.pair[0])

    async def load(self, pairs: tuple[tuple[str, str], ...]) -> None:
        """Replace all rows."""
        await self.query(KeyValueRow).remove()
        await self.mount_all(
            [KeyValueRow(n, v, placeholders=self._placeholders) for n, v in pairs],
            before=self.query_one(".row-add"),
        )

    async def add_row(self, name: str = "", value: str = "") -> KeyValueRow:
        row = KeyValueRow(name, value, placeholders=self._placeholders)
        await self.mount(row, before=self.query_one(".row-add"))
        row.query_one(Input).focus()
        return row

    @on(Button.Pressed, ".row-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_row()

    @on(Button.Pressed, ".row-delete")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, KeyValueRow):
            await row.remove()
            self.post_message(self.Changed(self))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))
