"""`{{placeholder}}` replacement, with each value encoded for where it lands.

Values are looked up in a `Variables` chain (see `variables.py`). An unknown placeholder is
an error that names it and where it was used: a request is never sent with a hole in it.

Built-ins spelled as Postman spells them (`{{$guid}}`, `{{$timestamp}}`…) are filled here,
with a fresh value each time a request is rendered (so each send, dry run and history record
shows the value that went out); they never come from a variable source.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from tui.core.errors import TemplateError

PLACEHOLDER = re.compile(r"\{\{\s*(\$?[A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")
BUILTIN_PREFIX = "$"
_OPEN = "{{"

Lookup = Callable[[str], "str | None"]


# uuid, random and datetime are imported when a template asks for them: uuid alone (with
# platform and random) is ~10 ms that a plain `hookbench run` need not pay.


def _iso_timestamp() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def _random_int() -> str:
    import random

    return str(random.randint(0, 1000))


BUILTINS: dict[str, Callable[[], str]] = {
    "$guid": _uuid,
    "$randomUUID": _uuid,
    "$timestamp": lambda: str(int(time.time())),
    "$isoTimestamp": _iso_timestamp,
    "$randomInt": _random_int,
}
"""Postman's dynamic variables: a UUID, Unix seconds, an ISO 8601 UTC time, an int 0–1000."""


def is_builtin(name: str) -> bool:
    """Whether `name` is spelled as a built-in (`$…`), known or not."""
    return name.startswith(BUILTIN_PREFIX)


@dataclass(frozen=True)
class Placeholder:
    """One `{{name}}` in a template: the name and its span in the text."""

    name: str
    start: int
    end: int


def find_placeholders(text: str, *, where: str = "text") -> list[Placeholder]:
    """Every placeholder in `text`; a `{{` that does not open a valid one is an error."""
    found: list[Placeholder] = []
    position = 0
    while True:
        start = text.find(_OPEN, position)
        if start < 0:
            return found
        match = PLACEHOLDER.match(text, start)
        if match is None:
            snippet = text[start : start + 24].split("\n")[0]
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            at = f"line {line}, column {column}" if "\n" in text else f"column {column}"
            raise TemplateError(
                f"malformed placeholder in {where} at {at}: {snippet!r} "
                "(write {{name}} with letters, digits, _, - and .)"
            )
        found.append(Placeholder(match.group(1), match.start(), match.end()))
        position = match.end()


def names_in(*texts: str) -> list[str]:
    """Variable names used in `texts`, in order, without duplicates; malformed ones and
    built-ins (`$guid`: no variable source fills them) skipped."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in PLACEHOLDER.finditer(text):
            if not is_builtin(match.group(1)):
                seen.setdefault(match.group(1), None)
    return list(seen)


Encoder = Callable[[str, str, int], str]
"""(value, template, position) → text to insert."""


def render(text: str, lookup: Lookup, *, where: str, encode: Encoder | None = None) -> str:
    """Replace every placeholder in `text`; unknown names raise one error naming them all."""
    placeholders = find_placeholders(text, where=where)
    if not placeholders:
        return text
    unknown = [p.name for p in placeholders if is_builtin(p.name) and p.name not in BUILTINS]
    if unknown:
        raise TemplateError(
            f"unknown built-in{'s' if len(set(unknown)) > 1 else ''} in {where}: "
            f"{', '.join(dict.fromkeys(unknown))} (known: {', '.join(BUILTINS)})"
        )
    missing = [p.name for p in placeholders if not is_builtin(p.name) and lookup(p.name) is None]
    if missing:
        names = ", ".join(dict.fromkeys(missing))
        raise TemplateError(f"unknown variable{'s' if len(set(missing)) > 1 else ''} in {where}: {names}")
    parts: list[str] = []
    position = 0
    for placeholder in placeholders:
        name = placeholder.name
        value = BUILTINS[name]() if is_builtin(name) else lookup(name) or ""
        parts.append(text[position : placeholder.start])
        parts.append(encode(value, text, placeholder.start) if encode else value)
        position = placeholder.end
    parts.append(text[position:])
    return "".join(parts)


# --- encoders: a value is encoded for where it lands ------------------------------------

_ORIGIN = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?[^/?#]*")


def encode_for_url(value: str, template: str, position: int) -> str:
    """Raw in the scheme/host part (so `{{base_url}}` works); percent-encoded after it."""
    before = PLACEHOLDER.sub("", template[:position])
    if _ORIGIN.fullmatch(before):
        return value
    return quote(value, safe="")


def encode_for_header(value: str, template: str, position: int) -> str:
    """Header values are inserted as is, but a line break would forge a header: refuse it."""
    if "\r" in value or "\n" in value:
        name = PLACEHOLDER.match(template, position)
        which = f"{{{{{name.group(1)}}}}}" if name else "a variable"
        raise TemplateError(
            f"{which} in a header holds a line break; refusing to send it (it would forge a header)"
        )
    return value


def header_value_problem(value: str) -> str | None:
    """What in a whole header value HTTP cannot carry (named, never shown), or None.

    The value may be a secret, so callers name the header or field, not the text.
    """
    if "\r" in value or "\n" in value:
        return "holds a line break; refusing to send it (it would forge a header)"
    if any(ord(c) < 32 and c != "\t" or ord(c) == 127 for c in value):
        return "holds a control character, which HTTP headers cannot carry"
    if not value.isascii():
        return "holds non-ASCII text, which HTTP headers cannot carry"
    return None


def encode_for_json(value: str, template: str, position: int) -> str:
    """Escaped when inside a JSON string; inserted raw elsewhere (`"n": {{count}}`)."""
    if _inside_json_string(template, position):
        return json.dumps(value, ensure_ascii=False)[1:-1]
    return value


def xml_escape(value: str) -> str:
    """Escape for XML text and attribute values (xml.sax.saxutils costs 15 ms of imports)."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("\r", "&#13;")
    )


def encode_for_xml(value: str, template: str, position: int) -> str:
    """Escaped for XML text and attribute values."""
    return xml_escape(value)


def _inside_json_string(template: str, position: int) -> bool:
    inside = False
    escaped = False
    for char in PLACEHOLDER.sub("x", template[:position]):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = inside
        elif char == '"':
            inside = not inside
    return inside
