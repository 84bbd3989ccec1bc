"""Dot paths: the generator and the resolver agree on every key, and errors say where."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
import xmltodict
from hypothesis import given
from hypothesis import strategies as st

from tui.core.errors import HookbenchError, PathError
from tui.core.paths import (
    ParsedSegment,
    Segment,
    describe_kind,
    format_leaf_line,
    format_path,
    format_segment,
    iter_leaves,
    join_path,
    leaf_text,
    lookup,
    parse_path,
    resolve,
)

# --------------------------------------------------------------------------- helpers


def is_control(char: str) -> bool:
    """C0, DEL and C1, written independently of the module."""
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def needs_quoting(key: str) -> bool:
    """The notation's rule, written independently of the module."""
    bare_chars = all(c not in '."\\[]' and not c.isspace() and not is_control(c) for c in key)
    all_ascii_digits = key != "" and all(c in "0123456789" for c in key)
    return key == "" or not bare_chars or all_ascii_digits


def reference_leaves(value: Any, prefix: tuple[Segment, ...] = ()) -> list[tuple[tuple[Segment, ...], Any]]:
    """Every leaf with its segments, recursively (the documents here are shallow)."""
    if isinstance(value, dict) and value:
        out: list[tuple[tuple[Segment, ...], Any]] = []
        for key, child in value.items():
            out.extend(reference_leaves(child, (*prefix, key)))
        return out
    if isinstance(value, list) and value:
        out = []
        for index, child in enumerate(value):
            out.extend(reference_leaves(child, (*prefix, index)))
        return out
    return [(prefix, value)]


def strict_resolve(document: Any, path: str) -> Any:
    """Resolve with none of the lenient rules: indices only on lists, keys only on objects."""
    value = document
    for segment in parse_path(path):
        if isinstance(value, list):
            assert segment.is_digits, f"{path}: non-index on a list"
            assert segment.text == str(int(segment.text)), f"{path}: non-canonical index"
            value = value[int(segment.text)]
        else:
            assert isinstance(value, dict), f"{path}: step into a scalar"
            assert not segment.is_digits, f"{path}: bare digits used as an object key"
            value = value[segment.text]
    return value


def check_generate_resolve(document: Any) -> None:
    expected = reference_leaves(document)
    leaves = list(iter_leaves(document))
    assert [path for path, _ in leaves] == [format_path(segments) for segments, _ in expected]
    assert len({path for path, _ in leaves}) == len(leaves)
    for (path, value), (_, ref_value) in zip(leaves, expected):
        assert value is ref_value
        assert resolve(document, path) is value
        assert strict_resolve(document, path) is value
        assert lookup(document, path) == (True, value)


# --------------------------------------------------------------------------- strategies

SPECIAL_KEYS = [
    "",
    ".",
    "..",
    "a.b",
    '"',
    "\\",
    '\\"',
    " ",
    "first name",
    "0",
    "12",
    "007",
    "٣",
    "@id",
    "#text",
    "soap:Envelope",
    "[0]",
    "a]",
    "ünï",
    "tab\there",
    "line\nbreak",
    "=",
    " = ",
    "\x1b]52;c;ZWNobyBoaQ==\x07",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x9b2J",
    "del\x7f",
    "cr\rlf",
    "\x00",
]
# Control characters (C0, DEL, C1) mixed with the characters the notation treats specially.
CONTROLS = "".join(map(chr, [*range(0x20), *range(0x7F, 0xA0)]))
keys = st.one_of(
    st.text(max_size=8),
    st.text(alphabet=CONTROLS + 'a0.\\"u ', max_size=8),
    st.sampled_from(SPECIAL_KEYS),
    st.from_regex(r"[0-9]{1,4}", fullmatch=True),
    st.text(alphabet='ab0.\\" []', max_size=6),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=10),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=30,
)

NAME_START = "abcxyzAB_"
NAME_REST = "abcxyz09-_."
xml_local_names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(NAME_START),
    st.text(alphabet=NAME_REST, max_size=4),
)
xml_names = st.builds(
    lambda prefix, local: prefix + local,
    st.sampled_from(["", "", "ns:", "soap:", "a.b:"]),
    xml_local_names,
)
xml_text = st.text(alphabet="abz09 .\"'&<>@#:\\", min_size=1, max_size=8).filter(
    lambda t: t == t.strip() and t != ""
)
attr_values = st.text(alphabet="abz09 .\"'&<>@#:\\", max_size=8)


