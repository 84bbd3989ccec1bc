"""Find in a document: text over keys, values and paths; `*` patterns over dot paths; text in lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.errors import PathError
from tui.core.paths import iter_leaves, resolve
from tui.core.responses import parse_xml
from tui.core.search import Scan, find_in_lines, find_nodes, scalar_text

DATA = Path(__file__).resolve().parents[1] / "data"
USERS = json.loads((DATA / "users.json").read_text())


def paths(document: Any, query: str) -> list[str]:
    return [path for path, _ in find_nodes(document, query)]


def test_text_matches_keys_values_case_insensitively_in_document_order() -> None:
    assert paths(USERS, "TITLE") == ["users.0.title", "users.1.title"]
    assert paths(USERS, "grace") == ["users.1.name"]
    assert paths(USERS, "tags") == ["users.0.tags", "users.1.tags"]  # containers match by key
    assert paths(USERS, "null") == ["meta.next"]
    assert paths(USERS, "true") == ['meta."a.b"']
    assert paths(USERS, "2") == ["users.1.id", "meta.count"]  # list indices are not keys


def test_values_come_with_their_paths() -> None:
    assert list(find_nodes(USERS, "lovelace")) == [("users.0.name", "Ada Lovelace")]
    assert list(find_nodes(USERS, "meta")) == [("meta", USERS["meta"])]


def test_text_with_a_dot_matches_paths_without_listing_every_descendant() -> None:
    assert paths(USERS, "users.1") == ["users.1"]
    assert paths(USERS, "s.0.t") == ["users.0.title", "users.0.tags"]
    assert paths(USERS, "0.tags.0") == ["users.0.tags.0"]
    assert paths(USERS, "a.b") == ['meta."a.b"']  # a key with a dot, quoted in its path


def test_patterns_match_the_end_of_paths_segment_by_segment() -> None:
    assert paths(USERS, "users.*.title") == ["users.0.title", "users.1.title"]
    assert paths(USERS, "*.title") == ["users.0.title", "users.1.title"]
    assert paths(USERS, "*.t*") == ["users.0.title", "users.0.tags", "users.1.title", "users.1.tags"]
    assert paths(USERS, "users.*") == ["users.0", "users.1"]
    assert paths(USERS, "**.tags.*") == ["users.0.tags.0"]
    assert paths(USERS, "meta.*") == ["meta.count", "meta.next", 'meta."a.b"']
    assert paths(USERS, '*."a.b"') == ['meta."a.b"']  # quoted: literal
    assert paths(USERS, "USERS.*.NAME") == ["users.0.name", "users.1.name"]


def test_a_malformed_pattern_is_a_path_error() -> None:
    with pytest.raises(PathError, match="unterminated quote"):
        paths(USERS, 'users."*')


def test_xml_paths_are_the_trees_and_resolve() -> None:
    document, error = parse_xml((DATA / "soap-response.xml").read_text())
    assert error is None
    found = list(find_nodes(document, "ada@"))
    assert found == [("soap:Envelope.soap:Body.GetUserResponse.user.email", "ada@example.com")]
    assert paths(document, "user.@*") == ["soap:Envelope.soap:Body.GetUserResponse.user.@id"]
    assert paths(document, "@xmlns:soap") == ["soap:Envelope.@xmlns:soap"]
    for path, value in find_nodes(document, "*"):
        assert resolve(document, path) == value


def test_scalar_documents_and_empty_queries() -> None:
    assert list(find_nodes("hello", "ELL")) == [("", "hello")]
    assert list(find_nodes(42, "4")) == [("", 42)]
    assert list(find_nodes(USERS, "")) == []
    assert list(find_nodes(USERS, "   ")) == []
    assert list(find_nodes({}, "*")) == []


def test_scalar_text_is_what_the_tree_shows() -> None:
    assert [scalar_text(v) for v in ("Ms", 1, 2.5, True, False, None)] == [
        "Ms",
        "1",
        "2.5",
        "true",
        "false",
        "null",
    ]


def test_stop_ends_a_long_search_and_scan_says_how_far_it_got() -> None:
    document = {"items": [{"n": i} for i in range(50_000)]}
    scan = Scan()
    found = list(find_nodes(document, "no such text", scan=scan))
    assert found == [] and scan.done and scan.seen == 100_001
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) >= 3

    scan = Scan()
    assert list(find_nodes(document, "no such text", stop=stop, scan=scan)) == []
    assert not scan.done and 0 < scan.seen < 100_001


def test_deep_documents_do_not_recurse() -> None:
    document: Any = "bottom"
    for _ in range(5000):
        document = {"k": document}
    ((path, value),) = find_nodes(document, "bottom")
    assert value == "bottom" and path.count(".") == 4999


def test_find_in_lines_yields_every_occurrence() -> None:
    lines = ["{", '  "Name": "name-name",', '  "x": 1', "}"]
    assert list(find_in_lines(lines, "NAME")) == [(1, 3), (1, 11), (1, 16)]
    assert list(find_in_lines(lines, "")) == []
    scan = Scan()
    assert list(find_in_lines(lines, "zzz", scan=scan)) == [] and scan.seen == 4 and scan.done


keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(documents, st.text(st.sampled_from('ab.0*" '), min_size=1, max_size=4))
def test_every_match_resolves_to_its_value(document: Any, query: str) -> None:
    try:
        found = list(find_nodes(document, query))
    except PathError:
        return  # a malformed pattern
    for path, value in found:
        assert resolve(document, path) == value


@settings(max_examples=200, deadline=None)
@given(documents)
def test_star_star_finds_every_node_and_leaves_agree_with_iter_leaves(document: Any) -> None:
    every = list(find_nodes(document, "**"))
    leaves = [(p, v) for p, v in every if not (isinstance(v, (dict, list)) and v)]
    expected = [(p, v) for p, v in iter_leaves(document) if p]  # the root is not a match of a pattern
    assert leaves == expected


def test_index_patterns_on_a_list_longer_than_the_memo() -> None:
    document = {"items": [{"n": i} for i in range(70_000)]}
    assert len(paths(document, "items.*.n")) == 70_000
    assert paths(document, "items.6999*.n") == [
        "items.6999.n",
        *(f"items.{i}.n" for i in range(69990, 70000)),
    ]
    assert paths(document, "*.69999.*") == ["items.69999.n"]


def reference_pattern(document: Any, query: str) -> list[str]:
    """Every node whose segments end with ones the pattern's segments match: a plain recursion."""
    import fnmatch

    from tui.core.paths import format_path, parse_path

    pattern = parse_path(query)

    def fits(parts: list[str], segs: list) -> bool:
        if not segs:
            return not parts
        head, rest = segs[0], segs[1:]
        if head.text == "**" and not head.quoted:
            return any(fits(parts[i:], rest) for i in range(len(parts) + 1))
        if not parts:
            return False
        text = head.text if head.quoted else head.text.replace("[", "[[]").replace("?", "[?]")
        matched = (
            parts[0].lower() == head.text.lower()
            if head.quoted
            else fnmatch.fnmatchcase(parts[0].lower(), text.lower())
        )
        return matched and fits(parts[1:], rest)

    found: list[str] = []

    def walk(value: Any, segments: list) -> None:
        parts = [str(s) for s in segments]
        if segments and any(fits(parts[i:], pattern) for i in range(len(parts))):
            found.append(format_path(segments))
        children = (
            value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        )
        for key, child in children:
            walk(child, [*segments, key])

    walk(document, [])
    return found


@settings(max_examples=300, deadline=None)
@given(
    documents,
    st.lists(st.sampled_from(["*", "**", "a", "A*", "*b", "0", "1*", '"a.b"']), min_size=1, max_size=3),
)
def test_patterns_find_exactly_the_nodes_a_plain_recursion_finds(document: Any, segments: list[str]) -> None:
    query = ".".join(segments)
    if "*" not in query:
        query += ".*"
    assert paths(document, query) == reference_pattern(document, query)
