"""A big response in the workbench: progress is shown, keys are answered while it decodes,
Esc stops the decode, and the next send works."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest
from textual.widgets import Static, TabbedContent

import tui.core.progress as progress_module
from tests.app.conftest import send_and_wait
from tui.app.widgets.path_bar import PathBar
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.status_line import StatusLine
from tui.core.bulk import gc_paused
from tui.core.progress import Progress
from tui.core.responses import BIG


def _profile(folder: Path, records: int) -> Path:
    path = folder / "records.toml"
    path.write_text(
        f'[request]\nmethod = "GET"\nurl = "{{{{base_url}}}}/records?n={records}"\ntimeout = 120.0\n'
    )
    return path


async def test_escape_stops_a_big_decode_and_keys_work_meanwhile(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The decode thread waits at its first slice until the keys are pressed, so that a loaded
    # machine cannot finish the decode before Esc arrives (the benchmark measures the speed).
    gate = threading.Event()
    advance = Progress.advance

    def held(self: Progress, fraction: float) -> None:
        gate.wait(120)
        advance(self, fraction)

    monkeypatch.setattr(Progress, "advance", held)
    app = make_app(tmp_path, _profile(tmp_path, 300_000))
    async with app.run_test(size=(120, 40)) as pilot:
        status = app.workbench.query_one(StatusLine)
        await pilot.press("ctrl+r")
        for _ in range(2400):
            if status.decoding is not None:
                break
            await pilot.pause(0.05)
        progress = status.decoding
        assert progress is not None and "decoding" in str(status.render())
        tabs = app.workbench.query_one("#response-tabs", TabbedContent)
        before = tabs.active
        await pilot.press("f4")  # the screen answers while the body decodes
        assert tabs.active != before
        await pilot.press("escape")
        await pilot.pause()
        assert "the decode was stopped" in str(status.render())  # the body had been received
        assert "cancelled" in app.workbench.query_one(ResponseTree).root.label.plain
        assert progress.cancelled
        gate.set()
        assert progress.stopped.wait(60)  # the thread gave up; its half-built tree is gone
        assert progress.fraction < 1.0


async def test_a_big_response_reaches_the_tree(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path, _profile(tmp_path, 20_000))
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        tree = app.workbench.query_one(ResponseTree)
        labels = [node.label.plain for node in tree.root.children]
        assert labels[0].startswith("count") and labels[1].startswith("records"), labels
        records = tree.root.children[1]
        records.expand()
        await pilot.pause()
        assert len(records.children) == 201  # the first page and "… more"
        assert "SUCCESS" in str(app.workbench.query_one(StatusLine).render())


async def test_a_big_response_replaced_by_the_next_is_freed(make_app, tmp_path: Path) -> None:
    # A big decode freezes what is alive (bulk.gc_paused): a finished worker still holding the
    # run in a garbage cycle was frozen with it, and every big send kept its response for good.
    app = make_app(tmp_path, _profile(tmp_path, 20_000))
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        first = app.workbench.result
        assert first is not None and first.body is not None and first.body.size >= BIG
        gone = weakref.ref(first)
        del first
        for _ in range(2):  # the second decode's freeze came after the first run's record worker
            await send_and_wait(pilot)
        gc.collect()
        assert gone() is None


def test_a_failed_block_freezes_nothing() -> None:
    """A cancelled decode's frames hold its body: frozen, they would never be freed."""
    gc.unfreeze()
    with pytest.raises(KeyError), gc_paused(freeze=True):
        raise KeyError("cancelled")
    assert gc.get_freeze_count() == 0


def test_a_huge_string_leaf_is_labelled_from_its_start() -> None:
    from tui.app.widgets.tree_nodes import node_label

    label = node_label("blob", "x" * 50_000_000).plain
    assert label.startswith('blob: "xxx') and label.endswith("…") and len(label) < 80


def _hold_decodes_at(monkeypatch: pytest.MonkeyPatch, fraction: float) -> threading.Event:
    """Decodes stop at `fraction` until the returned gate opens: a loaded machine cannot
    finish one before the test has looked at its preview (the benchmark measures speed).
    Each slice publishes its snapshot, so the one held is the one shown."""
    monkeypatch.setattr(progress_module, "SNAPSHOT_EVERY", 0.0)
    gate = threading.Event()
    advance = Progress.advance

    def held(self: Progress, done: float) -> None:
        advance(self, done)
        if done >= fraction:
            gate.wait(120)

    monkeypatch.setattr(Progress, "advance", held)
    return gate


async def _preview_shown(pilot, tree: ResponseTree, text: str) -> None:
    for _ in range(2400):
        if tree.previewing and any(text in node.label.plain for node in _nodes(tree)):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"no preview node with {text!r}: {[n.label.plain for n in _nodes(tree)]}")


def _nodes(tree: ResponseTree) -> list:
    found, stack = [], [tree.root]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


async def test_the_top_level_is_browsable_while_a_big_json_body_decodes(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _hold_decodes_at(monkeypatch, 0.5)
    app = make_app(tmp_path, _profile(tmp_path, 20_000))
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.workbench.query_one(ResponseTree)
        path_bar = app.workbench.query_one(PathBar)
        await pilot.press("ctrl+r")
        await _preview_shown(pilot, tree, "so far, decoding")
        assert tree.root.label.plain.startswith("JSON  object (decoding ")
        count, records = tree.root.children
        assert count.label.plain == "count: 20000"  # finished: an ordinary node
        assert records.label.plain.startswith("records  list (≥ ") and records.data.pending
        await pilot.click(ResponseTree, offset=(8, count.line))
        assert path_bar.path == "count"
        await pilot.click(ResponseTree, offset=(8, records.line))  # opens the finished items
        await pilot.pause()
        first = records.children[0]
        assert first.label.plain == "0  object (6 keys)" and first.data.value["id"] == "rec_0"
        await pilot.click(ResponseTree, offset=(10, first.line))
        assert path_bar.path == "records.0"
        await pilot.press("up")  # the list still being read: a path, no value yet
        assert path_bar.path is None
        assert "records: still being decoded" in str(path_bar.query_one("#path-text", Static).render())
        await pilot.press("a")  # nor can it be mapped
        assert any("Still being decoded" in str(n.message) for n in app._notifications)
        await pilot.press("down")
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not tree.previewing
        assert tree.root.label.plain == "JSON  object (2 keys)"
        assert tree.cursor_node is not None and tree.cursor_node.data.path == "records.0"
        assert path_bar.path == "records.0"


async def test_the_root_element_shows_while_a_big_xml_body_decodes(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _hold_decodes_at(monkeypatch, 0.5)
    profile = tmp_path / "xml.toml"
    profile.write_text('[request]\nmethod = "GET"\nurl = "{{base_url}}/records?n=20000&format=xml"\n')
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.workbench.query_one(ResponseTree)
        await pilot.press("ctrl+r")
        await _preview_shown(pilot, tree, "items so far")
        (root_element,) = tree.root.children
        assert root_element.label.plain.startswith("records  object (≥ 1 key so far")
        (group,) = root_element.children
        assert group.label.plain.startswith("record  list (≥ ") and group.data.path == "records.record"
        await pilot.press("escape")
        await pilot.pause()
        assert "cancelled" in tree.root.label.plain and not tree.previewing
        gate.set()
