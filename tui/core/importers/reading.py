"""Reading what an importer is handed: bytes in any Unicode encoding a tool writes, file names
made from outside titles. Shared by the Postman and OpenAPI importers."""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from tui.core.errors import ImportSourceError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_document(data: bytes, source: str) -> str:
    """Text of `data`: UTF-8, or UTF-16/32 by their byte-order mark or their NUL pattern
    (Windows tools write UTF-16 for "Unicode"). A BOM is never part of the text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, source)
    if len(data) >= 2 and data[0] == 0 and data[1] != 0:
        return _decode(data, "utf-16-be", source)
    if len(data) >= 2 and data[0] != 0 and data[1] == 0:
        return _decode(data, "utf-16-le", source)
    return _decode(data, "utf-8", source)


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportSourceError(
            f"{source}: not readable as {encoding.upper()} (byte {exc.start}): save it as UTF-8 or UTF-16"
        ) from exc


def load_json(data: bytes, source: str) -> Any:
    """A JSON document; a parse error names the line and column."""
    text = decode_document(data, source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportSourceError(
            f"{source}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc
    except RecursionError as exc:
        raise ImportSourceError(f"{source}: nested too deeply to read") from exc


def slug(text: str, default: str = "request") -> str:
    """A file or folder name from a title: `Create a charge!` → `create-a-charge`."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)  # listSubscribers → list-Subscribers
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", words).strip("-").lower()
    return cleaned[:80].strip("-") or default


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`… when taken; the result is added to `taken`."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate
