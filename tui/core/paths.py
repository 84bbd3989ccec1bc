r"""Dot paths: name any node of a response document, and find the node a path names.

A document is a JSON value or the output of xmltodict: dicts, lists, str, int, float,
bool and None. One module both generates paths (`iter_leaves`, `format_path`) and
resolves them (`resolve`, `lookup`), so the two agree on every key.

Dot notation
------------
A path is segments joined by `.`; `users.0.title` walks object keys and list indices.
The empty path `""` is the document root.

A segment is written bare when it is a non-empty key made only of characters other than
`.`, `"`, `\`, `[`, `]`, whitespace and control characters, and it is not all ASCII
digits. So `@id`, `#text`, `soap:Envelope`, `a-b` and `ünï` are bare. Otherwise it is
quoted: `"..."` with `\"` and `\\` as escapes, and every control character (C0 — tab
and newline included —, DEL and C1) written `\u001b`, four hex digits: a path is one
line of plain text, safe to print, whatever the key holds. So a key `a.b` is written
`"a.b"`, the empty key `""`, a key `0` of an object `"0"`, `first name` is
`"first name"` and a key holding ESC `"\u001b]0;x"`. A list index is bare digits (`0`,
`12`). When reading, `\uXXXX` inside quotes stands for any character, and any other
character inside quotes stands for itself.

Resolving a segment: a quoted segment is always an object key. Bare digits on a list
are an index; bare digits on an object are the key if the object has it (lenient for
hand-written paths). Bare digits `0` on a value that is not a list are that value
itself: xmltodict reads an element that occurs once as an object, not a one-element
list, so `user.0.name` works whether there is one `<user>` or many. Any other index on
a value that is not a list is an error. A bare segment that is not digits is a key of
an object; anything else is an error.

Generated paths never rely on the lenient rules: they quote digit-only object keys and
emit indices only for real lists.

In `hookbench paths` output (`format_leaf_line`) each leaf is one line
`path = <json>`, e.g. `users.0.title = "Ms"`; the root, whose path is empty, is shown
as `.` there (a scalar or empty document has a single leaf, the root).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from operator import add, itemgetter
from typing import Any, Final, TypeAlias

from tui.core.errors import PathError
from tui.core.safe_text import CONTROL_CHARACTERS, escape_control, safe_text

__all__ = [
    "ROOT_DISPLAY",
    "ParsedSegment",
    "Segment",
    "describe_kind",
    "format_leaf_line",
    "format_path",
    "format_segment",
    "iter_leaves",
    "join_path",
    "leaf_text",
    "lookup",
    "parse_path",
    "resolve",
]

Segment: TypeAlias = str | int
"""A step of a path: a `str` is an object key, an `int` a list index."""

ROOT_DISPLAY: Final = "."
"""How `format_leaf_line` shows the root path (which is the empty string)."""

# A bare segment may not contain any of these; whitespace is whatever `\s` (str.isspace) matches.
_NOT_BARE = re.compile(r'[."\\\[\]\s' + CONTROL_CHARACTERS + "]")
# The same, without the dot: for scanning a whole unquoted path at once.
_NOT_BARE_IN_PATH = re.compile(r'["\\\[\]\s' + CONTROL_CHARACTERS + "]")
# Inside quotes, what `_quote` escapes.
_QUOTED_ESCAPE = re.compile(r'["\\' + CONTROL_CHARACTERS + "]")
_HEX4 = re.compile(r"[0-9A-Fa-f]{4}")
_KEYS_SHOWN = 5
_DEEP = 64  # past this depth iter_leaves stops keeping a formatted prefix per level

# Formatted segment per key: response keys repeat across records, so most lookups hit.
_segment_cache: dict[str, str] = {}
_SEGMENT_CACHE_MAX = 65536


@dataclass(frozen=True, slots=True)
class ParsedSegment:
    """One segment of a parsed path: its text (escapes undone) and whether it was quoted."""

    text: str
    quoted: bool = False

    @property
    def is_digits(self) -> bool:
        """True for a bare all-ASCII-digit segment: an index (or, leniently, a key)."""
        return not self.quoted and self.text.isascii() and self.text.isdigit()


# --------------------------------------------------------------------------- generating


def _quote(key: str) -> str:
    return '"' + _QUOTED_ESCAPE.sub(_escape_quoted, key) + '"'


def _escape_quoted(match: re.Match[str]) -> str:
    char = match.group()
    return "\\" + char if char in '"\\' else escape_control(char)


def _format_key(key: str) -> str:
    """Format an object key, through the cache."""
    if type(key) is not str:  # not in JSON or xmltodict output, but be safe
        return _format_key(str(key))
    text = _segment_cache.get(key)
    if text is None:
        if not key or _NOT_BARE.search(key) is not None or (key.isascii() and key.isdigit()):
            text = _quote(key)
        else:
            text = key
        if len(_segment_cache) >= _SEGMENT_CACHE_MAX:
            _segment_cache.clear()
        _segment_cache[key] = text
    return text


def format_segment(segment: Segment) -> str:
    """Write one segment: a key bare or quoted as the notation requires, an index as digits."""
    if isinstance(segment, str):
        return _format_key(segment)
    if isinstance(segment, int) and not isinstance(segment, bool):
        if segment < 0:
            raise ValueError(f"a list index cannot be negative: {segment}")
        return str(segment)
    raise TypeError(f"a path segment is a str key or an int index, not {type(segment).__name__}")


def format_path(segments: Sequence[Segment]) -> str:
    """Join segments into a path; `[]` gives the root path `""`."""
    return ".".join([format_segment(segment) for segment in segments])


def join_path(prefix: str, segment: Segment) -> str:
    """The path of a child: an already formatted `prefix` plus one more segment."""
    text = format_segment(segment)
    return prefix + "." + text if prefix else text


# --------------------------------------------------------------------------- parsing


def _bad_path(path: str, reason: str) -> PathError:
    return PathError(f"bad path '{safe_text(path, single_line=True)}': {reason}")


def _bad_char(path: str, char: str, column: int) -> PathError:
    if char in "[]":
        what, hint = repr(char), "write a list index as .0, and quote a key that has brackets"
    elif _QUOTED_ESCAPE.match(char) and char not in '"\\':
        what = escape_control(char)
        hint = f'quote a key that has it, with the character written {what}: "..."'
    else:
        what, hint = repr(char), 'quote a key that has it: "..."'
    return _bad_path(path, f"unexpected {what} at column {column} ({hint})")


def parse_path(path: str) -> list[ParsedSegment]:
    """Split a path into segments; raise `PathError` (with the column) if it is malformed."""
    return list(_parse(path))


@lru_cache(maxsize=1024)
def _parse(path: str) -> tuple[ParsedSegment, ...]:
    if not path:
        return ()
    if _NOT_BARE_IN_PATH.search(path) is None:
        # Fast path: no quoting, so the segments are exactly the pieces between dots.
        pieces = path.split(".")
        if "" not in pieces:
            return tuple([ParsedSegment(piece, False) for piece in pieces])
    # Quoting, or an error to locate: scan character by character.
    return tuple(_parse_slow(path))


def _parse_slow(path: str) -> list[ParsedSegment]:
    segments: list[ParsedSegment] = []
    n = len(path)
    i = 0
    while True:
        if i < n and path[i] == '"':
            start = i
            i += 1
            parts: list[str] = []
            while True:
                quote = path.find('"', i)
                backslash = path.find("\\", i, quote if quote >= 0 else n)
                if backslash >= 0:
                    parts.append(path[i:backslash])
                    if backslash + 1 >= n:
                        raise _bad_path(path, f"unterminated quote at column {start + 1}")
                    escaped = path[backslash + 1]
                    if escaped in '"\\':
                        parts.append(escaped)
                        i = backslash + 2
                        continue
                    hex_digits = path[backslash + 2 : backslash + 6]
                    if escaped == "u" and _HEX4.fullmatch(hex_digits):
                        parts.append(chr(int(hex_digits, 16)))
                        i = backslash + 6
                        continue
                    raise _bad_path(
                        path,
                        f"bad escape '\\{safe_text(escaped, single_line=True)}' at column {backslash + 1}"
                        ' (the escapes are \\", \\\\ and \\u with four hex digits)',
                    )
                if quote < 0:
                    raise _bad_path(path, f"unterminated quote at column {start + 1}")
                parts.append(path[i:quote])
                i = quote + 1
                break
            segments.append(ParsedSegment("".join(parts), True))
            if i == n:
                return segments
            if path[i] != ".":
                raise _bad_path(path, f"expected '.' after the closing quote at column {i + 1}")
            i += 1
        else:
            end = path.find(".", i)
            if end < 0:
                end = n
            text = path[i:end]
            if not text:
                raise _bad_path(path, f"empty segment at column {i + 1}")
            bad = _NOT_BARE.search(text)
            if bad is not None:
                raise _bad_char(path, bad.group(), i + bad.start() + 1)
            segments.append(ParsedSegment(text, False))
            if end == n:
                return segments
            i = end + 1


# --------------------------------------------------------------------------- resolving


def describe_kind(value: Any) -> str:
    """A short human kind: "object (3 keys)", "list (1 item)", "string", "number", "boolean", "null"."""
    if isinstance(value, dict):
        n = len(value)
        return f"object ({n} key{'' if n == 1 else 's'})"
    if isinstance(value, (list, tuple)):
        n = len(value)
        return f"list ({n} item{'' if n == 1 else 's'})"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def _a_kind(value: Any) -> str:
    """`describe_kind` with an article, for "is a string" / "is null"."""
    if value is None:
        return "null"
    kind = describe_kind(value)
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _where(segments: Sequence[ParsedSegment], upto: int) -> str:
    if upto == 0:
        return "the root"
    return "'" + _format_parsed(segments[:upto]) + "'"


def _format_parsed(segments: Sequence[ParsedSegment]) -> str:
    return ".".join([_quote(s.text) if s.quoted else s.text for s in segments])


def _shown(segment: ParsedSegment) -> str:
    return "'" + (_quote(segment.text) if segment.quoted else segment.text) + "'"


def _keys_hint(obj: dict[Any, Any]) -> str:
    if not obj:
        return "(no keys)"
    keys = [_format_key(str(key)) for key in list(obj)[:_KEYS_SHOWN]]
    more = " …" if len(obj) > _KEYS_SHOWN else ""
    return f"(keys: {', '.join(keys)}{more})"


def _index(digits: str) -> int:
    """The index bare digits stand for; absurdly long ones are simply out of range."""
    digits = digits.lstrip("0")
    if len(digits) > 18:
        return sys.maxsize
    return int(digits) if digits else 0


def _step(value: Any, segment: ParsedSegment) -> tuple[bool, Any]:
    """Apply one segment to a value: (True, child) or (False, None)."""
    text = segment.text
    if isinstance(value, dict):
        if text in value:
            return True, value[text]
        if segment.is_digits and _index(text) == 0:
            return True, value
        return False, None
    if segment.is_digits:
        index = _index(text)
        if isinstance(value, (list, tuple)):
            if index < len(value):
                return True, value[index]
            return False, None
        if index == 0:
            return True, value
    return False, None


def _why(value: Any, segment: ParsedSegment, where: str) -> str:
    """Explain why `_step(value, segment)` failed; `where` names `value`."""
    if isinstance(value, dict):
        if segment.is_digits:
            return (
                f"{where} is {_a_kind(value)}, not a list, so only index 0 applies to it,"
                f" and it has no key {_shown(segment)} {_keys_hint(value)}"
            )
        return f"key {_shown(segment)} not found in {where} {_keys_hint(value)}"
    if isinstance(value, (list, tuple)):
        n = len(value)
        if segment.is_digits:
            if n == 0:
                return f"{where} is an empty list"
            return f"{where} has {n} item{'' if n == 1 else 's'}"
        if segment.quoted:
            return (
                f"{where} is {_a_kind(value)}, not an object: {_shown(segment)} is quoted,"
                " so it is a key, not an index"
            )
        return f"{where} is {_a_kind(value)}, not an object: {_shown(segment)} is not an index"
    if segment.is_digits:
        return f"{where} is {_a_kind(value)}, not a list"
    return f"{where} is {_a_kind(value)}, not an object"


def lookup(document: Any, path: str) -> tuple[bool, Any]:
    """Find the value at `path`: `(True, value)`, or `(False, None)` if there is none.

    A malformed path still raises `PathError`: it is a mistake to show, not an absence.
    """
    value = document
    for segment in _parse(path):
        found, value = _step(value, segment)
        if not found:
            return False, None
    return True, value


def resolve(document: Any, path: str) -> Any:
    """The value at `path`; raise `PathError` naming the path and where it stopped."""
    segments = _parse(path)
    value = document
    for depth, segment in enumerate(segments):
        found, child = _step(value, segment)
        if not found:
            reason = _why(value, segment, _where(segments, depth))
            raise PathError(f"no value at '{path}': {reason}")
        value = child
    return value


# --------------------------------------------------------------------------- leaves


def iter_leaves(document: Any, prefix: Sequence[Segment] = ()) -> Iterator[tuple[str, Any]]:
    """Yield `(path, value)` for every leaf in document order.

    Leaves are scalars and empty objects and lists. `prefix` is prepended to every path
    (for walking a subtree). Iterative, with an explicit stack: any nesting depth is safe.
    """
    for batch in _leaf_batches(document, format_path(prefix), lines=False):
        assert isinstance(batch, list)  # pairs mode gives lists
        yield from batch


def leaf_text(document: Any) -> Iterator[str]:
    """`format_leaf_line` of every leaf, in document order, as runs of whole lines (each
    ending in a newline), a few thousand lines at a time.

    What `hookbench paths` prints: the walk of `iter_leaves`, each line built in place, and a
    list of records alike (an export) a column at a time (see `_record_columns`)."""
    for batch in _leaf_batches(document, "", lines=True):
        yield batch if type(batch) is str else "\n".join(batch) + "\n"


_BATCH = 4096  # lines (or pairs) per batch: output starts early, memory stays flat
_MIN_RECORDS = 16  # a list this long is tried as records alike (see _record_columns)
_RECORD_DEPTH = 16


def _leaf_batches(document: Any, root: str, *, lines: bool) -> Iterator[list[Any] | str]:
    """Batches of `(path, value)` pairs, or, when `lines`, of `format_leaf_line` lines (a
    list) and runs of records' lines (text, each line ending in a newline)."""
    if type(document) is list and len(document) >= _MIN_RECORDS:
        columns = _record_columns(document)
        if columns is not None:
            yield from _record_batches(root + "." if root else "", document, columns, lines)
            return
    frame = _frame(document)
    if frame is None:
        yield [format_leaf_line(root, document) if lines else (root, document)]
        return
    scalars = _SCALAR_TYPES
    get = _segment_cache.get
    format_key = _format_key
    batch: list[Any] = []
    append = batch.append
    # A frame: (the container's formatted path + "." ("" at the root), its (key, child)
    # pairs, whether keys still need formatting (object) or are index digits (list), its own
    # segment). Past _DEEP levels the path is not kept per frame (that would be quadratic
    # memory): `_deep_base` joins the frames' segments when needed.
    stack: list[tuple[str | None, Iterator[tuple[Any, Any]], bool, str]] = [
        (root + "." if root else "", *frame, root)
    ]
    push = stack.append
    while stack:
        base, items, keyed, _ = stack[-1]
        for key, value in items:
            text = (get(key) or format_key(key)) if keyed else key
            kind = type(value)
            if kind is list and len(value) >= _MIN_RECORDS:
                columns = _record_columns(value)
                if columns is not None:
                    if base is None:
                        base = _deep_base(stack)
                    if batch:
                        yield batch
                        batch = []
                        append = batch.append
                    yield from _record_batches(f"{base}{text}.", value, columns, lines)
                    continue
            if kind not in scalars:
                frame = _frame(value)
                if frame is not None:
                    push(
                        (f"{base}{text}." if base is not None and len(stack) < _DEEP else None, *frame, text)
                    )
                    break
            if base is None:
                base = _deep_base(stack)
            if not lines:
                append((base + text, value))
            else:
                append(f"{base}{text} = {_string_json(value) if kind is str else _value_json(value)}")
            if len(batch) >= _BATCH:
                yield batch
                batch = []
                append = batch.append
        else:
            stack.pop()
    if batch:
        yield batch


