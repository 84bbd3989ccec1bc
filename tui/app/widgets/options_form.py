"""Timeout, success statuses, the two log toggles and the less common switches."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, SelectionList

from tui.core.model import Request, format_statuses, parse_statuses

SWITCHES = (
    ("log_request_body", "Log request body (history keeps the body sent)"),
    ("log_response_body", "Log response body (history keeps the body received)"),
    ("follow_redirects", "Follow redirects"),
    ("verify_tls", "Verify TLS certificates"),
    ("fail_on_missing", "Fail when a Set Variables path is missing"),
)


class OptionsForm(VerticalScroll):
    """Posts `Changed` on any edit; `apply(request)` raises ValueError on a bad number."""

    can_focus = False  # its rows take focus; the container itself would be an invisible stop

    class Changed(Message):
        """An option changed."""

    def __init__(self, request: Request, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = request

    def compose(self) -> ComposeResult:
        request = self._initial
        with Horizontal(classes="option-row"):
            yield Label("Timeout (s)")
            yield Input(f"{request.timeout:g}", id="timeout", compact=True)
        with Horizontal(classes="option-row"):
            yield Label("Success statuses")
            yield Input(
                format_statuses(request.success_statuses),
                id="statuses",
                placeholder="200-299 or 200, 201, 404",
                compact=True,
            )
        yield SelectionList[str](
            *[(label, key, bool(getattr(request, key))) for key, label in SWITCHES],
            id="switches",
            compact=True,
        )

    def load(self, request: Request) -> None:
        self.query_one("#timeout", Input).value = f"{request.timeout:g}"
        self.query_one("#statuses", Input).value = format_statuses(request.success_statuses)
        switches = self.query_one("#switches", SelectionList)
        for key, _ in SWITCHES:
            if getattr(request, key):
                switches.select(key)
            else:
                switches.deselect(key)

    def apply(self, request: Request) -> Request:
        """`request` with this form's values; ValueError names the field at fault."""
        text = self.query_one("#timeout", Input).value.strip()
        try:
            timeout = float(text)
        except ValueError:
            raise ValueError(f"timeout: {text!r} is not a number of seconds") from None
        if timeout <= 0:
            raise ValueError("timeout: must be more than 0 seconds")
        on = set(self.query_one("#switches", SelectionList).selected)
        return replace(
            request,
            timeout=timeout,
            success_statuses=parse_statuses(self.query_one("#statuses", Input).value),
            log_request_body="log_request_body" in on,
            log_response_body="log_response_body" in on,
            follow_redirects="follow_redirects" in on,
            verify_tls=_verify(request.verify_tls, "verify_tls" in on),
            fail_on_missing="fail_on_missing" in on,
        )

    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self, event: Input.Changed | SelectionList.SelectedChanged) -> None:
        event.stop()
        self.post_message(self.Changed())


def _verify(current: bool | str, on: bool) -> bool | str:
    """The switch turns checking on or off; a "system" or CA-bundle setting survives staying on."""
    if not on:
        return False
    return current if isinstance(current, str) else True
