"""The shape of a response document: every path with list indices collapsed to `*`.

`users.*.title  string  (2)`: the path as the tree writes it (keys bare or quoted by
`tui.core.paths`, so XML paths read as the viewer shows them), the type(s) found there and
how many nodes share that path. A 30,000-record response has a shape of a screen or so,
and two responses have the same shape when their vendor did not change the payload, even
when the lists are of different lengths.

The walk is columnar: all values that share a collapsed path are handled as one batch,
and each key of objects that share their keys is read by one C-level `map`, so the cost per
node is a few C-level operations rather than a Python call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any, Final

from tui.core.bulk import gc_paused
from tui.core.paths import ROOT_DISPLAY, format_segment, parse_path

__all__ = ["TYPE_ORDER", "WILDCARD", "PathShape", "Shape", "fold_repeats", "format_shape", "shape_of"]

WILDCARD: Final = "*"
"""Stands for every index of a list: `users.*.title`."""

TYPE_ORDER: Final = ("object", "list", "string", "number", "boolean", "null")
_RANK = {name: rank for rank, name in enumerate(TYPE_ORDER)}
_NAMES: dict[type, str] = {
    dict: "object",
    list: "list",
    tuple: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


@dataclass(frozen=True, slots=True)
class PathShape:
    """What occurs at one collapsed path: its type names (in TYPE_ORDER) and how many nodes."""

    types: tuple[str, ...]
    count: int

    @property
    def type_text(self) -> str:
        """`string` or `string|null`."""
        return "|".join(self.types)


Shape = dict[str, PathShape]
"""Collapsed path → PathShape, in document order (the root, `""`, first)."""


def _name(kind: type) -> str:
    name = _NAMES.get(kind)
    if name is None:  # subclasses (an OrderedDict from an older xmltodict) and oddities
        for base, base_name in list(_NAMES.items()):
            if issubclass(kind, base) and base is not bool:
                name = base_name
                break
        else:
            name = kind.__name__
        _NAMES[kind] = name
    return name


def _segment(key: Any) -> str:
    """A key as the tree writes it; a key that is literally `*` is quoted, so it is no wildcard."""
    text = format_segment(key if isinstance(key, str) else str(key))
    return '"*"' if text == WILDCARD else text


def shape_of(document: Any) -> Shape:
    """The shape of a parsed JSON or XML document (see the module doc)."""
    with gc_paused():
        return _shape_of(document)


def _shape_of(document: Any) -> Shape:
    found: dict[str, tuple[set[type], int]] = {}
    stack: list[tuple[str, list[Any]]] = [("", [document])]
    while stack:
        path, values = stack.pop()
        kinds = set(map(type, values))
        found[path] = (kinds, len(values))
        children: list[tuple[str, list[Any]]] = []
        if kinds == {dict}:
            children += _object_columns(path, values)
        elif _has(kinds, dict):
            children += _object_columns(path, [v for v in values if isinstance(v, dict)])
        if kinds == {list}:
            items = list(chain.from_iterable(values))
        elif _has(kinds, list) or _has(kinds, tuple):
            items = list(chain.from_iterable(v for v in values if isinstance(v, (list, tuple))))
        else:
            items = []
        if items:
            children.append((_join(path, WILDCARD), items))
        stack.extend(reversed(children))
    return {path: _path_shape(kinds, count) for path, (kinds, count) in found.items()}


def _has(kinds: set[type], base: type) -> bool:
    return any(issubclass(kind, base) for kind in kinds)


def _join(path: str, segment: str) -> str:
    return f"{path}.{segment}" if path else segment


def _object_columns(path: str, objects: list[dict[Any, Any]]) -> list[tuple[str, list[Any]]]:
    """Each key's values across `objects`, keys in first-seen order.

    Objects with the same keys in the same order (records of one list, usually) form one
    group, and each key's column is taken from the whole group by one C-level `map`.
    """
    groups: dict[tuple[Any, ...], list[dict[Any, Any]]] = {}
    for obj in objects:
        keys = tuple(obj)
        group = groups.get(keys)
        if group is None:
            groups[keys] = [obj]
        else:
            group.append(obj)
    columns: dict[Any, list[Any]] = {}
    for keys, members in groups.items():
        if not keys:
            continue
        for key in keys:
            column = list(map(itemgetter(key), members))
            existing = columns.get(key)
            if existing is None:
                columns[key] = column
            else:
                existing.extend(column)
    return [(_join(path, _segment(key)), values) for key, values in columns.items()]


def _path_shape(kinds: set[type], count: int) -> PathShape:
    names = {_name(kind) for kind in kinds}
    return PathShape(tuple(sorted(names, key=lambda n: _RANK.get(n, len(_RANK)))), count)


def fold_repeats(shape: Mapping[str, PathShape]) -> Shape:
    """XML's view of lists: an element that occurs once or many times has the same shape.

    xmltodict reads one `<user>` as an object and two as a list, so `user.name` and
    `user.*.name` are the same field; the resolver accepts `user.0.name` for both. Folding
    drops the `*` segments and the `list` type of a repeated element.
    """
    folded: dict[str, tuple[set[str], int]] = {}
    for path, entry in shape.items():
        types = set(entry.types)
        if _join(path, WILDCARD) in shape:
            types.discard("list")
            if not types:
                continue
        key = _without_wildcards(path) if WILDCARD in path else path
        if key in folded:
            known, count = folded[key]
            folded[key] = (known | types, max(count, entry.count))
        else:
            folded[key] = (types, entry.count)
    return {
        path: PathShape(tuple(sorted(types, key=lambda n: _RANK.get(n, len(_RANK)))), count)
        for path, (types, count) in folded.items()
    }


def _without_wildcards(path: str) -> str:
    segments = parse_path(path)
    return ".".join(
        _segment(segment.text) for segment in segments if segment.quoted or segment.text != WILDCARD
    )


def format_shape(shape: Mapping[str, PathShape], *, width_cap: int = 60) -> Iterable[str]:
    """`users.*.title  string  (2)` lines, paths and types in aligned columns; the root is `.`."""
    if not shape:
        return []
    width = min(max(len(path or ROOT_DISPLAY) for path in shape), width_cap)
    types = max(len(entry.type_text) for entry in shape.values())
    return (
        f"{(path or ROOT_DISPLAY).ljust(width)}  {entry.type_text.ljust(types)}  ({entry.count})"
        for path, entry in shape.items()
    )