def _deep_base(stack: list[tuple[str | None, Any, bool, str]]) -> str:
    """The formatted path of the innermost frame plus ".", from every frame's segment."""
    return ".".join([segment for _, _, _, segment in stack if segment]) + "."


def _frame(value: Any) -> tuple[Iterator[tuple[Any, Any]], bool] | None:
    """(child pairs, keyed) of a non-empty object or list; None for a leaf."""
    if isinstance(value, dict):
        return (iter(value.items()), True) if value else None
    if isinstance(value, (list, tuple)):
        return (zip(map(str, range(len(value))), value), False) if value else None
    return None


_SCALAR_TYPES: Final = frozenset({str, int, float, bool, type(None)})


def _record_columns(records: list[Any], depth: int = 0) -> list[tuple[str, list[Any]]] | None:
    """The leaves of a list of records alike, as (relative path, one value per record)
    columns; None for any other list.

    Records alike (an export's rows: xmltodict's repeated elements, a JSON array of objects)
    are dicts with the same keys in the same order, each key holding a scalar in every
    record or, in every record, records alike again. Their lines are then built a column
    at a time by C loops (map, zip) instead of a Python step per leaf — the same lines, in
    the same order, as the walk gives."""
    first = records[0]
    if type(first) is not dict or not first or depth > _RECORD_DEPTH or set(map(type, records)) != _DICT:
        return None
    keys = tuple(first)
    if set(map(tuple, records)) != {keys}:
        return None
    columns: list[tuple[str, list[Any]]] = []
    for key in keys:
        text = _segment_cache.get(key) or _format_key(key)
        values = list(map(itemgetter(key), records))
        kinds = set(map(type, values))
        if kinds <= _SCALAR_TYPES:
            columns.append((text, values))
            continue
        nested = _record_columns(values, depth + 1) if kinds == _DICT else None
        if nested is None:
            return None
        columns.extend((f"{text}.{path}", column) for path, column in nested)
    return columns


