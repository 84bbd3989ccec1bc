"""The body editor offers all seven body types, shows the editor each needs, and loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, Select, TextArea

from tests.app.conftest import send_and_wait
from tui.app.widgets.body_editor import BodyEditor
from tui.core.model import CONTENT_TYPES
from tui.core.profile import read_module


async def test_every_body_type_is_offered_and_edited(make_app, tmp_path: Path) -> None:
    profile = tmp_path / "gql.toml"
    profile.write_text(
        '[request]\nmethod = "POST"\nurl = "{{base_url}}/echo/raw"\n'
        '[request.body]\ncontent_type = "graphql"\nquery = "{ users { id } }"\nvariables = \'{"n": 1}\'\n',
        encoding="utf-8",
    )
    (tmp_path / "rows.csv").write_bytes(b"a,b\n1,2\n")
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        app.workbench.composer.tabs.active = "tab-body"
        await pilot.pause()
        editor = app.workbench.query_one(BodyEditor)
        select = editor.query_one("#content-type", Select)
        assert [value for _, value in select._options] == list(CONTENT_TYPES)  # all seven
        shown = {w.id for w in editor.query("TextArea, Input, KeyValueEditor") if w.display}
        assert shown == {"body-query", "body-variables"}
        await send_and_wait(pilot)
        sent = app.workbench.result.exchange.body  # the sandbox echoes the body byte for byte
        assert json.loads(sent) == {"query": "{ users { id } }", "variables": {"n": 1}}

        select.value = "file"
        await pilot.pause()
        assert {w.id for w in editor.query("TextArea, Input, KeyValueEditor") if w.display} == {"body-file"}
        editor.query_one("#body-file", Input).focus()
        await pilot.press(*"rows.csv")
        await send_and_wait(pilot)
        assert app.workbench.result.exchange.body == b"a,b\n1,2\n"
        assert app.workbench.result.exchange.header("content-type") == "text/csv"

        select.value = "text"
        await pilot.pause()
        area = editor.query_one("#body-text", TextArea)
        assert area.display and not editor.query_one("#body-file").display
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = read_module(profile).request.body
    assert saved is not None and saved.content_type == "text"
    # switching types lost nothing: the query, its variables and the file are still there
    assert (saved.query, saved.variables, saved.file) == ("{ users { id } }", '{"n": 1}', "rows.csv")