def xml_elements() -> st.SearchStrategy[tuple[str, dict[str, str], str | None, list[Any]]]:
    """(name, attributes, text, children); children drawn from a few names so siblings repeat."""
    leaf = st.tuples(
        xml_names,
        st.dictionaries(xml_names, attr_values, max_size=3),
        st.none() | xml_text,
        st.just([]),
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.tuples(
            xml_names,
            st.dictionaries(xml_names, attr_values, max_size=3),
            st.none() | xml_text,
            st.lists(children, max_size=4),
        )

    return st.recursive(leaf, extend, max_leaves=12)


def to_xmltodict(element: tuple[str, dict[str, str], str | None, list[Any]]) -> Any:
    """The input `xmltodict.unparse` wants for an element's content."""
    _, attributes, text, children = element
    content: dict[str, Any] = {"@" + name: value for name, value in attributes.items()}
    if text is not None:
        content["#text"] = text
    for child in children:
        content.setdefault(child[0], []).append(to_xmltodict(child))
    for name, value in list(content.items()):
        if isinstance(value, list) and len(value) == 1:
            content[name] = value[0]
    return content or None


def expected_xml_values(
    element: tuple[str, dict[str, str], str | None, list[Any]], path: str
) -> list[tuple[str, str]]:
    """Paths that always index elements (`name.0`, `name.1`) and the strings they must reach."""
    _, attributes, text, children = element
    out = [(join_path(path, "@" + name), value) for name, value in attributes.items()]
    if text is not None:
        out.append((join_path(path, "#text") if attributes or children else path, text))
    seen: dict[str, int] = {}
    for child in children:
        index = seen.get(child[0], 0)
        seen[child[0]] = index + 1
        out.extend(expected_xml_values(child, join_path(join_path(path, child[0]), index)))
    return out


# --------------------------------------------------------------------------- properties


@given(json_values)
def test_every_generated_path_resolves_to_its_leaf_in_json(document: Any) -> None:
    check_generate_resolve(document)


@given(xml_elements())
def test_every_generated_path_resolves_to_its_leaf_in_xmltodict_output(element: Any) -> None:
    xml = xmltodict.unparse({element[0]: to_xmltodict(element)})
    document = xmltodict.parse(xml)
    check_generate_resolve(document)
    # Hand-written style paths with `.0` on every element, repeated or not, reach the same values.
    for path, value in expected_xml_values(element, format_segment(element[0])):
        assert resolve(document, path) == value, (xml, path)


@given(st.lists(st.one_of(keys, st.integers(min_value=0, max_value=10**6)), max_size=8))
def test_format_then_parse_round_trips(segments: list[Segment]) -> None:
    path = format_path(segments)
    assert not any(is_control(c) for c in path)  # one plain line, safe to print, whatever the keys
    parsed = parse_path(path)
    assert [p.text for p in parsed] == [str(s) for s in segments]
    assert [p.quoted for p in parsed] == [isinstance(s, str) and needs_quoting(s) for s in segments]
    assert [p.is_digits for p in parsed] == [isinstance(s, int) for s in segments]


@given(json_values)
def test_paths_output_lines_hold_no_control_characters(document: Any) -> None:
    for path, value in iter_leaves(document):
        line = format_leaf_line(path, value)
        assert not any(is_control(c) for c in line), line
        head = f"{path or '.'} = "
        assert line.startswith(head)
        assert json.loads(line[len(head) :]) == value  # the value part is still exact JSON


@given(st.text(alphabet='ab0u1."\\ [\n\x1b\x9b', max_size=12))
def test_parse_arbitrary_text_either_parses_or_raises_path_error(path: str) -> None:
    try:
        parsed = parse_path(path)
    except PathError as error:
        assert not any(is_control(c) for c in str(error))
        shown = "".join(f"\\u{ord(c):04x}" if is_control(c) else c for c in path)
        assert str(error).startswith(f"bad path '{shown}': ")
        assert " at column " in str(error)
        return
    # Whatever parsed, written back canonically, parses to the same keys.
    again = parse_path(".".join(format_segment(p.text) if p.quoted else p.text for p in parsed))
    assert [p.text for p in again] == [p.text for p in parsed]


# --------------------------------------------------------------------------- quoting


@pytest.mark.parametrize("key", ["@id", "#text", "soap:Envelope", "a-b", "ünï", "٣", "a/b", "x=1", "ns:a"])
def test_bare_keys(key: str) -> None:
    assert format_segment(key) == key
    assert parse_path(key) == [ParsedSegment(key, quoted=False)]


@pytest.mark.parametrize(
    ("key", "written"),
    [
        ("a.b", '"a.b"'),
        ("", '""'),
        ("0", '"0"'),
        ("007", '"007"'),
        ("first name", '"first name"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("[0]", '"[0]"'),
        ("tab\tkey", '"tab\\u0009key"'),
        ("line\nbreak", '"line\\u000abreak"'),
        ("\x1b]0;x\x07", '"\\u001b]0;x\\u0007"'),
        ("\x9b2J", '"\\u009b2J"'),
        ("del\x7f", '"del\\u007f"'),
    ],
)
def test_quoted_keys(key: str, written: str) -> None:
    assert format_segment(key) == written
    assert parse_path(written) == [ParsedSegment(key, quoted=True)]


def test_unicode_escapes_inside_quotes_are_read_back() -> None:
    document = {"\x1b]52;c;eA==\x07": {"ü": 1}}
    assert resolve(document, '"\\u001b]52;c;eA==\\u0007"."\\u00FC"') == 1
    assert parse_path('"a\\u0041"') == [ParsedSegment("aA", quoted=True)]
    # A control character typed raw inside quotes (an older profile) still stands for itself.
    assert parse_path('"a\x1bb"') == [ParsedSegment("a\x1bb", quoted=True)]


def test_paths_join_keys_and_indices() -> None:
    assert format_path([]) == ""
    assert format_path(["users", 0, "title"]) == "users.0.title"
    assert format_path(["users", 12, "a.b", "0", ""]) == 'users.12."a.b"."0".""'
    assert join_path("", "users") == "users"
    assert join_path("users", 3) == "users.3"
    assert join_path("users.3", "first name") == 'users.3."first name"'
    with pytest.raises(ValueError):
        format_path([-1])
    with pytest.raises(TypeError):
        format_path([1.5])  # type: ignore[list-item]


# --------------------------------------------------------------------------- parse errors


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ('a."b', "bad path 'a.\"b': unterminated quote at column 3"),
        ('"a\\', "bad path '\"a\\': unterminated quote at column 1"),
        (
            '"a\\nb"',
            "bad path '\"a\\nb\"': bad escape '\\n' at column 3"
            ' (the escapes are \\", \\\\ and \\u with four hex digits)',
        ),
        (
            '"\\u12"',
            "bad path '\"\\u12\"': bad escape '\\u' at column 2"
            ' (the escapes are \\", \\\\ and \\u with four hex digits)',
        ),
        (
            "a\x1bb",
            "bad path 'a\\u001bb': unexpected \\u001b at column 2"
            ' (quote a key that has it, with the character written \\u001b: "...")',
        ),
        ('"a"b', "bad path '\"a\"b': expected '.' after the closing quote at column 4"),
        ("a..b", "bad path 'a..b': empty segment at column 3"),
        ("a.", "bad path 'a.': empty segment at column 3"),
        (".a", "bad path '.a': empty segment at column 1"),
        ('"x".', "bad path '\"x\".': empty segment at column 5"),
        (
            "first name",
            "bad path 'first name': unexpected ' ' at column 6 (quote a key that has it: \"...\")",
        ),
        (
            "users[0]",
            "bad path 'users[0]': unexpected '[' at column 6"
            " (write a list index as .0, and quote a key that has brackets)",
        ),
        ('a"b', "bad path 'a\"b': unexpected '\"' at column 2 (quote a key that has it: \"...\")"),
    ],
)
def test_parse_errors_name_the_column(path: str, message: str) -> None:
    with pytest.raises(PathError) as caught:
        parse_path(path)
    assert str(caught.value) == message
    assert isinstance(caught.value, HookbenchError)


