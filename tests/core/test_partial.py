"""Snapshots of a document being decoded hold finished values only and agree with the
document once decoded; a cancelled decode frees what it built before it gives up."""

from __future__ import annotations

import json
import threading
import tracemalloc
from typing import Any

import pytest
import xmltodict

import tui.core.progress as progress_module
from tui.core.bulk import dismantle, release_later
from tui.core.jsontree import parse_json_text
from tui.core.partial import Partial
from tui.core.progress import Cancelled, Progress
from tui.core.xmltree import parse_xml_tree


class Recording(Progress):
    """A Progress that keeps every snapshot it publishes (and can cancel itself half-way)."""

    def __init__(self, cancel_at: float = 2.0) -> None:
        super().__init__()
        self.snapshots: list[Partial] = []
        self.cancel_at = cancel_at

    def advance(self, fraction: float) -> None:
        if fraction >= self.cancel_at:
            self.cancel()
        super().advance(fraction)
        if self.partial is not None and (not self.snapshots or self.partial is not self.snapshots[-1]):
            self.snapshots.append(self.partial)


@pytest.fixture(autouse=True)
def every_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "SNAPSHOT_EVERY", 0.0)


def _records(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"id": i, "email": f"user{i}@example.com", "tags": ["a", "b"], "n": {"x": i}}
        for i in range(start, start + count)
    ]


def _json_document() -> dict[str, Any]:
    return {
        "count": 3,
        "subscribers": _records(12_000),
        "nested": {"first": 1, "inner": _records(9_000, 50_000), "after": "done"},
        "lists": [_records(7_000, 90_000), 5, [1, 2, 3]],
        "tail": {"ok": True},
    }


def _at(document: Any, path: list[Any]) -> Any:
    for key in path:
        document = document[key]
    return document


def _check(snapshot: Partial, final: Any, *, xml: bool = False) -> int:
    """Every finished member of every level equals the final document's value at its path;
    the member being read is not among the finished ones. Returns how many were compared."""
    compared = 0
    path: list[Any] = []
    for level in snapshot:
        target = _at(final, path)
        if xml and isinstance(level.value, list) and not isinstance(target, list):
            target = [target]  # a group of one element is its value alone in xmltodict's mapping
        if isinstance(level.value, dict):
            assert level.pending not in level.value
            for key, value in level.value.items():
                assert value == target[key], (path, key)
                compared += 1
        elif isinstance(level.value, list):
            assert level.value == target[: len(level.value)], path
            assert level.pending in (None, len(level.value))
            compared += len(level.value)
        if level.pending is None:
            break
        path.append(level.pending)
    return compared


def test_json_snapshots_hold_finished_values_only() -> None:
    document = _json_document()
    text = json.dumps(document, indent=1)
    progress = Recording()
    final = parse_json_text(text, progress=progress)
    assert final == document
    assert len(progress.snapshots) > 10
    compared = [_check(snapshot, final) for snapshot in progress.snapshots]
    assert max(compared) > 10_000  # the snapshots did show finished records, not only empty levels
    tops = [snapshot[0] for snapshot in progress.snapshots]
    assert tops[0].pending == "subscribers" and tops[0].value == {"count": 3}
    assert any(
        top.pending == "nested" and len(snapshot) >= 3 for top, snapshot in zip(tops, progress.snapshots)
    )
    assert any(top.pending == "lists" for top in tops)
    sizes = [len(top.value or ()) for top in tops]
    assert sizes == sorted(sizes)  # finished members only ever come, never go


def _soap(records: int) -> str:
    parts = [
        '<?xml version="1.0"?><soap:Envelope xmlns:soap="urn:s"><soap:Header><t a="1">x</t></soap:Header>'
    ]
    parts.append('<soap:Body><crm:Export xmlns:crm="urn:c" total="3">')
    for i in range(records):
        parts.append(f'<crm:record id="{i}"><crm:email>u{i}@x</crm:email><crm:n>{i}</crm:n></crm:record>\n')
    parts.append("<crm:done>yes</crm:done></crm:Export><soap:Trailer/></soap:Body></soap:Envelope>")
    return "".join(parts)


def test_xml_snapshots_hold_finished_values_only() -> None:
    text = _soap(40_000)
    progress = Recording()
    final = parse_xml_tree(text, progress=progress)
    assert final == xmltodict.parse(text)
    assert len(progress.snapshots) > 1
    compared = [_check(snapshot, final, xml=True) for snapshot in progress.snapshots]
    assert max(compared) > 1_000
    first = progress.snapshots[0]
    assert first[0].pending == "soap:Envelope"  # the root element is known from its start tag
    assert first[1].value == {"@xmlns:soap": "urn:s", "soap:Header": {"t": {"@a": "1", "#text": "x"}}}
    assert [level.pending for level in first[1:4]] == ["soap:Body", "crm:Export", "crm:record"]


def _traced() -> int:
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.parametrize("kind", ["json", "xml"])
def test_a_cancelled_decode_frees_its_tree_before_it_gives_up(kind: str) -> None:
    text = json.dumps(_json_document()) if kind == "json" else _soap(40_000)
    parse = parse_json_text if kind == "json" else parse_xml_tree
    finished = Progress()
    tracemalloc.start()
    try:
        before = _traced()
        whole = parse(text, progress=finished)
        built = _traced() - before
        del whole
        before = _traced()
        progress = Recording(cancel_at=0.7)
        with pytest.raises(Cancelled) as raised:
            parse(text, progress=progress)
        snapshots = len(progress.snapshots)
        progress.snapshots.clear()  # this test's own references to finished values
        # The traceback still holds the decoder's frames (and so its containers): what was
        # built is gone all the same, freed by the decoder before it raised.
        assert raised.value.__traceback__ is not None
        left = _traced() - before
    finally:
        tracemalloc.stop()
    assert progress.stopped.is_set() and progress.partial is None
    assert snapshots  # there was a partial tree to free
    # Without the freeing, 70 % of the tree would be left. What is left is what the decoder's
    # frames hold until the traceback goes: JSON's run of siblings in hand when the cancel
    # came (at most 256 KB of text); the XML decoder's UTF-8 copy of the text.
    held = len(text.encode()) if kind == "xml" else 0
    assert left - held < built / 3, (left, held, built)


def test_release_later_frees_only_what_nothing_else_holds() -> None:
    tracemalloc.start()
    try:
        document = {"records": _records(20_000), "kept": {"big": _records(20_000, 100)}}
        kept = document["kept"]
        before = _traced()
        release_later(document)
        del document
        for thread in threading.enumerate():
            if thread.name == "hookbench-release":
                thread.join(30)
        freed = before - _traced()
    finally:
        tracemalloc.stop()
    assert kept == {"big": _records(20_000, 100)}  # still held here: left whole
    assert freed > 2_000_000  # the records nobody held are gone


def test_dismantle_empties_nested_containers_in_place() -> None:
    deep: list[Any] = []
    node = deep
    for _ in range(100_000):  # nesting deeper than any recursion could follow
        node.append([])
        node = node[0]
    document = {"a": _records(30_000), "deep": deep, "small": [1, 2]}
    records = document["a"]
    dismantle(document)
    assert document == {} and records == [] and deep == []
