"""Bulk work on big documents: pause Python's cyclic garbage collector while it runs.

Parsing or walking a 4.5 MB response allocates hundreds of thousands of containers, none of
them garbage; each allocation burst makes the collector walk the whole growing heap again,
which costs as much as the parse itself. The collector is switched back on afterwards (if
it was on), so nothing is leaked: cycles made meanwhile are collected at the next run.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; nested and concurrent uses are harmless."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