def test_malformed_path_raises_from_resolve_and_lookup() -> None:
    with pytest.raises(PathError, match="unterminated quote"):
        resolve({}, 'a."b')
    with pytest.raises(PathError, match="empty segment"):
        lookup({}, "a..b")


# --------------------------------------------------------------------------- resolving

DOC: dict[str, Any] = {
    "users": [{"title": "Ms", "a.b": {"c": 1}}, {"title": "Mr"}],
    "a.b": "text",
    "0": "zero key",
    "x": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6},
    "few": {"a": 1, "b": 2},
    "empty": {},
    "none": [],
    "nothing": None,
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("", DOC),
        ("users.0.title", "Ms"),
        ("users.1.title", "Mr"),
        ('users.0."a.b".c', 1),
        ('"a.b"', "text"),
        ('"0"', "zero key"),
        ("0", "zero key"),  # lenient: bare digits on an object that has the key
        ("users.0.title.0", "Ms"),  # bare 0 on a non-list is the value itself
        ("few.0.a", 1),
        ("empty", {}),
        ("nothing", None),
        ("nothing.0", None),
        ("users.01.title", "Mr"),
    ],
)
def test_resolve(path: str, value: Any) -> None:
    assert resolve(DOC, path) == value
    assert lookup(DOC, path) == (True, value)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("users.3.title", "no value at 'users.3.title': 'users' has 2 items"),
        ('"a.b".b.c', "no value at '\"a.b\".b.c': '\"a.b\"' is a string, not an object"),
        ("users.0.title.x", "no value at 'users.0.title.x': 'users.0.title' is a string, not an object"),
        ("x.y", "no value at 'x.y': key 'y' not found in 'x' (keys: a, b, c, d, e …)"),
        ("few.y", "no value at 'few.y': key 'y' not found in 'few' (keys: a, b)"),
        ("empty.y", "no value at 'empty.y': key 'y' not found in 'empty' (no keys)"),
        ('few."y z"', "no value at 'few.\"y z\"': key '\"y z\"' not found in 'few' (keys: a, b)"),
        ("none.0", "no value at 'none.0': 'none' is an empty list"),
        (
            "users.title",
            "no value at 'users.title': 'users' is a list (2 items), not an object: 'title' is not an index",
        ),
        (
            'users."0"',
            "no value at 'users.\"0\"': 'users' is a list (2 items), not an object:"
            " '\"0\"' is quoted, so it is a key, not an index",
        ),
        (
            "few.1",
            "no value at 'few.1': 'few' is an object (2 keys), not a list,"
            " so only index 0 applies to it, and it has no key '1' (keys: a, b)",
        ),
        ("users.0.title.1", "no value at 'users.0.title.1': 'users.0.title' is a string, not a list"),
        ("nothing.x", "no value at 'nothing.x': 'nothing' is null, not an object"),
        (
            "missing",
            "no value at 'missing': key 'missing' not found in the root (keys: users, \"a.b\", \"0\", x, few …)",
        ),
        (
            "users.99999999999999999999999999",
            "no value at 'users.99999999999999999999999999': 'users' has 2 items",
        ),
    ],
)
def test_resolve_errors_name_the_path_and_where_it_stopped(path: str, message: str) -> None:
    with pytest.raises(PathError) as caught:
        resolve(DOC, path)
    assert str(caught.value) == message
    assert lookup(DOC, path) == (False, None)


