"""Decoding response bodies by content type and charset; malformed bodies carry a readable reason."""

from __future__ import annotations

import codecs
import json
import time
from pathlib import Path

import pytest

from tui.core.model import Module, Request
from tui.core.responses import (
    decode_body,
    kind_of,
    media_type_of,
    parse_json,
    parse_xml,
    pretty_lines,
    pretty_text,
)
from tui.core.run import run_module_sync
from tui.core.variables import Variables
from tui.sandbox import Sandbox

DATA = Path(__file__).resolve().parents[1] / "data"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"


def test_media_type_and_charset() -> None:
    assert media_type_of('Text/XML; Charset="ISO-8859-1"') == ("text/xml", "iso-8859-1")
    assert media_type_of("application/json") == ("application/json", None)
    assert media_type_of(None) == ("", None)


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("application/json", b'{"users": [{"title": "Ms"}]}', {"users": [{"title": "Ms"}]}),
        ("application/problem+json", b'{"title": "Bad"}', {"title": "Bad"}),
        ("application/vnd.api+json; charset=utf-8", b"[1, 2]", [1, 2]),
        ("application/json", b'\xef\xbb\xbf{"bom": true}', {"bom": True}),
        ("application/octet-stream", b'  {"sniffed": 1}', {"sniffed": 1}),
        (None, b'[{"no": "type"}]', [{"no": "type"}]),
    ],
)
def test_json_variants(content_type: str | None, body: bytes, expected: object) -> None:
    decoded = decode_body(body, content_type)
    assert (decoded.kind, decoded.parsed, decoded.error) == ("json", True, None)
    assert decoded.data == expected
    assert decoded.size == len(body)


@pytest.mark.parametrize(
    "content_type",
    ["application/xml", "text/xml", "application/atom+xml", "application/soap+xml; charset=utf-8", None],
)
def test_xml_variants(content_type: str | None) -> None:
    body = b'<users count="2"><user id="1">Ada</user><user id="2">Grace</user></users>'
    decoded = decode_body(body, content_type)
    assert (decoded.kind, decoded.parsed, decoded.error) == ("xml", True, None)
    assert decoded.data == {
        "users": {"@count": "2", "user": [{"@id": "1", "#text": "Ada"}, {"@id": "2", "#text": "Grace"}]}
    }


def test_soap_envelope_keeps_prefixes() -> None:
    decoded = decode_body((DATA / "soap-response.xml").read_bytes(), "text/xml; charset=utf-8")
    assert decoded.parsed
    user = decoded.data["soap:Envelope"]["soap:Body"]["GetUserResponse"]["user"]
    assert user == {"@id": "sub_1", "name": "Ada Lovelace", "email": "ada@example.com"}


def test_latin1_charset_is_honoured_for_text_json_and_xml() -> None:
    text = decode_body("café crème".encode("latin-1"), "text/plain; charset=iso-8859-1")
    assert (text.kind, text.text, text.error) == ("text", "café crème", None)
    data = decode_body('{"name": "café"}'.encode("latin-1"), "application/json; charset=ISO-8859-1")
    assert data.data == {"name": "café"}
    xml = decode_body("<a>café</a>".encode("latin-1"), "text/xml; charset=latin-1")
    assert xml.data == {"a": "café"}


def test_xml_declared_encoding_is_honoured_without_a_charset() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>naïve</a>'.encode("latin-1")
    decoded = decode_body(body, "application/xml")
    assert decoded.parsed and decoded.data == {"a": "naïve"}


def test_utf8_xml_is_read_from_the_body_and_keeps_its_text() -> None:
    body = '  <?xml version="1.0" encoding="UTF-8"?>\n<a b="ü">naïve €</a>'.encode()
    decoded = decode_body(body, "application/xml")
    assert (decoded.data, decoded.text, decoded.error) == (
        {"a": {"@b": "ü", "#text": "naïve €"}},
        body.decode(),
        None,
    )
    with_bom = decode_body(codecs.BOM_UTF8 + body.lstrip(), "text/xml")
    assert with_bom.data == decoded.data


