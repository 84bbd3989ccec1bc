"""f6 opens the response in $PAGER, f7 the request body in $EDITOR: tiny scripts stand in for them.

Under `run_test` the app has no terminal to hand over (Textual cannot suspend a headless
app), so the program runs without it; everything else is the real path: the formatted text
in a temporary file, the program's argument, the edited file read back. The hand-over of the
terminal itself is tested on a pseudo-terminal in test_external_terminal.py.
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


def post_profile(folder: Path, body: str, headers: str = "") -> Path:
    profile = folder / "post.toml"
    profile.write_text(
        f'[request]\nmethod = "POST"\nurl = "{{{{base_url}}}}/echo/raw"\n{headers}[request.body]\n{body}',
        encoding="utf-8",
    )
    return profile


def recording_editor(folder: Path, record: Path, new_text: str) -> Path:
    """An editor that writes its argument and the file it got to `record`, then saves `new_text`."""
    return script(
        folder, "editor", f'echo "$1" > {record}\ncat "$1" >> {record}\nprintf \'{new_text}\' > "$1"\n'
    )


@pytest.mark.parametrize(
    ("content_type", "suffix"),
    [
        ("text/csv; charset=utf-8", ".csv"),
        ("application/x-ndjson", ".ndjson"),
        ("text/tab-separated-values", ".tsv"),
        (None, ".txt"),  # sent as text/plain
    ],
)
async def test_editor_edits_a_text_body_named_for_its_content_type(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content_type: str | None, suffix: str
) -> None:
    record = tmp_path / "editor-record"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(recording_editor(tmp_path, record, "id,name\\n1,Ada\\n2,Grace\\n")))
    headers = f'[request.headers]\nContent-Type = "{content_type}"\n' if content_type else ""
    profile = post_profile(tmp_path, 'content_type = "text"\ntext = "id,name\\n1,Ada"\n', headers)
    saved = profile.read_text()
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        body = app.workbench.query_one(BodyEditor)
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        argument, content = record.read_text().split("\n", 1)
        assert argument.endswith(f"/body{suffix}") and content == "id,name\n1,Ada"
        assert body.text == "id,name\n1,Ada\n2,Grace"  # the editor's last newline taken off again
        assert "unsaved" in app.sub_title and any("Body edited" in m for m in messages(app))
        await send_and_wait(pilot)
        assert app.workbench.result.exchange.body == b"id,name\n1,Ada\n2,Grace"  # what goes out
    assert profile.read_text() == saved  # an edit, not a save


async def test_editor_edits_a_graphql_query_and_keeps_its_variables(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "editor-record"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(recording_editor(tmp_path, record, "{ users { id name } }\\n")))
    profile = post_profile(
        tmp_path, 'content_type = "graphql"\nquery = "{ users { id } }"\nvariables = \'{"n": 1}\'\n'
    )
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        argument, content = record.read_text().split("\n", 1)
        assert argument.endswith("/body.graphql") and content == "{ users { id } }"
        await send_and_wait(pilot)
        sent = json.loads(app.workbench.result.exchange.body)
        assert sent == {"query": "{ users { id name } }", "variables": {"n": 1}}
        assert "unsaved" in app.sub_title


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        ('content_type = "form"\n[request.body.fields]\nemail = "a@example.com"\n', "A form body is fields"),
        ('content_type = "multipart"\n[request.body.fields]\nnote = "hi"\n', "A multipart body is fields"),
        ('content_type = "file"\nfile = "rows.csv"\n', "A file body is a path"),
    ],
)
async def test_editor_leaves_fields_and_file_bodies_to_the_body_tab(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, refusal: str
) -> None:
    record = tmp_path / "editor-record"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(recording_editor(tmp_path, record, "x")))
    app = make_app(tmp_path, post_profile(tmp_path, body))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m.startswith(refusal) for m in messages(app))
        assert not record.exists() and "unsaved" not in app.sub_title
