"""Set Variables: a table of rows (dot path · type · target · live value) and the failure variable.

Rows are shown in one DataTable (cheap even with many rows) and edited in a small dialog,
so the panel costs a handful of widgets however many rows a module has.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Label

from tui.app.safe import safe
from tui.core.catalogue import FREE_TYPES, LABELS
from tui.core.model import SetVariable
from tui.core.run import RowValue


class SetVariablesPanel(Vertical):
    """Posts `Changed` when rows or the failure variable change."""

    BINDINGS = [
        Binding("n", "add", "New row"),
        Binding("e", "edit", "Edit row"),
        Binding("d,delete", "delete", "Delete row"),
    ]

    class Changed(Message):
        """Rows or the failure variable changed."""

    def __init__(
        self,
        rows: tuple[SetVariable, ...] = (),
        failure_variable: str | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._rows: list[SetVariable] = list(rows)
        self._values: tuple[RowValue, ...] | None = None
        self._initial_failure = failure_variable or ""

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="var-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("path", "value", "type", "target")
        yield table
        with Horizontal(classes="var-buttons"):
            yield Button("+ New (n)", id="var-add", compact=True)
            yield Button("Edit (e)", id="var-edit", compact=True)
            yield Button("Delete (d)", id="var-delete", compact=True)
            yield Label("On failure set", classes="failure-label")
            yield Input(
                self._initial_failure,
                placeholder="(variable name, optional)",
                id="failure-variable",
                compact=True,
            )

    def on_mount(self) -> None:
        self._redraw()

    @property
    def rows(self) -> tuple[SetVariable, ...]:
        return tuple(self._rows)

    @property
    def failure_variable(self) -> str | None:
        return self.query_one("#failure-variable", Input).value.strip() or None

    def load(self, rows: tuple[SetVariable, ...], failure_variable: str | None) -> None:
        self._rows = list(rows)
        self._values = None
        self.query_one("#failure-variable", Input).value = failure_variable or ""
        self._redraw()

    def add_row(self, row: SetVariable) -> None:
        self._rows.append(row)
        self._changed(select=len(self._rows) - 1)

    def replace_row(self, index: int, row: SetVariable) -> None:
        self._rows[index] = row
        self._changed(select=index)

    def delete_row(self, index: int) -> None:
        del self._rows[index]
        self._changed(select=min(index, len(self._rows) - 1))

    def show_values(self, values: tuple[RowValue, ...] | None) -> None:
        """Live values from the current response, one per row, in order."""
        self._values = values
        self._redraw()

    def value_text(self, index: int) -> str:
        """The value column of row `index` as shown (for tests and screen readers alike)."""
        return str(self.query_one(DataTable).get_row_at(index)[1])

    def _changed(self, select: int | None = None) -> None:
        self._redraw(select)
        self.post_message(self.Changed())

    def _redraw(self, select: int | None = None) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        cursor = table.cursor_row if select is None else select
        table.clear()
        values = self._values or ()
        for index, row in enumerate(self._rows):
            value = values[index] if index < len(values) and values[index].row == row else None
            target = row.target if row.type in FREE_TYPES else LABELS.get(row.target, row.target)
            table.add_row(safe(_shorten(row.name)), _value_cell(value), safe(row.type), safe(target))
        if self._rows and cursor is not None and cursor >= 0:
            table.move_cursor(row=min(cursor, len(self._rows) - 1))

    # --- actions -------------------------------------------------------------------------------

    @on(Button.Pressed, "#var-add")
    def action_add(self) -> None:
        self._edit(None)

    @on(Button.Pressed, "#var-edit")
    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if 0 <= index < len(self._rows):
            self._edit(index)

    @on(Button.Pressed, "#var-delete")
    def action_delete(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if 0 <= index < len(self._rows):
            self.delete_row(index)

    @work(exclusive=True, exit_on_error=False, group="row-editor")
    async def _edit(self, index: int | None) -> None:
        from tui.app.row_editor import RowEditor

        current = self._rows[index] if index is not None else SetVariable(name="", type="variable", target="")
        edited = await self.app.push_screen_wait(RowEditor(current))
        if edited is None:
            return
        if index is None:
            self.add_row(edited)
        else:
            self.replace_row(index, edited)

    @on(Input.Changed, "#failure-variable")
    def _failure_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())


def _value_cell(value: RowValue | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    if value.missing:
        return Text("missing", style="bold red")
    return safe(_preview(value.value), "green")


def _shorten(path: str, room: int = 36) -> str:
    """Long paths keep their end, the part that tells rows apart."""
    return path if len(path) <= room else "…" + path[-(room - 1) :]


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