def test_xml_whose_declared_encoding_is_wrong_is_read_with_replacements() -> None:
    decoded = decode_body('<?xml version="1.0" encoding="UTF-8"?><a>café</a>'.encode("latin-1"), "text/xml")
    assert (decoded.parsed, decoded.data) == (True, {"a": "caf\ufffd"})
    named = decode_body(b'<?xml version="1.0" encoding="nonsense"?><a>x</a>', "text/xml")
    assert named.data == {"a": "x"}


def test_a_charset_that_is_no_text_encoding_is_unknown() -> None:
    for content_type in ("text/xml; charset=rot13", "application/json; charset=base64"):
        body = b"<a>1</a>" if "xml" in content_type else b"[1]"
        decoded = decode_body(body, content_type)
        assert decoded.parsed
        assert decoded.error == f"unknown charset {content_type.split('=')[1]!r}; read as UTF-8"
    declared = decode_body(b'<?xml version="1.0" encoding="rot13"?><a>1</a>', "text/xml")
    assert (declared.data, declared.error) == ({"a": "1"}, None)


def test_binary_bodies_are_not_decoded() -> None:
    decoded = decode_body(PNG_HEAD, "image/png")
    assert (decoded.kind, decoded.text, decoded.data) == ("binary", None, None)
    assert decoded.error == f"binary body (image/png, {len(PNG_HEAD)} bytes)"
    octets = decode_body(b"\x00\x01\x02\xff", "application/octet-stream")
    assert octets.kind == "binary"


def test_binary_without_a_content_type_is_still_binary() -> None:
    assert decode_body(PNG_HEAD, None).kind == "binary"


def test_text_that_is_not_valid_in_its_charset_is_flagged() -> None:
    decoded = decode_body(b"caf\xe9 au lait", "text/plain")
    assert decoded.kind == "text"
    assert decoded.text == "caf\ufffd au lait"
    assert decoded.error == "body is not valid UTF-8 at byte 3; shown with replacements"


def test_unknown_charset_falls_back_to_utf8_and_says_so() -> None:
    decoded = decode_body(b'{"a": 1}', "application/json; charset=klingon")
    assert decoded.data == {"a": 1}
    assert decoded.error == "unknown charset 'klingon'; read as UTF-8"


def test_malformed_json_reason_has_line_and_column() -> None:
    decoded = decode_body(b'{\n  "users": [1, 2,\n}', "application/json")
    assert (decoded.kind, decoded.parsed, decoded.data) == ("json", False, None)
    assert decoded.error == "body is not JSON: Expecting value at line 3, column 1"
    assert decoded.text == '{\n  "users": [1, 2,\n}'


def test_deeply_nested_json_is_refused_not_crashed() -> None:
    data, error = parse_json("[" * 100_000)
    assert data is None
    assert error == "body is not JSON we can read: nested too deeply"


def test_malformed_xml_reason_has_line_and_column() -> None:
    decoded = decode_body(b"<a>\n<b></a>", "application/xml")
    assert decoded.parsed is False
    assert decoded.error == "body is not XML: mismatched tag: line 2, column 5"


def test_xml_bomb_is_refused_without_expanding() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(entities) + "\n]>\n<lolz>&lol9;</lolz>"
    ).encode()
    started = time.monotonic()
    decoded = decode_body(bomb, "application/xml")
    took = time.monotonic() - started
    assert decoded.data is None and not decoded.parsed
    assert (
        decoded.error
        == "body is not XML we will read: it declares entities (refused, as an XML bomb could expand)"
    )
    assert len(decoded.text or "") == len(bomb)  # nothing expanded
    assert took < 1.0  # a billion "lol"s would take minutes and gigabytes


def test_external_entity_is_refused() -> None:
    data, error = parse_xml('<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>')
    assert data is None
    assert error is not None and "declares entities" in error


def test_empty_and_truncated_bodies() -> None:
    empty = decode_body(b"", "application/json")
    assert (empty.kind, empty.text, empty.error) == ("empty", "", None)
    cut = decode_body(b'{"users": [1, 2', "application/json", truncated=True)
    assert (cut.kind, cut.parsed, cut.truncated) == ("json", False, True)
    assert cut.error == "body truncated at 15 bytes; not parsed as JSON"


def test_kind_by_media_type_not_by_content() -> None:
    assert kind_of("text/html", b'{"a": 1}') == "text"
    assert kind_of("text/json", b"[]") == "json"
    assert kind_of("", b"plain words") == "text"


