"""The fast parsers build exactly what the reference ones do: xmltodict for XML, json.loads for
JSON, including key order, errors and the dot paths of every leaf. Random documents, and the
slicing constants shrunk so that every slice and run boundary is crossed."""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
import xmltodict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core import jsontree, xmltree
from tui.core.jsontree import TooDeep, parse_json_text
from tui.core.paths import iter_leaves
from tui.core.progress import Cancelled, Progress
from tui.core.responses import parse_json, parse_xml
from tui.core.xmltree import EntitiesRefused, parse_xml_tree

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# --------------------------------------------------------------------------- XML

NAMES = st.sampled_from(["a", "b", "user", "soap:Body", "ns:item", "x-y", "_z", "n.1"])
ATTR_NAMES = st.sampled_from(["id", "ns:id", "xmlns:ns", "xmlns", "type", "a.b"])
TEXT_CHARS = st.sampled_from(list("ab z\n\t<>&\"'é€") + ["\u00a0", "\x85", "]]>", "\r\n"])
TEXTS = st.lists(TEXT_CHARS, max_size=8).map("".join)


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


@st.composite
def _text_node(draw: st.DrawFn) -> str:
    text = draw(TEXTS)
    form = draw(st.sampled_from(["plain", "cdata", "charref", "comment", "pi"]))
    if form == "cdata" and "]]>" not in text:
        return f"<![CDATA[{text}]]>"
    if form == "charref":
        return _escape(text) + "&#65;&#x20;&amp;"
    if form == "comment":
        return f"<!-- {text.replace('-', '')} -->" + _escape(text)
    if form == "pi":
        return "<?keep going?>" + _escape(text)
    return _escape(text)


