"""How far a long decode has got, and a way to stop it from another thread.

The decoders call `advance(fraction)` between slices of work; it raises `Cancelled` once
`cancel()` was called, so the partial tree is dropped (and its memory freed) at once.
"""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """The decode was cancelled; nothing it built is kept."""


class Progress:
    """Shared by the decoding thread (advance) and the UI (fraction, cancel)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.stopped = threading.Event()
        """Set when the decode saw the cancel and gave up (its partial tree is being dropped)."""
        self.fraction = 0.0

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def advance(self, fraction: float) -> None:
        """Record progress; raise Cancelled if the decode should stop."""
        self.fraction = fraction
        if self._stop.is_set():
            self.stopped.set()
            raise Cancelled