def test_root_errors() -> None:
    with pytest.raises(PathError, match=r"^no value at 'a': the root is a number, not an object$"):
        resolve(5, "a")
    with pytest.raises(PathError, match=r"^no value at '1': the root has 1 item$"):
        resolve(["x"], "1")
    assert resolve("s", "0.0") == "s"


# --------------------------------------------------------------------------- XML shapes


def test_single_element_is_an_object_and_dot_zero_still_works() -> None:
    one = xmltodict.parse("<users><user><name>A</name></user></users>")
    two = xmltodict.parse("<users><user><name>A</name></user><user><name>B</name></user></users>")
    assert resolve(one, "users.user.0.name") == "A"
    assert resolve(one, "users.user.name") == "A"
    assert resolve(two, "users.user.0.name") == "A"
    assert resolve(two, "users.user.1.name") == "B"
    assert describe_kind(resolve(one, "users.user")) == "object (1 key)"
    assert describe_kind(resolve(two, "users.user")) == "list (2 items)"
    # Generated paths follow the real shape: no index for the single element.
    assert list(iter_leaves(one)) == [("users.user.name", "A")]
    assert list(iter_leaves(two)) == [("users.user.0.name", "A"), ("users.user.1.name", "B")]
    with pytest.raises(PathError) as caught:
        resolve(one, "users.user.1.name")
    assert str(caught.value) == (
        "no value at 'users.user.1.name': 'users.user' is an object (1 key), not a list,"
        " so only index 0 applies to it, and it has no key '1' (keys: name)"
    )
    with pytest.raises(PathError) as caught:
        resolve(two, "users.user.name")
    assert "'users.user' is a list (2 items), not an object: 'name' is not an index" in str(caught.value)


SOAP = """<?xml version="1.0"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <GetUserResponse xmlns="urn:users">
      <user id="42" xml:lang="en"><name>Ada</name><mail.address>ada@example.com</mail.address></user>
    </GetUserResponse>
  </soap:Body>
</soap:Envelope>"""