def _element(children: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        name = draw(NAMES)
        attrs = draw(st.dictionaries(ATTR_NAMES, TEXTS, max_size=3))
        rendered = "".join(f' {k}="{_escape(v, quote=True)}"' for k, v in attrs.items())
        parts = draw(children)
        if not parts and draw(st.booleans()):
            return f"<{name}{rendered}/>"
        return f"<{name}{rendered}>{''.join(parts)}</{name}>"

    return build()


LEAF = _element(st.lists(_text_node(), max_size=1))
ELEMENTS = st.recursive(
    LEAF,
    lambda inner: _element(st.lists(st.one_of(inner, inner, _text_node()), max_size=6)),
    max_leaves=30,
)


@st.composite
def xml_documents(draw: st.DrawFn) -> str:
    root = draw(ELEMENTS)
    before = draw(st.sampled_from(["", "  \n", "<!-- c -->\n", "<?pi x?>"]))
    after = draw(st.sampled_from(["", "\n", " <!-- end -->\n"]))
    return before + root + after


def _reference_xml(text: str) -> Any:
    return xmltodict.parse(text, disable_entities=True)


DECLARATIONS = st.sampled_from(
    ["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n', "\ufeff<?xml version='1.0'?>"]
)


@SETTINGS
@given(xml_documents(), st.sampled_from([1 << 20, 1, 7, 64]), DECLARATIONS, st.booleans())
def test_xml_tree_and_paths_equal_xmltodict(
    document: str, slice_size: int, declaration: str, as_bytes: bool
) -> None:
    """Text or the UTF-8 bytes themselves, sliced anywhere (inside a character too)."""
    document = declaration + document
    original = xmltree._SLICE
    xmltree._SLICE = slice_size
    try:
        fast = parse_xml_tree(document.encode() if as_bytes else document, progress=Progress())
    finally:
        xmltree._SLICE = original
    expected = _reference_xml(document)
    assert fast == expected
    assert list(iter_leaves(fast)) == list(iter_leaves(expected))  # same order, same paths


@SETTINGS
@given(
    xml_documents(),
    st.integers(min_value=0, max_value=200),
    st.sampled_from(["", "<", ">", "&", "x", "</a>"]),
)
def test_malformed_xml_fails_as_xmltodict_does(document: str, at: int, junk: str) -> None:
    mutated = document[:at] + junk + document[at + 1 :]
    try:
        expected: Any = _reference_xml(mutated)
    except Exception as exc:  # noqa: BLE001 - the reference's failure is what we compare with
        expected = (type(exc), str(exc))
    try:
        fast: Any = parse_xml_tree(mutated)
    except Exception as exc:  # noqa: BLE001
        fast = (type(exc), str(exc))
    if isinstance(fast, tuple) and fast[0] is EntitiesRefused:
        fast = (ValueError, str(fast[1]))
    assert fast == expected


def test_entities_are_refused_like_xmltodict() -> None:
    bomb = '<!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;">]><a>&y;</a>'
    with pytest.raises(ValueError, match="entities are disabled"):
        _reference_xml(bomb)
    with pytest.raises(EntitiesRefused):
        parse_xml_tree(bomb)
    assert parse_xml(bomb)[1] == (
        "body is not XML we will read: it declares entities (refused, as an XML bomb could expand)"
    )


def test_xml_parse_can_be_cancelled_between_slices() -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        parse_xml_tree("<a>" + "<b>1</b>" * 200_000 + "</a>", progress=progress)


# --------------------------------------------------------------------------- JSON

KEYS = st.sampled_from(["a", "b", "id", "", "a.b", "0", "é", ",", "}", '"', "\\", "[,]"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.sampled_from(list('ab,{}[]":\\ \n\té€\x00')), max_size=6),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=40,
)
LAYOUTS = st.sampled_from([{}, {"indent": 1}, {"separators": (",", ":")}, {"indent": "\t"}])


@pytest.fixture
def tiny_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs and probe windows of a few characters, so random documents cross every boundary."""
    monkeypatch.setattr(jsontree, "_FIRST_RUN", 8)
    monkeypatch.setattr(jsontree, "_MIN_RUN", 2)
    monkeypatch.setattr(jsontree, "_MAX_RUN", 64)
    monkeypatch.setattr(jsontree, "_WINDOW", 16)


def _walk(text: str) -> Any:
    return jsontree._Walker(text, Progress()).document()


def _outcome(parse: Any, text: str) -> Any:
    try:
        value = parse(text)
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.pos, exc.lineno, exc.colno)
    except (RecursionError, TooDeep):
        return ("too deep",)
    except ValueError as exc:
        return ("value error", str(exc))
    return ("ok", json.dumps(value), list(iter_leaves(value)))


@SETTINGS
@given(JSON_VALUES, LAYOUTS)
def test_json_walk_equals_json_loads(tiny_runs: None, value: Any, layout: dict[str, Any]) -> None:
    text = json.dumps(value, ensure_ascii=False, **layout)
    assert _outcome(_walk, text) == _outcome(json.loads, text)


@SETTINGS
@given(
    JSON_VALUES,
    LAYOUTS,
    st.integers(min_value=0, max_value=400),
    st.sampled_from(["", ",", "}", "]", '"', "{", "[", "x", " ", ":", "1", "\\"]),
)
def test_malformed_json_fails_exactly_as_json_loads(
    tiny_runs: None, value: Any, layout: dict[str, Any], at: int, junk: str
) -> None:
    text = json.dumps(value, ensure_ascii=False, **layout)
    mutated = text[:at] + junk + text[at + 1 :]
    assert _outcome(_walk, mutated) == _outcome(json.loads, mutated)


def test_duplicate_keys_keep_the_first_position_and_the_last_value(tiny_runs: None) -> None:
    text = '{"a": 1, "b": 2, "a": 3, "c": [1, 2, 3, 4, 5, 6, 7], "b": 4}'
    assert list(_walk(text).items()) == list(json.loads(text).items())


def test_json_walk_is_cancelled_between_runs() -> None:
    text = json.dumps([{"n": i} for i in range(200_000)])
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        parse_json_text(text, progress=progress)


def test_big_json_is_walked_and_reports_progress() -> None:
    text = json.dumps({"records": [{"id": i, "tags": ["a", "b"]} for i in range(60_000)]})
    assert len(text) > jsontree.SMALL
    seen: list[float] = []

    class Watch(Progress):
        def advance(self, fraction: float) -> None:
            seen.append(fraction)
            super().advance(fraction)

    assert parse_json_text(text, progress=Watch()) == json.loads(text)
    assert len(seen) > 10 and seen == sorted(seen) and seen[-1] == 1.0


def test_errors_read_the_same_whichever_parser() -> None:
    # Python's own sentence differs between versions (3.13: "Illegal trailing comma ..."):
    # assert our words, json's message and that a position is given.
    try:
        json.loads('{"a": 1,}')
    except json.JSONDecodeError as exc:
        expected = f"body is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    assert parse_json('{"a": 1,}')[1] == expected
    assert "at line 1, column" in expected
    assert parse_json("[" * 200_000 + "]" * 200_000)[1] == "body is not JSON we can read: nested too deeply"
    assert "digits" in (parse_json("1" * 5000)[1] or "")
    assert string.digits  # keep the import honest for linters
