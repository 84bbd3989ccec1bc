"""Shapes (paths with indices collapsed) and diffs between documents, on hand-built pairs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import xmltodict
from hypothesis import given
from hypothesis import strategies as st

from tui.core.diff import diff_documents
from tui.core.model import SetVariable
from tui.core.paths import iter_leaves, lookup
from tui.core.shape import PathShape, fold_repeats, format_shape, shape_of

DATA = Path(__file__).resolve().parents[1] / "data"
USERS = json.loads((DATA / "users.json").read_text())


def test_indices_collapse_to_a_star_with_types_and_counts() -> None:
    shape = shape_of(USERS)
    assert list(shape) == [
        "",
        "users",
        "users.*",
        "users.*.id",
        "users.*.title",
        "users.*.name",
        "users.*.tags",
        "users.*.tags.*",
        "meta",
        "meta.count",
        "meta.next",
        'meta."a.b"',
    ]
    assert shape["users.*.title"] == PathShape(("string",), 2)
    assert shape["users.*.tags.*"] == PathShape(("string",), 1)  # one tag in all
    assert shape["meta.next"] == PathShape(("null",), 1)
    assert shape['meta."a.b"'] == PathShape(("boolean",), 1)


def test_mixed_types_are_listed_in_a_fixed_order() -> None:
    shape = shape_of({"a": [1, "x", None, 2.5, True, {}, []]})
    assert shape["a.*"].types == ("object", "list", "string", "number", "boolean", "null")
    assert shape["a.*"].count == 7
    assert "a.*.*" not in shape  # empty containers have no children


def test_objects_with_different_keys_merge_their_columns() -> None:
    shape = shape_of({"items": [{"a": 1, "b": 2}, {"b": "x"}, {"c": None, "a": 3}]})
    assert list(shape)[3:] == ["items.*.a", "items.*.b", "items.*.c"]
    assert shape["items.*.a"] == PathShape(("number",), 2)
    assert shape["items.*.b"] == PathShape(("string", "number"), 2)


def test_a_key_named_star_is_quoted_so_it_is_no_wildcard() -> None:
    shape = shape_of({"*": [1], "0": {"x": 1}})
    assert '"*"' in shape and '"*".*' in shape and '"0".x' in shape


def test_xml_paths_are_the_trees() -> None:
    shape = shape_of(xmltodict.parse((DATA / "users.xml").read_text()))
    assert shape["users.user.*.@id"] == PathShape(("string",), 2)
    assert shape["users.@count"].types == ("string",)


def test_lines_align_and_show_the_root_as_a_dot() -> None:
    lines = list(format_shape(shape_of({"users": [{"title": "Ms"}, {"title": "Dr"}]})))
    assert lines[0].split() == [".", "object", "(1)"]
    assert lines[-1].split() == ["users.*.title", "string", "(2)"]
    assert len({line.index("(") for line in lines}) == 1


def test_every_collapsed_leaf_path_of_the_shape_comes_from_a_real_path() -> None:
    """Collapsing the indices of each leaf path gives a path the shape knows."""
    shape = shape_of(USERS)
    for path, _ in iter_leaves(USERS):
        collapsed = ".".join("*" if part.isdigit() else part for part in path.split("."))
        assert collapsed in shape


# --------------------------------------------------------------------------- diff


def test_same_document_is_the_same_shape() -> None:
    diff = diff_documents(USERS, copy.deepcopy(USERS), values=True)
    assert diff.same_shape and not diff.drifted and diff.values == ()


def test_a_list_that_only_grew_or_shrank_is_the_same_shape() -> None:
    longer = copy.deepcopy(USERS)
    longer["users"].append({"id": 3, "title": "Mr", "name": "Alan", "tags": ["x", "y"]})
    assert diff_documents(USERS, longer).same_shape
    shorter = copy.deepcopy(USERS)
    del shorter["users"][1]
    diff = diff_documents(USERS, shorter)
    assert diff.same_shape and not diff.drifted


def test_added_removed_and_type_changed_paths() -> None:
    changed = copy.deepcopy(USERS)
    for user in changed["users"]:
        user["salutation"] = user.pop("title")
        user["id"] = str(user["id"])
    changed["page"] = {"next": None}
    diff = diff_documents(USERS, changed)
    assert [path for path, _ in diff.added] == ["users.*.salutation", "page", "page.next"]
    assert [path for path, _ in diff.removed] == ["users.*.title"]
    assert [(c.path, c.before, c.after) for c in diff.type_changed] == [
        ("users.*.id", ("number",), ("string",))
    ]
    assert diff.drifted and not diff.same_shape
    data = diff.to_json()
    assert data["removed"] == [{"path": "users.*.title", "types": ["string"], "count": 2}]
    assert data["type_changed"] == [{"path": "users.*.id", "before": ["number"], "after": ["string"]}]
    assert "values" not in data


def test_null_appearing_is_a_type_change() -> None:
    changed = copy.deepcopy(USERS)
    changed["users"][0]["title"] = None
    diff = diff_documents(USERS, changed)
    assert [(c.path, c.after) for c in diff.type_changed] == [("users.*.title", ("string", "null"))]


def test_values_list_changes_additions_and_removals_by_full_path() -> None:
    changed = copy.deepcopy(USERS)
    changed["users"][0]["name"] = "Ada King"
    changed["users"][1]["tags"] = ["new"]
    changed["meta"]["count"] = True  # 1 == True in Python, not in JSON
    changed["meta"]["a.b"] = 1
    diff = diff_documents(USERS, changed, values=True)
    assert diff.values is not None
    found = {(v.path, v.kind, json.dumps(v.before), json.dumps(v.after)) for v in diff.values}
    assert found == {
        ("users.0.name", "changed", '"Ada Lovelace"', '"Ada King"'),
        ("users.1.tags", "removed", "[]", "null"),
        ("users.1.tags.0", "added", "null", '"new"'),
        ("meta.count", "changed", "2", "true"),
        ('meta."a.b"', "changed", "true", "1"),
    }


def test_rows_that_resolve_in_a_and_not_in_b_are_broken() -> None:
    rows = (
        SetVariable("users.0.title", target="title"),
        SetVariable("users.1.name", target="name"),
        SetVariable("users.5.name", target="never"),  # missing in A too: not broken by B
        SetVariable("users.[0]", target="bad"),  # malformed: nobody's drift
    )
    shorter = copy.deepcopy(USERS)
    del shorter["users"][1]
    del shorter["users"][0]["title"]
    shorter["users"][0]["honorific"] = "Ms"
    diff = diff_documents(USERS, shorter, rows=rows)
    assert [b.row.target for b in diff.broken] == ["title", "name"]
    assert "key 'title' not found" in diff.broken[0].problem
    assert "'users' has 1 item" in diff.broken[1].problem
    # a row past the end of a shorter list is drift even though the shape is the same
    only_shorter = copy.deepcopy(USERS)
    del only_shorter["users"][1]
    same = diff_documents(USERS, only_shorter, rows=rows)
    assert same.same_shape and same.drifted
    assert same.to_json()["broken_rows"] == [
        {"path": "users.1.name", "publishes": "name", "problem": same.broken[0].problem}
    ]


def test_xml_one_element_or_many_is_the_same_shape() -> None:
    one = xmltodict.parse("<r><user id='1'><name>a</name></user></r>")
    two = xmltodict.parse("<r><user id='1'><name>a</name></user><user id='2'><name>b</name></user></r>")
    assert not diff_documents(one, two).same_shape  # as JSON would see it
    assert diff_documents(one, two, xml=True).same_shape
    renamed = xmltodict.parse("<r><user id='1'><fullname>a</fullname></user></r>")
    diff = diff_documents(two, renamed, xml=True)
    assert [p for p, _ in diff.added] == ["r.user.fullname"]
    assert [p for p, _ in diff.removed] == ["r.user.name"]
    assert list(fold_repeats(shape_of(two))) == ["", "r", "r.user", "r.user.@id", "r.user.name"]
    row = SetVariable("r.user.0.name", target="n")
    assert lookup(one, row.name)[0] and lookup(two, row.name)[0]
    assert [b.row for b in diff_documents(two, renamed, rows=[row], xml=True).broken] == [row]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


def _nodes(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(_nodes(child) for child in value.values())
    if isinstance(value, list):
        return 1 + sum(_nodes(child) for child in value)
    return 1


@given(json_values)
def test_every_node_is_counted_once_and_a_copy_has_the_same_shape(document: object) -> None:
    shape = shape_of(document)
    assert shape[""].count == 1
    assert sum(entry.count for entry in shape.values()) == _nodes(document)
    assert diff_documents(document, copy.deepcopy(document)).same_shape
