"""Decode a response body by its content type into text and a tree (JSON or XML).

Decoding never raises: a body that is not what it claims to be keeps its text (or marks
itself binary) and carries an `error` a person can read, e.g. "body is not JSON: …".
The one exception is `Cancelled`, when the caller's `Progress` was cancelled.

Big bodies are parsed in slices (tui.core.jsontree, tui.core.xmltree) so that a thread
decoding tens of megabytes leaves the GIL to a UI between slices, with the cyclic garbage
collector paused meanwhile and the tree frozen after (tui.core.bulk).
"""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.parsers.expat import ExpatError

from tui.core.bulk import gc_paused, give_way
from tui.core.jsontree import SMALL, TooDeep, parse_json_text
from tui.core.progress import Progress
from tui.core.xmltree import EntitiesRefused, TooBig, parse_xml_tree

JSON, XML, TEXT, BINARY, EMPTY = "json", "xml", "text", "binary", "empty"

BIG = SMALL
"""Bodies from this size on are decoded in slices, with progress and the collector paused."""

_TEXT_TYPES = ("text/", "application/javascript", "application/x-www-form-urlencoded", "application/csv")


@dataclass(frozen=True)
class DecodedBody:
    """What the body is (`kind`), its text when it has one, its tree when it parsed."""

    kind: str
    text: str | None = field(default=None, repr=False)  # a repr of 48 MB would freeze a UI
    data: Any = field(default=None, repr=False)
    error: str | None = None
    parsed: bool = False
    truncated: bool = False
    size: int = 0


def media_type_of(content_type: str | None) -> tuple[str, str | None]:
    """`text/xml; charset=ISO-8859-1` → ("text/xml", "iso-8859-1")."""
    if not content_type:
        return "", None
    media, *params = (part.strip() for part in content_type.split(";"))
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower() or None
    return media.lower(), charset


def kind_of(media: str, body: bytes) -> str:
    """Which decoder applies: by media type, else by a sniff of the first bytes."""
    if not body:
        return EMPTY
    if media == "application/json" or media.endswith("+json") or media == "text/json":
        return JSON
    if media in ("application/xml", "text/xml") or media.endswith("+xml"):
        return XML
    if media.startswith(_TEXT_TYPES):
        return TEXT
    head = body[:64].removeprefix(codecs.BOM_UTF8).lstrip()
    if not media or media == "application/octet-stream":
        if head[:1] in (b"{", b"["):
            return JSON
        if head[:1] == b"<":
            return XML
    return BINARY if _looks_binary(body) else TEXT


def _looks_binary(body: bytes) -> bool:
    sample = body[:4096]
    if b"\x00" in sample:
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(sample) - 4  # a cut multi-byte character at the end is fine
    return False


def decode_body(
    body: bytes, content_type: str | None, *, truncated: bool = False, progress: Progress | None = None
) -> DecodedBody:
    """Decode `body`; JSON and XML are parsed unless the body was truncated.

    `progress` follows a big parse and can cancel it (raising progress.Cancelled)."""
    media, charset = media_type_of(content_type)
    kind = kind_of(media, body)
    size = len(body)
    if kind == EMPTY:
        return DecodedBody(EMPTY, text="", size=0, truncated=truncated)
    if kind == BINARY:
        return DecodedBody(
            BINARY,
            size=size,
            truncated=truncated,
            error=f"binary body ({media or 'unknown type'}, {size} bytes)",
        )
    text, charset_error, utf8 = _text(body, charset, kind)
    if kind == TEXT:
        return DecodedBody(TEXT, text=text, size=size, truncated=truncated, error=charset_error)
    if truncated:
        return DecodedBody(
            kind,
            text=text,
            size=size,
            truncated=True,
            error=f"body truncated at {size} bytes; not parsed as {kind.upper()}",
        )
    with gc_paused(freeze=True) if len(text) >= BIG else contextlib.nullcontext():
        try:
            if kind == JSON:
                data, error = parse_json(text, progress)
            else:  # expat reads the body itself when it is the UTF-8 of the text
                data, error = parse_xml(body if utf8 else text, progress)
        finally:
            if progress is not None:
                progress.done()  # before the freeze: nothing of the tree is kept through it
    return DecodedBody(
        kind, text=text, data=data, error=error or charset_error, parsed=error is None, size=size
    )


