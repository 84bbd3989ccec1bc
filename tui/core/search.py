"""Find in a response: nodes of a decoded document by text or by a `*` pattern, text in lines.

Both finders are generators, so a caller shows the first match as soon as it is found and
stops reading when the query changes. Between matches a search may run through a long
stretch of the document, so a `stop` callable is checked every few thousand nodes (or
lines) as well, and a `Scan` counts how far it got.

Paths are built with `tui.core.paths.join_path`, the function the response tree uses, so a
match names exactly the node the tree shows (XML included) and `resolve` accepts it.

Plain text (case-insensitive) matches a node when
- it is an object member whose key contains the text, or
- it is a scalar whose value, as shown (`"Ms"` → `Ms`, `true`, `null`, `42`), contains it, or
- the text holds a `.` and the node's path contains it, the occurrence reaching into the
  path's last segment: `users.3` finds that node, not also every node below it.

A query with `*` is a pattern over dot paths, matched segment by segment against the end
of each path (case-insensitive): `*` stands for any characters within one segment and a
segment `**` for any number of segments. So `users.*.email` finds `users.0.email` and
`data.users.7.email`; `*name` finds every key ending in "name".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from tui.core.bulk import gc_paused
from tui.core.paths import join_path, parse_path

__all__ = ["Scan", "find_in_lines", "find_nodes", "is_pattern", "scalar_text"]

Stop: TypeAlias = Callable[[], bool]

_CHECK_EVERY: Final = 1024  # nodes (or lines) between two calls of `stop`
_ANY: Final = None  # a `**` segment in a compiled pattern
_STAR: Final = "*"  # a `*` segment: any one segment
_INDEX: Final = -1  # the memo's key for every list index, when no segment can match digits


@dataclass
class Scan:
    """How far a search got: nodes (or lines) looked at so far, and whether it finished."""

    seen: int = 0
    done: bool = False


def is_pattern(query: str) -> bool:
    """True when `query` is a path pattern rather than plain text."""
    return "*" in query


def scalar_text(value: Any) -> str:
    """A scalar as a person reads it in the tree: strings bare, JSON spelling for the rest."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def find_nodes(
    document: Any, query: str, *, stop: Stop | None = None, scan: Scan | None = None
) -> Iterator[tuple[str, Any]]:
    """Yield `(path, value)` for each node of `document` that `query` matches, in document order.

    Containers come before their children, as in the tree. A malformed pattern raises
    `PathError` on the first `next()`. An empty query matches nothing. Python's cyclic
    collector is paused until the generator is exhausted or closed: read it to the end, or
    drop it (as a `for` loop left early does).
    """
    query = query.strip()
    scan = scan if scan is not None else Scan()
    if query:
        finder = _find_pattern if is_pattern(query) else _find_text
        with gc_paused():  # the walk's short-lived containers would make the collector walk the document
            yield from finder(document, query, stop, scan)  # sets scan.done unless stopped
    else:
        scan.done = True


def find_in_lines(
    lines: list[str], query: str, *, stop: Stop | None = None, scan: Scan | None = None
) -> Iterator[tuple[int, int]]:
    """Yield `(line index, column)` of every occurrence of `query` (case-insensitive) in order."""
    scan = scan if scan is not None else Scan()
    needle = query.lower()
    if needle:
        size = len(needle)
        for index, line in enumerate(lines):
            if index % _CHECK_EVERY == 0:
                scan.seen = index
                if stop is not None and stop():
                    return
            if needle not in line.lower():  # the common case: one C-level test per line
                continue
            lowered = line.lower()
            column = lowered.find(needle)
            while column >= 0:
                yield index, column
                column = lowered.find(needle, column + size)
    scan.seen = len(lines)
    scan.done = True


# --------------------------------------------------------------------------- plain text
#
# The two walks are written out flat, without a call per node: a 4.5 MB response has some
# 300,000 nodes, and the first match at its end should still show within a fraction of a second.

_SCALARS: Final = (str, int, float, bool, type(None))
_NUMBER_CHARS: Final = frozenset("0123456789.-+eEinfa")
_MEMO_MAX: Final = 65536


def _find_text(document: Any, query: str, stop: Stop | None, scan: Scan) -> Iterator[tuple[str, Any]]:
    needle = query.lower()
    numbers = set(needle) <= _NUMBER_CHARS  # "grace" cannot be in any number
    key_hits: dict[str, bool] = {}
    by_path = _PathTest(needle) if "." in needle else None
    root = _items(document)
    if root is None:  # a scalar or empty document: the root is its only node
        scan.seen = 1
        if not isinstance(document, (dict, list)) and needle in scalar_text(document).lower():
            yield "", document
        scan.done = True
        return
    seen = 0
    stack: list[tuple[str, Iterator[tuple[Any, Any]]]] = [("", root)]
    while stack:
        base, items = stack[-1]
        for key, value in items:
            seen += 1
            if not seen % _CHECK_EVERY:
                scan.seen = seen
                if stop is not None and stop():
                    return
            if type(key) is str:
                hit = key_hits.get(key)
                if hit is None:
                    if len(key_hits) > _MEMO_MAX:
                        key_hits.clear()
                    hit = key_hits[key] = needle in key.lower()
            else:
                hit = False
            kind = type(value)
            if kind is str:
                hit = hit or needle in value.lower()
            elif kind is dict or kind is list or not isinstance(value, _SCALARS):
                children = _items(value)
                if children is not None:
                    path = join_path(base, key)
                    if hit or (by_path is not None and by_path.reaches(base, key, path)):
                        yield path, value
                    stack.append((path, children))
                    break
            else:
                hit = hit or (
                    (numbers or kind is bool or value is None) and needle in scalar_text(value).lower()
                )
            if hit:
                yield join_path(base, key), value
            elif by_path is not None and by_path.reaches(base, key, None):
                yield join_path(base, key), value
        else:
            stack.pop()
    scan.seen, scan.done = seen, True


