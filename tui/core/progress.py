"""How far a long decode has got, what it has built so far, and a way to stop it from
another thread.

The decoders call `advance(fraction)` between slices of work; it raises `Cancelled` once
`cancel()` was called, and the decoder then frees its partial tree a batch at a time
(`bulk.dismantle`). A decoder that can describe its unfinished tree sets `snapshot`;
`advance` then publishes `partial` (a `tui.core.partial.Partial`) at most every
SNAPSHOT_EVERY seconds, from the decoding thread, where the tree is not changing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tui.core.bulk import give_way
from tui.core.partial import Partial

SNAPSHOT_EVERY = 0.2
"""Seconds between two snapshots of the unfinished tree (a screen refreshes about as often)."""


class Cancelled(Exception):
    """The decode was cancelled; nothing it built is kept."""


class Progress:
    """Shared by the decoding thread (advance) and the UI (fraction, partial, cancel)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.stopped = threading.Event()
        """Set by the decoder when it saw the cancel, gave up and freed what it had built."""
        self.fraction = 0.0
        self.snapshot: Callable[[], Partial | None] | None = None
        """Set by the decoder: describes its unfinished tree; called only from its thread."""
        self.partial: Partial | None = None
        """The last snapshot published: finished values only, None before the first."""
        self._due = 0.0

    def cancel(self) -> None:
        self._stop.set()

    def done(self) -> None:
        """The decoder returned or gave up: drop its snapshot function and the last snapshot.

        The function closes over the decoder, which holds this Progress: a reference cycle.
        Frozen with the finished tree (`bulk.gc_paused(freeze=True)`), that cycle would keep
        the snapshot's values, most of the tree, for the life of the process."""
        self.snapshot = None
        self.partial = None

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def advance(self, fraction: float) -> None:
        """Record progress (and now and then a snapshot); raise Cancelled if the decode should stop.

        Right after a key or a click it first pauses (`bulk.give_way`): the screen answers first."""
        self.fraction = fraction
        give_way()
        if self._stop.is_set():
            self.partial = None  # its values are about to be freed: the UI must not keep them
            raise Cancelled
        if self.snapshot is not None and (now := time.monotonic()) >= self._due:
            self._due = now + SNAPSHOT_EVERY
            self.partial = self.snapshot()
