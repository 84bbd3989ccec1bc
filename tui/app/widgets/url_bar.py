"""Method, URL and the Send button: the line a person types into most."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Select

from tui.core.model import METHODS


class UrlBar(Horizontal):
    """Posts `SendPressed` from the button or Enter in the URL; `MethodChanged` on a new method."""

    class SendPressed(Message):
        """The user asked to send."""

    class UrlChanged(Message):
        """The URL was edited."""

    class MethodChanged(Message):
        def __init__(self, method: str) -> None:
            super().__init__()
            self.method = method

    def __init__(self, method: str = "GET", url: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = (method, url)

    def compose(self) -> ComposeResult:
        method, url = self._initial
        yield Select([(m, m) for m in METHODS], value=method, allow_blank=False, id="method", compact=True)
        yield Input(url, placeholder="https://… — {{variables}} allowed", id="url", compact=True)
        yield Button("Send ⏎", id="send", variant="primary", compact=True)

    @property
    def method(self) -> str:
        return str(self.query_one("#method", Select).value)

    @property
    def url(self) -> str:
        return self.query_one("#url", Input).value.strip()

    def load(self, method: str, url: str) -> None:
        self.query_one("#method", Select).value = method
        self.query_one("#url", Input).value = url

    @on(Input.Changed, "#url")
    def _url(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.UrlChanged())

    @on(Select.Changed, "#method")
    def _method(self, event: Select.Changed) -> None:
        self.post_message(self.MethodChanged(str(event.value)))

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#url")
    def _send(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        self.post_message(self.SendPressed())