class _PathTest:
    """Does a query with a dot occur in a node's path, reaching into its last segment?

    Reaching in means the occurrence ends past the parent's path, so `users.3` finds that
    node and not also every node below it. When the last segment has no dot of its own, the
    query's last dot must be the one before it, so the segment starts with what follows that
    dot: a test per distinct key that spares building most paths.
    """

    def __init__(self, needle: str) -> None:
        self.needle = needle
        self.tail = needle.rsplit(".", 1)[1]
        self._possible: dict[Any, bool] = {}

    def reaches(self, parent: str, key: Any, path: str | None) -> bool:
        if type(key) is int:  # an index: bare digits (not memoised: a long list would flood it)
            possible = str(key).startswith(self.tail)
        else:
            memo = self._possible.get(key)
            if memo is None:
                segment = join_path("", key).lower()
                memo = "." in segment or segment.startswith(self.tail)
                if len(self._possible) > _MEMO_MAX:
                    self._possible.clear()
                self._possible[key] = memo
            possible = memo
        if not possible:
            return False
        at = (path or join_path(parent, key)).lower().rfind(self.needle)
        return at >= 0 and at + len(self.needle) > len(parent)


def _items(value: Any) -> Iterator[tuple[Any, Any]] | None:
    """(key or index, child) of a non-empty object or list; None for anything else."""
    if isinstance(value, dict):
        return iter(value.items()) if value else None
    if isinstance(value, list):
        return enumerate(value) if value else None
    return None


# --------------------------------------------------------------------------- patterns


def _find_pattern(document: Any, query: str, stop: Stop | None, scan: Scan) -> Iterator[tuple[str, Any]]:
    """Walk the document with a small NFA over segments: its state is the set of pattern
    positions reached; a subtree no position can reach into is skipped."""
    automaton = _Automaton(query)
    step = automaton.step
    memo = automaton.memo
    end = automaton.end
    digits = automaton.digits_matter
    root = _items(document)
    seen = 0
    stack: list[tuple[str, frozenset[int], Iterator[tuple[Any, Any]]]] = []
    if root is not None:
        stack.append(("", automaton.start, root))
    while stack:
        base, state, items = stack[-1]
        for key, value in items:
            seen += 1
            if not seen % _CHECK_EVERY:
                scan.seen = seen
                if stop is not None and stop():
                    return
            following = memo.get((state, key if digits or type(key) is str else _INDEX)) or step(state, key)
            if end in following:
                path = join_path(base, key)
                yield path, value
            else:
                path = ""
            if following and not isinstance(value, _SCALARS):
                children = _items(value)
                if children is not None:
                    stack.append((path or join_path(base, key), following, children))
                    break
        else:
            stack.pop()
    scan.seen, scan.done = max(seen, 1), True


class _Automaton:
    """Pattern positions: `_ANY` (`**`, any number of segments), `_STAR` (`*`, any one
    segment), or a case-insensitive `fullmatch` for one segment. Steps are memoised per
    (state, key); list indices share one entry unless a segment could match digits, so a
    300,000-item list does not flood the memo."""

    def __init__(self, query: str) -> None:
        segments: list[Any] = [_ANY]  # matched against the end of paths
        self.digits_matter = False
        for segment in parse_path(query):
            text = segment.text
            if text == "**" and not segment.quoted:
                if segments[-1] is not _ANY:
                    segments.append(_ANY)
                continue
            if text == "*" and not segment.quoted:
                segments.append(_STAR)
                continue
            if segment.quoted or "*" not in text:
                segments.append(re.compile(re.escape(text), re.IGNORECASE).fullmatch)
            else:
                parts = (re.escape(part) for part in text.split("*"))
                segments.append(re.compile(".*".join(parts), re.IGNORECASE | re.DOTALL).fullmatch)
            self.digits_matter |= all(c.isdigit() or c == "*" for c in text)
        self.segments = segments
        self.end = len(segments)
        self.start = self._closure({0})
        self.memo: dict[tuple[frozenset[int], Any], frozenset[int]] = {}

    def memo_key(self, key: Any) -> Any:
        """What a step depends on: the key, or for an index only whether digits can matter."""
        if type(key) is str or self.digits_matter:
            return key
        return _INDEX

    def _closure(self, states: set[int]) -> frozenset[int]:
        """A `**` may also match no segment at all."""
        out = set(states)
        for state in states:
            while state < self.end and self.segments[state] is _ANY:
                state += 1
                out.add(state)
        return frozenset(out)

    def step(self, state: frozenset[int], key: Any) -> frozenset[int]:
        """The positions reached after one more segment (a key, or an index)."""
        text = key if type(key) is str else str(key)
        reached: set[int] = set()
        for position in state:
            if position == self.end:
                continue
            segment = self.segments[position]
            if segment is _ANY:
                reached.add(position)
            elif segment is _STAR or segment(text):
                reached.add(position + 1)
        following = self._closure(reached)
        if len(self.memo) > _MEMO_MAX:
            self.memo.clear()
        self.memo[(state, self.memo_key(key))] = following
        return following
