"""Small modal dialogs: ask for a name, confirm quitting with unsaved changes."""

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


class ConfirmQuit(ModalScreen[str]):
    """Unsaved changes: save, discard or stay. Dismisses with 'save', 'quit' or 'stay'."""

    BINDINGS = [Binding("escape", "stay", "Stay")]

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label("This module has unsaved changes.")
            with Horizontal(classes="buttons"):
                yield Button("Save and quit", variant="primary", id="confirm-save")
                yield Button("Quit without saving", variant="error", id="confirm-quit")
                yield Button("Stay", id="confirm-stay")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "confirm-stay").removeprefix("confirm-"))

    def action_stay(self) -> None:
        self.dismiss("stay")
