"""Timeout, the two log toggles, success statuses and the less common switches."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Input, Label

from tui.core.model import Request, format_statuses, parse_statuses

_SWITCHES = (
    ("log_request_body", "Log request body (history keeps the body sent)"),
    ("log_response_body", "Log response body (history keeps the body received)"),
    ("follow_redirects", "Follow redirects"),
    ("verify_tls", "Verify TLS certificates"),
    ("fail_on_missing", "Fail when a Set Variables path is missing"),
)


class OptionsForm(VerticalScroll):
    """Posts `Changed` on any edit; `apply(request)` raises ValueError on a bad number."""

    class Changed(Message):
        """An option changed."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="option-row"):
            yield Label("Timeout (s)")
            yield Input("10", id="timeout", type="number", compact=True)
        with Horizontal(classes="option-row"):
            yield Label("Success statuses")
            yield Input("200-299", id="statuses", placeholder="200-299 or 200, 201, 404", compact=True)
        for key, label in _SWITCHES:
            yield Checkbox(label, id=key.replace("_", "-"), compact=True)

    def load(self, request: Request) -> None:
        self.query_one("#timeout", Input).value = f"{request.timeout:g}"
        self.query_one("#statuses", Input).value = format_statuses(request.success_statuses)
        for key, _ in _SWITCHES:
            self.query_one(f"#{key.replace('_', '-')}", Checkbox).value = getattr(request, key)

    def apply(self, request: Request) -> Request:
        """`request` with this form's values; ValueError names the field at fault."""
        text = self.query_one("#timeout", Input).value.strip()
        try:
            timeout = float(text)
        except ValueError:
            raise ValueError(f"timeout: {text!r} is not a number of seconds") from None
        if timeout <= 0:
            raise ValueError("timeout: must be more than 0 seconds")
        switches = {key: self.query_one(f"#{key.replace('_', '-')}", Checkbox).value for key, _ in _SWITCHES}
        statuses = parse_statuses(self.query_one("#statuses", Input).value)
        return replace(request, timeout=timeout, success_statuses=statuses, **switches)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Input.Changed | Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
