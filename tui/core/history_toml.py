"""A small TOML writer for history records: plain dicts, lists, strings, numbers and booleans.

A record is written once and never edited, so it does not need tomlkit's layout-keeping
document (and `hookbench run` should not pay ~30 ms to import it). Output is read back with
`tomllib`; the round trip is covered by a property test.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def dumps(data: Mapping[str, Any]) -> str:
    """TOML text for `data`; a list of dicts becomes an array of tables, a dict a table."""
    lines: list[str] = []
    _table(lines, data, ())
    return "\n".join(lines) + "\n"


def key(name: str) -> str:
    """A bare key when TOML allows it, else a quoted one."""
    return name if _BARE_KEY.fullmatch(name) else basic_string(name)


def basic_string(text: str) -> str:
    """A one-line `"…"` string with every control character escaped."""
    return '"' + _CONTROL.sub(_escape_char, text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def multiline_string(text: str) -> str:
    """A `\"\"\"…\"\"\"` string that keeps line breaks readable (bodies are shown by `history show`)."""
    escaped = _CONTROL.sub(
        lambda m: "\n" if m.group(0) == "\n" else _escape_char(m), text.replace("\\", "\\\\")
    )
    # a quote followed by another quote, or one at the very end, could close the string early
    escaped = re.sub(r'"(?=")|"\Z', '\\"', escaped)
    return '"""\n' + escaped + '"""'


def value(item: Any) -> str:
    """One inline TOML value."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item) or math.isinf(item):
            return "nan" if math.isnan(item) else ("inf" if item > 0 else "-inf")
        return repr(item)
    if isinstance(item, str):
        return multiline_string(item) if "\n" in item else basic_string(item)
    if isinstance(item, (list, tuple)):
        return "[" + ", ".join(value(element) for element in item) + "]"
    if isinstance(item, Mapping):
        return "{" + ", ".join(f"{key(str(k))} = {value(v)}" for k, v in item.items()) + "}"
    raise TypeError(f"cannot write {type(item).__name__} as TOML")


def _is_table_array(item: Any) -> bool:
    return isinstance(item, (list, tuple)) and bool(item) and all(isinstance(e, Mapping) for e in item)


def _table(lines: list[str], data: Mapping[str, Any], path: tuple[str, ...]) -> None:
    """Scalars first (they belong to this table), then sub-tables and arrays of tables."""
    nested = []
    for name, item in data.items():
        if item is None:
            continue
        if isinstance(item, Mapping) or _is_table_array(item):
            nested.append((str(name), item))
        else:
            lines.append(f"{key(str(name))} = {value(item)}")
    for name, item in nested:
        child = (*path, key(name))
        if isinstance(item, Mapping):
            if lines:
                lines.append("")
            lines.append(f"[{'.'.join(child)}]")
            _table(lines, item, child)
        else:
            for element in item:
                if lines:
                    lines.append("")
                lines.append(f"[[{'.'.join(child)}]]")
                _table(lines, element, child)