def test_a_body_with_a_byte_order_mark_and_no_type_is_sniffed_past_the_mark() -> None:
    xml = decode_body(b'\xef\xbb\xbf<?xml version="1.0"?>\n<a><b>1</b></a>', None)
    assert (xml.kind, xml.parsed, xml.data) == ("xml", True, {"a": {"b": "1"}})
    json_body = decode_body(b'\xef\xbb\xbf {"a": 1}', "application/octet-stream")
    assert (json_body.kind, json_body.parsed, json_body.data) == ("json", True, {"a": 1})


def test_pretty_text() -> None:
    assert (
        pretty_text(decode_body(b'{"a":[1,2]}', "application/json")) == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    )
    assert pretty_text(decode_body(b"not json", "text/plain")) == "not json"


_RECORDS = json.dumps(
    {"rows": [{"id": i, "name": f"n\u00e9\n{i}", "tags": ["a", {"b": None}], "x": []} for i in range(20_000)]}
).encode()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_RECORDS, "application/json"),  # ~1.4 MB formatted: many slices, a line cut at each
        (b'{"a":[1,2]}', "application/json"),
        (b"<a>\n<b x='1'>t</b>\n</a>\n" * 40_000, "text/plain"),
        (b"<r><b>1</b><c/></r>", "application/xml"),  # one line: formatted by minidom
        (b"one\r\ntwo\n\nthree\n", "text/plain"),
        (b"no newline", "text/plain"),
        (b"", "text/plain"),
        (b"\n", "text/plain"),
    ],
)
def test_pretty_lines_are_the_pretty_text_split_at_newlines(body: bytes, content_type: str) -> None:
    """The Raw view's lines, made a slice at a time in a thread, are `pretty_text`'s lines."""
    decoded = decode_body(body, content_type)
    lines = pretty_text(decoded).split("\n")
    if lines[-1] == "":
        lines.pop()
    assert pretty_lines(decoded) == lines


# --------------------------------------------------------------------------- over the wire


@pytest.mark.parametrize(
    ("path", "kind", "parsed", "error"),
    [
        ("/users", "json", True, None),
        ("/fault/json-latin1", "json", True, None),
        ("/fault/latin1", "text", False, None),
        ("/fault/binary", "binary", False, "binary body (image/png, 70 bytes)"),
        ("/fault/malformed-json", "json", False, "body is not JSON: Expecting value at line 1, column 17"),
        ("/fault/malformed-xml", "xml", False, "body is not XML: mismatched tag: line 1, column 8"),
        (
            "/fault/xml-bomb",
            "xml",
            False,
            "body is not XML we will read: it declares entities (refused, as an XML bomb could expand)",
        ),
        ("/fault/bytes?n=300&type=json", "json", True, None),
    ],
)
def test_sandbox_bodies_decode_as_expected(
    sandbox: Sandbox, path: str, kind: str, parsed: bool, error: str | None
) -> None:
    result = run_module_sync(Module(request=Request(url=sandbox.base_url + path)), Variables(environ={}))
    assert result.body is not None
    assert (result.body.kind, result.body.parsed, result.body.error) == (kind, parsed, error)


def test_sandbox_latin1_values(sandbox: Sandbox) -> None:
    variables = Variables(environ={})
    text = run_module_sync(Module(request=Request(url=f"{sandbox.base_url}/fault/latin1")), variables)
    assert text.body is not None and text.body.text == "café"
    data = run_module_sync(Module(request=Request(url=f"{sandbox.base_url}/fault/json-latin1")), variables)
    assert data.body is not None and data.body.data == {"name": "café"}


def test_httpbin_xml_and_gzip(httpbin) -> None:
    variables = Variables(environ={})
    xml = run_module_sync(Module(request=Request(url=f"{httpbin.url}/xml")), variables)
    assert xml.body is not None and xml.body.kind == "xml"
    assert xml.body.data["slideshow"]["@title"] == "Sample Slide Show"
    gzipped = run_module_sync(Module(request=Request(url=f"{httpbin.url}/gzip")), variables)
    assert gzipped.body is not None and gzipped.body.data["gzipped"] is True
