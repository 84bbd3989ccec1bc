"""Small modal dialogs: ask for a name, a path or a text; confirm an action; what to do with unsaved
changes; a report."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.app.safe import safe


class NamePrompt(ModalScreen[str | None]):
    """Asks for one line (a profile name, a file path); dismisses with it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        initial: str = "",
        *,
        ok: str = "Save",
        placeholder: str = "e.g. Subscriber lookup",
        needed: str = "A name is needed.",
    ) -> None:
        super().__init__()
        self._title = title
        self._initial = initial
        self._ok_label = ok
        self._placeholder = placeholder
        self._needed = needed

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self._title)
            yield Input(self._initial, placeholder=self._placeholder, id="prompt-input")
            yield Label("", id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button(self._ok_label, variant="primary", id="prompt-ok")
                yield Button("Cancel", id="prompt-cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        if not value:
            self.query_one("#prompt-error", Label).update(self._needed)
            return
        self.dismiss(value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes-or-no question; dismisses with True only for the action button."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, action: str) -> None:
        super().__init__()
        self.question = question
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.action, variant="error", id="confirm-yes")
                yield Button("Cancel", variant="primary", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()  # the safe answer is the default

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


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


class ImportReport(ModalScreen[None]):
    """What an import wrote, skipped and moved, one line each; closed with Esc or Close."""

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, title: str, report: str) -> None:
        super().__init__()
        self._title = title
        self._report = report

    def compose(self) -> ComposeResult:
        with Vertical(id="import-report"):
            yield Label(self._title)
            with VerticalScroll():
                yield Static(safe(self._report, single_line=False), id="import-report-text")
            with Horizontal(classes="buttons"):
                yield Button("Close", variant="primary", id="import-report-close")

    @on(Button.Pressed, "#import-report-close")
    def action_close(self) -> None:
        self.dismiss(None)


class TextPrompt(ModalScreen[str | None]):
    """Asks for a piece of text that may span lines (a curl command copied from docs);
    dismisses with it, or None when cancelled. ctrl+s or the button accepts (Enter is a newline)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "accept", "Import", priority=True),
    ]

    def __init__(self, title: str, accept: str) -> None:
        super().__init__()
        self._title = title
        self._accept = accept

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        with Vertical(id="prompt", classes="text-prompt"):
            yield Label(self._title)
            yield TextArea(id="prompt-text", soft_wrap=True)
            yield Label("", id="prompt-error")
            with Horizontal(classes="buttons"):
                yield Button(f"{self._accept} (ctrl+s)", variant="primary", id="prompt-ok")
                yield Button("Cancel", id="prompt-cancel")

    @on(Button.Pressed, "#prompt-ok")
    def action_accept(self) -> None:
        from textual.widgets import TextArea

        value = self.query_one("#prompt-text", TextArea).text.strip()
        if not value:
            self.query_one("#prompt-error", Label).update("Paste the command first.")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
