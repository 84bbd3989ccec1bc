"""Set Variables rows: dot path · type · target · live value, plus the failure variable."""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from tui.core.catalogue import FREE_TYPES, LABELS, TYPES, targets_for
from tui.core.model import SetVariable
from tui.core.run import RowValue


class VariableRow(Horizontal):
    """One row; the target is a select for catalogue types and free text for the others."""

    def __init__(self, row: SetVariable) -> None:
        super().__init__(classes="var-row")
        self._row = row
        self._kind = row.type

    def compose(self) -> ComposeResult:
        row = self._row
        yield Input(row.name, placeholder="dot path, e.g. users.0.title", classes="var-path", compact=True)
        yield Select([(t, t) for t in TYPES], value=row.type, allow_blank=False, classes="var-type", compact=True)
        yield Select(_target_options(row.type), value=row.target if row.target in targets_for(row.type) else Select.NULL, classes="var-target-select", compact=True, prompt="target")
        yield Input(row.target if row.type in FREE_TYPES else "", placeholder="variable name", classes="var-target-text", compact=True)
        yield Static("", classes="var-value")
        yield Button("✕", classes="row-delete", tooltip="Delete this row", compact=True)

    def on_mount(self) -> None:
        self._show_target_widget(self._row.type)

    def _show_target_widget(self, kind: str) -> None:
        free = kind in FREE_TYPES
        self.query_one(".var-target-text", Input).display = free
        self.query_one(".var-target-select", Select).display = not free

    @on(Select.Changed, ".var-type")
    def _type_changed(self, event: Select.Changed) -> None:
        kind = str(event.value)
        if kind == self._kind:
            return  # the initial Changed on mount: keep the loaded target
        self._kind = kind
        self.query_one(".var-target-select", Select).set_options(_target_options(kind))
        self._show_target_widget(kind)

    @property
    def row(self) -> SetVariable:
        kind_value = self.query_one(".var-type", Select).value
        kind = str(kind_value) if kind_value is not Select.NULL else "variable"
        if kind in FREE_TYPES:
            target = self.query_one(".var-target-text", Input).value.strip()
        else:
            chosen = self.query_one(".var-target-select", Select).value
            target = "" if chosen is Select.NULL else str(chosen)
        return SetVariable(name=self.query_one(".var-path", Input).value.strip(), type=kind, target=target)

    def show_value(self, value: RowValue | None) -> None:
        label = self.query_one(".var-value", Static)
        if value is None:
            label.update(Text("—", style="dim"))
        elif value.missing:
            label.update(Text("missing", style="bold red"))
            label.tooltip = value.problem
        else:
            label.update(Text(_preview(value.value), style="green"))
            label.tooltip = None


def _target_options(kind: str) -> list[tuple[str, str]]:
    return [(LABELS.get(slug, slug), slug) for slug in targets_for(kind)]


def _preview(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


class SetVariablesPanel(VerticalScroll):
    """All rows and the failure variable; posts `Changed` on any edit."""

    class Changed(Message):
        """Rows or the failure variable changed."""

    def compose(self) -> ComposeResult:
        yield Horizontal(
            Label("path", classes="var-path"), Label("type", classes="var-type"), Label("target", classes="var-target"),
            Label("value", classes="var-value"), classes="var-head",
        )
        yield Button("+ Add row", classes="row-add", compact=True)
        with Horizontal(classes="failure-row"):
            yield Label("On failure set")
            yield Input(placeholder="failure variable (optional)", id="failure-variable", compact=True)

    @property
    def rows(self) -> tuple[SetVariable, ...]:
        return tuple(r.row for r in self.query(VariableRow) if r.row.name)

    @property
    def failure_variable(self) -> str | None:
        return self.query_one("#failure-variable", Input).value.strip() or None

    async def load(self, rows: tuple[SetVariable, ...], failure_variable: str | None) -> None:
        await self.query(VariableRow).remove()
        await self.mount_all([VariableRow(r) for r in rows], before=self.query_one(".row-add"))
        self.query_one("#failure-variable", Input).value = failure_variable or ""

    async def add_row(self, row: SetVariable) -> None:
        widget = VariableRow(row)
        await self.mount(widget, before=self.query_one(".row-add"))
        self.scroll_to_widget(widget)
        self.post_message(self.Changed())

    def show_values(self, values: tuple[RowValue, ...] | None) -> None:
        """Live values from the current response, matched to rows by position."""
        widgets = list(self.query(VariableRow))
        named = [w for w in widgets if w.row.name]
        by_widget = dict(zip(named, values or ()))
        for widget in widgets:
            widget.show_value(by_widget.get(widget))

    @on(Button.Pressed, ".row-add")
    async def _add(self, event: Button.Pressed) -> None:
        event.stop()
        widget = VariableRow(SetVariable(name="", type="variable", target=""))
        await self.mount(widget, before=self.query_one(".row-add"))
        widget.query_one(Input).focus()

    @on(Button.Pressed, ".row-delete")
    async def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        if isinstance(event.button.parent, VariableRow):
            await event.button.parent.remove()
            self.post_message(self.Changed())

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Select.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