def _text(body: bytes, charset: str | None, kind: str) -> tuple[str, str | None, bool]:
    """(text, what went wrong decoding it, whether `body` is exactly the text's UTF-8)."""
    if charset:
        codec = _codec(charset)
        if codec is None:
            return (
                body.decode("utf-8", errors="replace"),
                f"unknown charset {charset!r}; read as UTF-8",
                False,
            )
    elif kind == JSON and body[:3] == codecs.BOM_UTF8:
        codec = "utf-8-sig"
    elif kind == XML:  # XML declares its own encoding; a wrong one is read with replacements
        codec = _codec(_declared_encoding(body)) or "utf-8"
        try:
            return body.decode(codec), None, codec == "utf-8"
        except UnicodeDecodeError:
            return body.decode(codec, errors="replace"), None, False
    else:
        codec = "utf-8"
    try:
        return body.decode(codec), None, codec == "utf-8"
    except UnicodeDecodeError as exc:
        return (
            body.decode(codec, errors="replace"),
            f"body is not valid {charset or 'UTF-8'} at byte {exc.start}; shown with replacements",
            False,
        )


def _codec(name: str) -> str | None:
    """The text codec `name` stands for (`UTF8` → `utf-8`); None for no codec or one that
    does not decode bytes to text (`rot13`, `base64`)."""
    try:
        b"\0".decode(name)  # an empty input would not look the codec up
    except UnicodeError:
        pass  # a text codec, in which a lone NUL is not text (UTF-16)
    except LookupError:
        return None
    return codecs.lookup(name).name


def _declared_encoding(body: bytes) -> str:
    """The encoding an XML declaration names, as written ("" when there is none)."""
    head = body[:200].decode("ascii", errors="ignore")
    marker = head.find("encoding=")
    if marker < 0:
        return ""
    quote = head[marker + 9 : marker + 10]
    return head[marker + 10 :].split(quote)[0]


def parse_json(text: str, progress: Progress | None = None) -> tuple[Any, str | None]:
    """(data, None) or (None, "body is not JSON: … at line L, column C")."""
    try:
        return parse_json_text(text, progress=progress), None
    except json.JSONDecodeError as exc:
        return None, f"body is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    except TooDeep:
        return None, "body is not JSON we can read: nested too deeply"
    except ValueError as exc:  # a number of more than 4,300 digits
        return None, f"body is not JSON we can read: {exc}"


def parse_xml(source: bytes | str, progress: Progress | None = None) -> tuple[Any, str | None]:
    """(data, None) or (None, reason), as xmltodict reads it; `source` is UTF-8 bytes or text.
    Entities are refused, so an XML bomb cannot expand."""
    try:
        return parse_xml_tree(source, progress=progress), None
    except ExpatError as exc:
        return None, f"body is not XML: {exc}"
    except EntitiesRefused:
        return (
            None,
            "body is not XML we will read: it declares entities (refused, as an XML bomb could expand)",
        )
    except TooBig as exc:
        return None, f"body is not XML we will read: {exc}"


def pretty_text(decoded: DecodedBody) -> str:
    """The body as the Raw view shows it: JSON re-indented, everything else as received."""
    if decoded.kind == JSON and decoded.parsed:
        return json.dumps(decoded.data, indent=2, ensure_ascii=False)
    if decoded.kind == XML and decoded.parsed and decoded.text is not None:
        return _pretty_xml(decoded.text)
    return decoded.text or ""


_FLUSH = 1 << 18
"""Characters joined and split at a time by `pretty_lines` (a C call of a millisecond or two)."""


def pretty_lines(decoded: DecodedBody) -> list[str]:
    """`pretty_text` split at `\n` (a last empty line dropped), for a thread: made a slice
    at a time, giving way to the UI between slices (`bulk.give_way`).

    `json.dumps` of 48 MB with an indent is seconds of Python sharing the GIL, then one
    join and one split of 70 MB that hold it for ~0.3 s: keys pressed meanwhile waited."""
    if decoded.kind == JSON and decoded.parsed:
        chunks: Iterable[str] = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(decoded.data)
    else:
        text = pretty_text(decoded)
        chunks = (text[start : start + _FLUSH] for start in range(0, len(text), _FLUSH))
    lines: list[str] = []
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= _FLUSH:
            parts = "".join(pending).split("\n")
            pending, size = [parts[-1]], len(parts[-1])
            del parts[-1]
            lines.extend(parts)
            give_way()
    lines.extend("".join(pending).split("\n"))
    if lines[-1] == "":
        lines.pop()
    return lines


def _pretty_xml(text: str) -> str:
    if text.count("\n") > 2:
        return text
    from xml.dom import minidom

    try:
        return minidom.parseString(text.encode("utf-8")).toprettyxml(indent="  ")
    except ExpatError:
        return text
