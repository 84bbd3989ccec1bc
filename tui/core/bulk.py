"""Bulk work on big documents: pause Python's cyclic garbage collector while it runs.

Parsing or walking a 4.5 MB response allocates hundreds of thousands of containers, none of
them garbage; each allocation burst makes the collector walk the whole growing heap again,
which costs as much as the parse itself. The collector is switched back on afterwards (if
it was on), so nothing is leaked: cycles made meanwhile are collected at the next run.

A tree the app keeps (a 48 MB response: millions of objects) is also frozen (`gc.freeze`)
when built: otherwise each later full collection walks all of it in one stretch that holds
the GIL (~1 s), a frozen screen. Reference counting still frees it when the response goes;
only garbage cycles among the objects alive at that moment are left for good.

Freeing such a tree is as long a stretch as building it: `dismantle` and `release_later`
free it a batch at a time instead (a cancelled decode; a big response replaced by the next).

Bulk work in a thread also gives way to the person at the keyboard (`give_way`): for a moment
after each key or click (`input_arrived`) it sleeps between slices instead of sharing the GIL,
so the UI thread answers at its own speed rather than at half of it.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off; nested and concurrent uses are harmless.

    With `freeze`, what is alive at the end of a block that succeeded is kept out of later
    collections (not after a failure: the traceback's frames, soon garbage, hold the body)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if enabled:
            gc.enable()


GIVE_WAY = 0.15
"""Seconds bulk work pauses after an input: a key's whole effect on the screen (~0.1 s of CPU)."""

_input_at = float("-inf")  # monotonic time of the last input (written by the UI thread only)
_resumed_at = float("-inf")  # when the last pause ended (per process: pauses are rare and short)


def input_arrived() -> None:
    """The UI got a key or a click: bulk work in other threads gives way for GIVE_WAY seconds."""
    global _input_at
    _input_at = time.monotonic()


def give_way() -> None:
    """Called by bulk work between slices: after an input, sleep until GIVE_WAY has passed.

    Sharing the GIL with a busy thread makes the UI thread wait for it after every read of
    the terminal (the interpreter's switch interval, 5 ms, each time), so a key's 0.1 s of
    work took several times as long. After a pause the work runs at least GIVE_WAY seconds
    before pausing again: keys held down slow a decode by half at most, never stop it."""
    global _resumed_at
    now = time.monotonic()
    wait = _input_at + GIVE_WAY - now
    if wait > 0 and now - _resumed_at >= GIVE_WAY:
        time.sleep(wait)
        _resumed_at = time.monotonic()


BATCH = 20_000
"""Objects freed between two chances for other threads to take the GIL (~1–2 ms of work)."""

_DEPTH = 8  # levels `_weight` looks down
_WAIT = 30.0  # seconds `release_later` waits for the rest of the app to let go of a tree


def dismantle(*containers: Any, owned_only: bool = False) -> None:
    """Empty `containers` (and the big containers in them) in place, a batch at a time.

    Dropping the last reference to a 48 MB tree frees millions of objects in one C call
    that holds the GIL for ~0.5 s: a frozen screen, whichever thread drops it. Emptied a
    batch at a time, the same work leaves the GIL free for the UI thread between batches.
    Without `owned_only` the containers are emptied even if something else still refers to
    them (a cancelled decode's own tree); with it, a container another object still holds
    is left whole (it is freed wherever its last reference goes)."""
    todo = list(containers)
    del containers
    while todo:
        container = todo.pop()
        if owned_only and sys.getrefcount(container) > 2:  # this name and the call's argument
            continue
        _empty(container, todo)
        container = None
        time.sleep(0)
        give_way()


def release_later(value: Any) -> None:
    """Free `value` (a big tree the app no longer shows) in a background thread, a batch at a
    time, once the rest of the app has let go of it; only the containers nothing else holds
    are emptied. The caller must drop its own references right after the call."""
    holder = [value]
    del value
    threading.Thread(target=_release, args=(holder,), name="hookbench-release", daemon=True).start()


def _release(holder: list[Any]) -> None:
    deadline = time.monotonic() + _WAIT
    while sys.getrefcount(holder[0]) > 2 and time.monotonic() < deadline:  # the list, the argument
        time.sleep(0.05)
    dismantle(holder.pop(), owned_only=True)


def _empty(container: Any, todo: list[Any]) -> None:
    """Empty one container; children too big to free in one stretch go to `todo`."""
    if type(container) is dict:
        items = list(container.values())
        container.clear()
    elif type(container) is list:
        items = container
    else:
        return
    freed = 0
    while items:
        child = items.pop()
        kind = type(child)
        if kind is dict or kind is list:
            weight = _weight(child)
            if weight >= BATCH:
                todo.append(child)
                weight = 0
            freed += weight
        freed += 1
        child = None  # freed here when nothing else holds it
        if freed >= BATCH:
            time.sleep(0)
            give_way()
            freed = 0


def _weight(value: Any) -> int:
    """How many objects `value` holds, counted up to BATCH; BATCH past _DEPTH levels down
    (a deep chain is then taken apart a level at a time, never weighed again and again)."""
    count = 0
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        values = item.values() if type(item) is dict else item
        count += len(values)
        if count >= BATCH or depth == _DEPTH:
            return BATCH
        stack.extend((child, depth + 1) for child in values if type(child) is dict or type(child) is list)
    return count
