"""Method, URL and the Send button: the line a person types into most."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Select

from tui.core.importers.curl import looks_like_curl
from tui.core.model import METHODS


class UrlInput(Input):
    """The URL field. A pasted curl command goes up whole (an Input keeps only a paste's first
    line, and a command copied from docs spans many) as `UrlBar.CurlPasted`."""

    def _on_paste(self, event: events.Paste) -> None:
        if looks_like_curl(event.text):
            event.prevent_default()  # Input's own paste handler would insert the first line
            event.stop()
            self.post_message(UrlBar.CurlPasted(event.text))


class UrlBar(Horizontal):
    """Posts `SendPressed` from the button or Enter in the URL; `MethodChanged` on a new method;
    `CurlPasted` when a curl command is pasted (or typed and entered) into the URL."""

    class SendPressed(Message):
        """The user asked to send."""

    class CurlPasted(Message):
        """A curl command arrived in the URL field: the workbench turns it into the module."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

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
        yield UrlInput(
            url,
            placeholder="https://… — {{variables}} allowed, or paste a curl command",
            id="url",
            compact=True,
        )
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
        if looks_like_curl(self.url):
            self.post_message(self.CurlPasted(self.url))
        else:
            self.post_message(self.SendPressed())
