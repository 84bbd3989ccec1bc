"""A big document's top levels while it is still being decoded, holding only finished values.

The decoder builds a `Partial` between slices, in its own thread (the only one changing the
tree, so the copy is consistent), and hands it to `Progress`; the UI draws it as a preview.
Each `Level` is an open container, outermost first: a shallow copy of its finished members
and the key (or index) of the member being read, whose own open container is the next level.
A member is finished when its value is complete: JSON sets a key only once its value is
parsed and appends list items whole. XML (xmltodict's mapping) gathers repeated siblings in a
list as they come, so the group the parser may still add to — the element being read, or the
last one read while nothing else has opened — is shown as the pending member, its finished
items as the next level. (A name that repeats after other siblings, `<a/><b/><a/>`, turns a
finished `a` into a list later: xmltodict's mapping cannot be known before the end.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_LEVELS = 12
"""Deeper open containers are not shown (a 200k-deep document must not cost a 200k-level copy)."""


@dataclass(frozen=True)
class Level:
    """An open container: `value` holds copies of its finished members only."""

    value: dict[str, Any] | list[Any] | None
    """None when the kind is not known yet (an XML element with nothing finished in it)."""
    pending: str | int | None
    """The key or index being read; None between members."""


Partial = tuple[Level, ...]
"""Open containers, outermost first; level i+1 is the value of level i's pending member."""


def json_partial(frames: Sequence[list[Any]]) -> Partial | None:
    """From the JSON walker's open containers: each frame is `[container, key being read]`;
    None when nothing is open (before the top level, or after it)."""
    levels: list[Level] = []
    for container, pending in frames[:MAX_LEVELS]:
        value = dict(container) if type(container) is dict else container[:]
        levels.append(Level(value, pending))
        if pending is None:
            break
    return tuple(levels) or None


def xml_partial(state: Callable[[], tuple[list[tuple[Any, Any, str]], Any]]) -> Partial | None:
    """From the XML builder's state: its stack of `(parent item, parent text mark, name)` per open
    element and the innermost element's item (a dict, or None while nothing is in it)."""
    stack, item = state()
    depth = len(stack)
    if depth == 0:
        return None
    levels = [Level({}, stack[0][2])]
    for k in range(min(depth, MAX_LEVELS)):
        element = item if k == depth - 1 else stack[k + 1][0]
        child = stack[k + 1][2] if k + 1 < depth else None
        members = dict(element) if element else {}
        if child is None:  # nothing open inside: the last group read may still grow
            child = next((key for key in reversed(members) if key[:1] != "@"), None)
            if child is None:
                levels.append(Level(members or None, None))
                break
        if child in members:  # a group of repeated siblings still growing
            group = members.pop(child)
            levels.append(Level(members, child))
            items = group[:] if type(group) is list else [group]
            levels.append(Level(items, len(items) if k + 1 < depth else None))
            if k + 1 == depth:
                break
            continue
        levels.append(Level(members, child))
    return tuple(levels)
