"""Keep Python's cycle collector off the big, acyclic trees a decode builds.

Building 300,000 records with the collector on takes twice as long (it scans the young
objects again and again), and once built, each later full collection would walk all of
them in one stretch that holds the GIL (~1 s for 48 MB of JSON). So the collector is
paused while a big tree is built and the objects alive at the end are frozen
(`gc.freeze`): reference counting still frees them when the response goes away.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_building = 0
_was_enabled = True


@contextmanager
def building_big_tree(big: bool = True) -> Iterator[None]:
    """Pause the cycle collector while the block builds a big tree (no-op when not `big`)."""
    global _building, _was_enabled
    if not big:
        yield
        return
    with _lock:
        if _building == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _building += 1
    try:
        yield
    finally:
        with _lock:
            _building -= 1
            if _building == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()
