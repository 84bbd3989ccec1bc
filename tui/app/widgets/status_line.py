"""One line: status code and reason, elapsed, size, and the route with its reason."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.app.safe import append_safe, safe
from tui.core.exchange import human_size
from tui.core.render import RenderedRequest
from tui.core.run import RunResult, status_text
from tui.core.secrets import mask_text


class StatusLine(Static):
    """Shows the outcome of the last run, or what is happening now."""

    def show_idle(self, message: str = "Ready — ctrl+r sends") -> None:
        self.update(safe(message, "dim"))

    def show_sending(self, request: RenderedRequest) -> None:
        url = mask_text(request.url, request.secrets)
        self.update(safe(f"Sending {request.method} {url} …  (Esc cancels)", "italic"))

    def show_result(self, result: RunResult, note: str | None = None) -> None:
        """The outcome; `note` leads the line (`recorded 11-28 19:45:12, not sent`)."""
        text = Text()
        if note:
            text.append(f" {note} ", "bold black on yellow")
            text.append(" · ")
        exchange = result.exchange
        if exchange is not None:
            code_style = (
                "bold green"
                if 200 <= exchange.status < 300
                else "bold yellow"
                if exchange.status < 400
                else "bold red"
            )
            append_safe(text, status_text(exchange.status, exchange.reason_phrase), code_style)
            text.append(f" · {exchange.elapsed_ms:.0f} ms · {human_size(len(exchange.body))}")
            if exchange.truncated:
                text.append(" (truncated)", "bold red")
            text.append(" · ")
        if result.ok:
            text.append(" SUCCESS ", "bold black on green")
        else:
            text.append(" FAILURE ", "bold white on red")
            append_safe(text, f" {result.reason}", "red")
        self.update(text)

    def show_error(self, message: str) -> None:
        """One line here; the whole message (it may not fit) in a notification too."""
        self.update(safe(f"Not sent: {message}", "bold red"))
        self.notify(message, title="Not sent", severity="error", timeout=10)
