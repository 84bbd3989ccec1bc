"""Bulk work on big documents: pause Python's cyclic garbage collector while it runs.

Parsing or walking a 4.5 MB response allocates hundreds of thousands of containers, none of
them garbage; each allocation burst makes the collector walk the whole growing heap again,
which costs as much as the parse itself. The collector is switched back on afterwards (if
it was on), so nothing is leaked: cycles made meanwhile are collected at the next run.

A tree the app keeps (a 48 MB response: millions of objects) is also frozen (`gc.freeze`)
when built: otherwise each later full collection walks all of it in one stretch that holds
the GIL (~1 s), a frozen screen. Reference counting still frees it when the response goes;
only garbage cycles among the objects alive at that moment are left for good.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off; nested and concurrent uses are harmless.

    With `freeze`, what is alive at the end is kept out of later collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()
