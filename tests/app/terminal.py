"""Input as a terminal delivers it: events sent through the driver, with no wait for the app.

Pilot waits for the app to settle after each key or click; an SSH link or a key repeat does
not. These helpers post raw key, mouse and paste events the way Textual's input thread does,
so events can queue up behind each other as they do for a person typing fast.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key


class Terminal:
    """Posts events to a running app (inside `run_test`) as its terminal driver would."""

    def __init__(self, app: App) -> None:
        assert app._driver is not None, "use inside app.run_test()"
        self.app = app
        self._driver = app._driver

    def key(self, key: str) -> None:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
        except KeyError:
            char = key if len(key) == 1 else None
        self._send(events.Key(key, char))

    def mouse_down(self, x: int, y: int, button: int = 1) -> None:
        self._send(mouse_event(events.MouseDown, x, y, button))

    def mouse_up(self, x: int, y: int, button: int = 1) -> None:
        self._send(mouse_event(events.MouseUp, x, y, button))

    def click(self, x: int, y: int, *, times: int = 1) -> None:
        """Press and release `times` times at (x, y); the app makes the Click events."""
        for _ in range(times):
            self.mouse_down(x, y)
            self.mouse_up(x, y)

    def scroll(self, x: int, y: int, *, down: bool = True) -> None:
        self._send(mouse_event(events.MouseScrollDown if down else events.MouseScrollUp, x, y, 0))

    def move(self, x: int, y: int) -> None:
        self._send(mouse_event(events.MouseMove, x, y, 0))

    def paste(self, text: str) -> None:
        self._send(events.Paste(text))

    def _send(self, event: events.Event) -> None:
        event.set_sender(self.app)
        self._driver.process_message(event)


def mouse_event(kind: type[events.MouseEvent], x: int, y: int, button: int = 1) -> events.MouseEvent:
    return kind(None, x, y, 0, 0, button, False, False, False, screen_x=x, screen_y=y)
