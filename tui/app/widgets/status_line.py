"""One line: status code and reason, elapsed, size, and the route with its reason."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.app.safe import append_safe, safe
from tui.core.exchange import Exchange, human_size
from tui.core.progress import Progress
from tui.core.render import RenderedRequest
from tui.core.run import RunResult, status_text
from tui.core.safe_text import safe_message
from tui.core.secrets import mask_text


class StatusLine(Static):
    """Shows the outcome of the last run, or what is happening now."""

    _decoding: tuple[str, Progress] | None = None

    def on_mount(self) -> None:
        self._ticker = self.set_interval(0.2, self._show_progress, pause=True)

    def _show(self, text: Text) -> None:
        """Any new line ends a decode's progress display."""
        if self._decoding is not None:
            self._decoding = None
            self._ticker.pause()
        self.update(text)

    def show_idle(self, message: str = "Ready — ctrl+r sends") -> None:
        self._show(safe(message, "dim"))

    def show_decoding(self, exchange: Exchange, progress: Progress) -> None:
        """A big body arrived and is being decoded: how far, and that Esc stops it."""
        size = human_size(len(exchange.body))
        self._decoding = (f"Received {size} in {exchange.elapsed_ms:.0f} ms · decoding", progress)
        self._show_progress()
        self._ticker.resume()

    @property
    def decoding_label(self) -> str | None:
        """ "Received 47.3 MB in 292 ms" while a decode is shown, else None."""
        return self._decoding[0].removesuffix(" · decoding") if self._decoding is not None else None

    @property
    def decoding(self) -> Progress | None:
        """The decode being shown, if any."""
        return self._decoding[1] if self._decoding is not None else None

    def _show_progress(self) -> None:
        if self._decoding is not None:
            label, progress = self._decoding
            self.update(Text(f"{label} {progress.fraction:.0%} …  (Esc cancels)", style="italic"))

    def show_sending(self, request: RenderedRequest) -> None:
        url = mask_text(request.url, request.secrets)
        self._show(safe(f"Sending {request.method} {url} …  (Esc cancels)", "italic"))

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
        self._show(text)

    def show_error(self, message: str) -> None:
        """One line here; the whole message (it may not fit) in a notification too."""
        message = safe_message(message)  # repr()'s `\x1b` in our `\u001b` notation
        self._show(safe(f"Not sent: {message}", "bold red"))
        self.notify(message, title="Not sent", severity="error", timeout=10)
