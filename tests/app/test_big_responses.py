"""A big response in the workbench: progress is shown, keys are answered while it decodes,
Esc stops the decode, and the next send works."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from tests.app.conftest import send_and_wait
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.status_line import StatusLine
from tui.core.progress import Progress


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
        assert "Cancelled" in str(status.render())
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


def test_a_huge_string_leaf_is_labelled_from_its_start() -> None:
    from tui.app.widgets.tree_nodes import node_label

    label = node_label("blob", "x" * 50_000_000).plain
    assert label.startswith('blob: "xxx') and label.endswith("…") and len(label) < 80
