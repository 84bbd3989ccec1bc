"""Which line of a TOML file holds a key: error messages name the file, the key and the line.

`tomllib` reports where the syntax breaks but not where a valid key lives, so validation errors
find it here. Keys are decoded the way TOML reads them (`"X-Id\\n"` is the name with a line
break), so a quoted key with escapes is found too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any

_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED})\s*\]")
_ASSIGNMENT = re.compile(rf"\s*({_DOTTED})\s*=")


def line_of(lines: Iterable[str], dotted: str) -> int | None:
    """The line of the key or table `dotted` names (`set_variables[1].target`), 1-based.

    Each line gets the address an error would use for it (the nth `[[name]]` is `name[n]`);
    the first match wins. Best effort: None when no line matches.
    """
    table, seen = "", dict[str, int]()
    for number, line in enumerate(lines, start=1):
        header = _HEADER.match(line)
        if header:
            table = _decoded(header.group(2))
            if header.group(1) == "[[":
                seen[table] = seen.get(table, -1) + 1
                table = f"{table}[{seen[table]}]"
            address = table
        else:
            key = _ASSIGNMENT.match(line)
            if key is None:
                continue
            name = _decoded(key.group(1))
            address = f"{table}.{name}" if table else name
        if address == dotted:
            return number
    return None


def _decoded(key: str) -> str:
    """`a."b.c"` → `a.b.c`: the key's parts as TOML reads them, joined with dots."""
    try:
        parsed: Any = tomllib.loads(f"{key} = 0")
    except tomllib.TOMLDecodeError:
        return key
    parts = []
    while isinstance(parsed, Mapping):
        name, parsed = next(iter(parsed.items()))
        parts.append(name)
    return ".".join(parts)
