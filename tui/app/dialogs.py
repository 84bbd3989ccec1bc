"""Small modal dialogs: ask for a name; what to do with unsaved changes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


class NamePrompt(ModalScreen[str | None]):
    """Asks for a profile name; dismisses with the name, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, initial: str = "") -> None:
        super().__init__()
        self._title = title
        self._initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self._title)
            yield Input(self._initial, placeholder="e.g. Subscriber lookup", id="prompt-input")
            yield Label("", id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="prompt-ok")
                yield Button("Cancel", id="prompt-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        if not value:
            self.query_one("#prompt-error", Label).update("A name is needed.")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class UnsavedChanges(ModalScreen[str]):
    """The module has unsaved changes: save first, go ahead without saving, or stay.

    Dismisses with 'save', 'proceed' or 'stay'.
    """

    BINDINGS = [Binding("escape", "stay", "Stay")]

    def __init__(self, question: str, proceed: str) -> None:
        super().__init__()
        self.question = question
        self.proceed = proceed

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(f"This module has unsaved changes. {self.question}")
            with Horizontal(classes="buttons"):
                yield Button("Save first", variant="primary", id="unsaved-save")
                yield Button(f"{self.proceed} without saving", variant="error", id="unsaved-proceed")
                yield Button("Stay", id="unsaved-stay")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "unsaved-stay").removeprefix("unsaved-"))

    def action_stay(self) -> None:
        self.dismiss("stay")
