"""The dialog that edits one Set Variables row: dot path, type, and the type's target."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from tui.core.catalogue import FREE_TYPES, LABELS, TYPES, target_problem, targets_for
from tui.core.model import SetVariable


class RowEditor(ModalScreen[SetVariable | None]):
    """Dismisses with the edited row, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, row: SetVariable) -> None:
        super().__init__()
        self.row = row
        self._kind = row.type

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="prompt", classes="row-editor"):
            yield Label("Dot path into the response")
            yield Input(row.name, placeholder="e.g. users.0.title", id="row-path")
            yield Label("Type")
            yield Select([(t, t) for t in TYPES], value=row.type, allow_blank=False, id="row-type")
            yield Label("Target")
            yield Select(
                _options(row.type),
                value=row.target if row.target in targets_for(row.type) else Select.NULL,
                id="row-target-select",
                prompt="choose a target",
            )
            yield Input(
                row.target if row.type in FREE_TYPES else "",
                placeholder="variable name",
                id="row-target-text",
            )
            yield Label("", id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="row-ok")
                yield Button("Cancel", id="row-cancel")

    def on_mount(self) -> None:
        self._show_target(self.row.type)

    def _show_target(self, kind: str) -> None:
        free = kind in FREE_TYPES
        self.query_one("#row-target-text").display = free
        self.query_one("#row-target-select").display = not free

    @on(Select.Changed, "#row-type")
    def _type(self, event: Select.Changed) -> None:
        kind = str(event.value)
        if kind != self._kind:  # Select also posts Changed for its initial value
            self._kind = kind
            target = self.query_one("#row-target-select", Select)
            current = target.value
            typed = self.query_one("#row-target-text", Input).value.strip().lower()
            target.set_options(_options(kind))
            for candidate in (current, typed):
                if candidate in targets_for(kind):
                    target.value = candidate
                    break
        self._show_target(kind)

    def edited(self) -> SetVariable:
        kind = str(self.query_one("#row-type", Select).value)
        if kind in FREE_TYPES:
            target = self.query_one("#row-target-text", Input).value.strip()
        else:
            chosen = self.query_one("#row-target-select", Select).value
            target = "" if chosen is Select.NULL else str(chosen)
        return SetVariable(name=self.query_one("#row-path", Input).value.strip(), type=kind, target=target)

    @on(Button.Pressed, "#row-ok")
    @on(Input.Submitted)
    def _ok(self) -> None:
        row = self.edited()
        problem = (
            "give the dot path to read"
            if not row.name
            else target_problem(row.type, row.target)
            if row.target
            else "choose a target"
        )
        if problem:
            self.query_one("#prompt-error", Label).update(problem)
            return
        self.dismiss(row)

    @on(Button.Pressed, "#row-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _options(kind: str) -> list[tuple[str, str]]:
    return [(LABELS.get(slug, slug), slug) for slug in targets_for(kind)]