_DICT: Final = frozenset({dict})


def _record_batches(
    base: str, records: list[Any], columns: list[tuple[str, list[Any]]], lines: bool
) -> Iterator[list[Any] | str]:
    """The leaves of `records` (at `base` + index) from their columns, in batches: pairs, or
    text whose pieces (index prefix, `.path = `, JSON value, newline) are interleaved
    and joined by C loops, with no string made per line."""
    step = max(1, _BATCH // len(columns))
    for start in range(0, len(records), step):
        stop = min(len(records), start + step)
        prefixes = list(map(base.__add__, map(str, range(start, stop))))
        per_column: list[Iterable[Any]] = []
        for path, values in columns:
            chunk = values[start:stop]
            if lines:
                per_column += (prefixes, repeat(f".{path} = "), _jsons(chunk), repeat("\n"))
            else:
                per_column.append(zip(map(add, prefixes, repeat(f".{path}")), chunk))
        pieces = chain.from_iterable(zip(*per_column))
        yield "".join(pieces) if lines else list(pieces)


# --------------------------------------------------------------------------- output lines

_encode_string = json.encoder.encode_basestring  # C version when available, ensure_ascii=False
_dumps = json.JSONEncoder(ensure_ascii=False).encode
_isfinite = math.isfinite


def format_leaf_line(path: str, value: Any) -> str:
    """One `hookbench paths` line: `users.0.title = "Ms"`; the root path shows as `.`.

    The value is JSON (non-ASCII kept as is), as `json.dumps(value, ensure_ascii=False)`,
    except that DEL and C1 controls are escaped too (`\u009b`): the line is safe to print.
    """
    return f"{path or ROOT_DISPLAY} = {_value_json(value)}"


def _value_json(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string_json(value)
    if kind is int or (kind is float and _isfinite(value)):
        return repr(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    return safe_text(_dumps(value))


def _string_json(value: str) -> str:
    encoded = _encode_string(value)
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded
    return safe_text(encoded)


def _jsons(values: list[Any]) -> list[str]:
    """`_value_json` of each value; a column of plain strings is encoded in one C pass."""
    if set(map(type, values)) == _STR:
        encoded = list(map(_encode_string, values))
        joined = "".join(encoded)
        if joined.isascii() and "\x7f" not in joined:
            return encoded
    return list(map(_value_json, values))


_STR: Final = frozenset({str})
