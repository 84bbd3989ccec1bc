"""f6 opens the response in $PAGER, f7 the request body in $EDITOR: tiny scripts stand in for them.

Under `run_test` the app has no terminal to hand over (Textual cannot suspend a headless
app), so the program runs without it; everything else is the real path: the formatted text
in a temporary file, the program's argument, the edited file read back.
"""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.app.conftest import PROFILES, send_and_wait
from tui.app.widgets.body_editor import BodyEditor


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_pager_gets_the_formatted_response(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "pager-record"
    pager = script(tmp_path, "pager", f'echo "$1" > {record}\ncat "$1" >> {record}\n')
    monkeypatch.setenv("PAGER", str(pager))
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f6")  # nothing sent yet
        await app.workers.wait_for_complete()
        assert any("send first" in m for m in messages(app)) and not record.exists()
        await send_and_wait(pilot)
        await pilot.press("ctrl+p", *"open response in pager", "enter")  # the palette has it too
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert record.exists()
        record.unlink()
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
    argument, *content = record.read_text().splitlines()
    assert argument.endswith("/response.json") and not Path(argument).exists()
    assert content[:4] == ["{", '  "users": [', "    {", '      "id": 1,']
    assert json.loads("\n".join(content))["users"][0]["title"] == "Ms"


async def test_missing_or_failing_pager_is_a_notification(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await send_and_wait(pilot)
        monkeypatch.setenv("PAGER", "/no/such/pager")
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        monkeypatch.setenv("PAGER", str(script(tmp_path, "failing", "exit 2\n")))
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any("'/no/such/pager' was not found" in m for m in messages(app))
        assert any("exited with status 2" in m for m in messages(app))


async def test_editor_rewrites_the_body_as_an_unsaved_edit(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "editor-record"
    editor = script(
        tmp_path,
        "editor",
        f'echo "$1" > {record}\ncat "$1" >> {record}\nprintf \'{{"email": "edited@example.com"}}\\n\' > "$1"\n',
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    shutil.copy(PROFILES / "subscriber-create.toml", tmp_path)
    profile = tmp_path / "subscriber-create.toml"
    saved = profile.read_text()
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = app.workbench.query_one(BodyEditor)
        before = body.text
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        argument, content = record.read_text().split("\n", 1)
        assert argument.endswith("/body.json") and content == before
        assert body.text == '{"email": "edited@example.com"}\n'  # the profile's text ends with one too
        assert app.workbench.composer.tabs.active == "tab-body"
        assert "unsaved" in app.sub_title
        assert any("Body edited" in m for m in messages(app))
    assert profile.read_text() == saved  # an edit, not a save


async def test_failing_editor_leaves_the_body_and_get_has_none(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script(tmp_path, "failing", 'echo "{}" > "$1"\nexit 1\n')))
    shutil.copy(PROFILES / "subscriber-create.toml", tmp_path)
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "subscriber-create.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = app.workbench.query_one(BodyEditor)
        before = body.text
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert body.text == before and "unsaved" not in app.sub_title
        assert any("exited with status 1. The body is unchanged." in m for m in messages(app))
        await app.workbench.open_profile(tmp_path / "users.toml")
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        assert any("GET sends no body" in m for m in messages(app))