def test_soap_envelope_paths() -> None:
    document = xmltodict.parse(SOAP)
    assert resolve(document, "soap:Envelope.soap:Body.GetUserResponse.user.@id") == "42"
    assert resolve(document, "soap:Envelope.soap:Body.GetUserResponse.user.0.name") == "Ada"
    assert resolve(document, "soap:Envelope.@xmlns:soap") == "http://schemas.xmlsoap.org/soap/envelope/"
    leaves = dict(iter_leaves(document))
    assert leaves["soap:Envelope.soap:Body.GetUserResponse.user.@id"] == "42"
    assert leaves["soap:Envelope.soap:Body.GetUserResponse.user.@xml:lang"] == "en"
    assert leaves['soap:Envelope.soap:Body.GetUserResponse.user."mail.address"'] == "ada@example.com"
    assert leaves["soap:Envelope.soap:Body.GetUserResponse.@xmlns"] == "urn:users"


def test_text_and_attributes_of_one_element() -> None:
    document = xmltodict.parse('<price currency="EUR">9.50</price>')
    assert list(iter_leaves(document)) == [("price.@currency", "EUR"), ("price.#text", "9.50")]
    assert resolve(document, "price.0.#text") == "9.50"


# --------------------------------------------------------------------------- deep documents

DEPTH = 10_000


def test_ten_thousand_levels_do_not_recurse() -> None:
    document: Any = "bottom"
    segments: list[Segment] = []
    for level in range(DEPTH):
        if level % 2:
            document = {"k.ey": document}
            segments.append("k.ey")
        else:
            document = [document]
            segments.append(0)
    segments.reverse()
    assert DEPTH > sys.getrecursionlimit()
    leaves = list(iter_leaves(document))
    path = format_path(segments)
    assert leaves == [(path, "bottom")]
    assert len(parse_path(path)) == DEPTH
    assert resolve(document, path) == "bottom"
    with pytest.raises(PathError, match="^no value at "):
        resolve(document, path + ".x")
    assert describe_kind(document) == "object (1 key)"


def test_ten_thousand_levels_of_xml() -> None:
    xml = "<a>" * DEPTH + "leaf" + "</a>" * DEPTH
    document = xmltodict.parse(xml)
    ((path, value),) = list(iter_leaves(document))
    assert path == ".".join(["a"] * DEPTH)
    assert value == "leaf"
    assert resolve(document, path) == "leaf"
    assert resolve(document, ".".join(["a.0"] * DEPTH)) == "leaf"


def test_deep_document_with_leaves_at_every_level() -> None:
    document: Any = {}
    for level in range(300):
        document = {"v": level, "n": document}
    leaves = list(iter_leaves(document))
    assert len(leaves) == 301
    for path, value in leaves:
        assert resolve(document, path) is value
    assert leaves[0] == ("v", 299)
    assert leaves[-1] == (".".join(["n"] * 300), {})


# --------------------------------------------------------------------------- leaves and lines


def test_iter_leaves_order_empty_containers_and_prefix() -> None:
    document = {"b": [1, [], {}], "a": {"x": None}, "": "empty key"}
    assert list(iter_leaves(document)) == [
        ("b.0", 1),
        ("b.1", []),
        ("b.2", {}),
        ("a.x", None),
        ('""', "empty key"),
    ]
    assert list(iter_leaves(document["b"], prefix=["b"])) == [("b.0", 1), ("b.1", []), ("b.2", {})]
    assert list(iter_leaves(7)) == [("", 7)]
    assert list(iter_leaves([])) == [("", [])]
    assert list(iter_leaves({}, prefix=["users", 3])) == [("users.3", {})]


def listed_lines(document: Any) -> list[str]:
    """The lines `leaf_text` gives, checking each of its runs is whole lines."""
    runs = list(leaf_text(document))
    assert all(run.endswith("\n") for run in runs)
    return "".join(runs).split("\n")[:-1]


def reference_lines(document: Any) -> list[str]:
    """`hookbench paths` lines from the independent leaf listing."""
    return [format_leaf_line(format_path(segments), value) for segments, value in reference_leaves(document)]


@given(json_values)
def test_leaf_text_is_the_formatted_leaves(document: Any) -> None:
    assert listed_lines(document) == reference_lines(document)


@st.composite
def records_alike(draw: st.DrawFn) -> list[Any]:
    """A list of records with the same keys (an export's rows), sometimes with one record
    that differs: a key missing, keys in another order, a list or empty object as a value,
    a nested record with other keys. Long enough to be emitted column by column."""
    columns = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    nested = draw(st.lists(keys, min_size=1, max_size=3, unique=True))
    count = draw(st.integers(min_value=16, max_value=40))

    def record(index: int) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for position, key in enumerate(columns):
            if position == 1 and draw(st.booleans()):
                row[key] = {inner: draw(scalars) for inner in nested}
            else:
                row[key] = draw(scalars)
        return row

    rows = [record(index) for index in range(count)]
    if len(columns) > 1 and all(type(row[columns[1]]) is dict for row in rows[:1]):
        for row in rows:  # the nested column is a record in every row, or in none
            row[columns[1]] = {inner: draw(scalars) for inner in nested}
    else:
        for row in rows:
            if len(columns) > 1:
                row[columns[1]] = draw(scalars)
    odd = draw(
        st.sampled_from(
            ["none", "none", "none", "missing", "order", "list", "empty", "other keys", "scalar row"]
        )
    )
    at = draw(st.integers(min_value=0, max_value=count - 1))
    if odd == "missing":
        rows[at].pop(columns[0])
    elif odd == "order":
        rows[at] = dict(reversed(list(rows[at].items())))
    elif odd == "list":
        rows[at][columns[0]] = [draw(scalars), draw(scalars)]
    elif odd == "empty":
        rows[at][columns[0]] = {}
    elif odd == "other keys":
        rows[at][columns[0]] = {"x": 1}
    elif odd == "scalar row":
        rows[at] = draw(scalars)  # type: ignore[assignment]
    return rows


@given(records_alike(), st.sampled_from(["", "users", "a.b"]))
def test_records_alike_give_the_same_leaves_and_lines(rows: list[Any], key: str) -> None:
    document: Any = {key: rows, "after": 1} if key else rows
    leaves = list(iter_leaves(document))
    expected = reference_leaves(document)
    assert [path for path, _ in leaves] == [format_path(segments) for segments, _ in expected]
    assert all(value is ref for (_, value), (_, ref) in zip(leaves, expected))
    assert listed_lines(document) == reference_lines(document)


def test_many_records_come_in_bounded_batches() -> None:
    rows = [{"id": f"r{i}", "name": {"first": "Ada", "last": "\x1b]0;x"}, "n": i} for i in range(10_000)]
    runs = list(leaf_text({"rows": rows}))
    assert max(run.count("\n") for run in runs) <= 4096
    lines = listed_lines({"rows": rows})
    assert len(lines) == 40_000
    assert lines[:4] == [
        'rows.0.id = "r0"',
        'rows.0.name.first = "Ada"',
        'rows.0.name.last = "\\u001b]0;x"',
        "rows.0.n = 0",
    ]
    assert lines[-1] == "rows.9999.n = 9999"


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        ("users.0.title", "Ms", 'users.0.title = "Ms"'),
        ("city", "Zürich", 'city = "Zürich"'),
        ("q", 'say "hi"\n', 'q = "say \\"hi\\"\\n"'),
        ("n", 3, "n = 3"),
        ("f", 2.5, "f = 2.5"),
        ("nan", float("nan"), "nan = NaN"),
        ("t", True, "t = true"),
        ("f", False, "f = false"),
        ("z", None, "z = null"),
        ("e", {}, "e = {}"),
        ("l", [], "l = []"),
        ("", 5, ". = 5"),
        ('"first name"', "Ada", '"first name" = "Ada"'),
        ("osc", "\x1b]0;t\x07", 'osc = "\\u001b]0;t\\u0007"'),
        ("c1", "\x9b2J\x7f", 'c1 = "\\u009b2J\\u007f"'),
        ("l", ["\x9b"], 'l = ["\\u009b"]'),
    ],
)
def test_format_leaf_line(path: str, value: Any, line: str) -> None:
    assert format_leaf_line(path, value) == line


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"a": 1, "b": 2, "c": 3}, "object (3 keys)"),
        ({"a": 1}, "object (1 key)"),
        ({}, "object (0 keys)"),
        ([1, 2], "list (2 items)"),
        ([1], "list (1 item)"),
        ("s", "string"),
        (1, "number"),
        (1.5, "number"),
        (True, "boolean"),
        (None, "null"),
    ],
)
def test_describe_kind(value: Any, kind: str) -> None:
    assert describe_kind(value) == kind
