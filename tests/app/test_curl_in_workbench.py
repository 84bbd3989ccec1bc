"""curl in the workbench: a command pasted into the URL field becomes the module's request, the
palette's Import curl writes a profile, Copy as curl writes "$NAME" for {{env.*}} values."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from textual import events
from textual.widgets import Input, Select

from tests.app.conftest import PROFILES, send_and_wait
from tui.core.variables import read_env_file
from tui.sandbox import Sandbox

COMMAND = """curl -X POST "{base}/echo/api/v1/charges" \\
  -H 'Authorization: Bearer sk_live_abc123' \\
  -H 'Content-Type: application/json' \\
  -d '{{"amount": 2000, "currency": "usd"}}'"""


async def paste_into_url(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """What a terminal's bracketed paste delivers to the focused URL field."""
    url = pilot.app.workbench.query_one("#url", Input)
    url.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))  # the app hands it to the focused widget
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


async def test_pasting_a_curl_command_turns_it_into_the_request(
    make_app, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await paste_into_url(pilot, COMMAND.format(base=fresh_sandbox.base_url))
        workbench = app.workbench
        assert workbench.query_one("#url", Input).value == f"{fresh_sandbox.base_url}/echo/api/v1/charges"
        assert workbench.query_one("#method", Select).value == "POST"
        module = workbench.collect()
        assert module.name == "Users"  # the module keeps its name, rows and routes
        assert module.request.headers == (("Authorization", "Bearer {{env.HOOKBENCH_USERS_TOKEN}}"),)
        assert module.request.body is not None and json.loads(module.request.body.text) == {
            "amount": 2000,
            "currency": "usd",
        }
        assert workbench.dirty and "unsaved" in str(app.sub_title)
        assert read_env_file(tmp_path / ".env") == {"HOOKBENCH_USERS_TOKEN": "sk_live_abc123"}
        assert any("HOOKBENCH_USERS_TOKEN" in m for m in messages(app))
        # it sends, with the secret from the .env the paste wrote
        await send_and_wait(pilot)
        echoed = json.loads(workbench.result.exchange.body)
        assert echoed["headers"]["Authorization"] == "Bearer sk_live_abc123"
        assert json.loads(echoed["body"]) == {"amount": 2000, "currency": "usd"}
        # and saving writes no secret into the profile
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        text = (tmp_path / "users.toml").read_text(encoding="utf-8")
        assert "sk_live" not in text and tomllib.loads(text)["request"]["method"] == "POST"


async def test_pasting_over_unsaved_edits_asks_first(
    make_app, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        url = app.workbench.query_one("#url", Input)
        url.value = "{{base_url}}/users?edited=1"
        url.focus()
        await pilot.pause()
        app.post_message(events.Paste(f"curl {fresh_sandbox.base_url}/echo/api/x"))
        await pilot.pause()
        assert type(app.screen).__name__ == "UnsavedChanges"
        await pilot.click("#unsaved-stay")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.workbench.collect().request.url == "{{base_url}}/users?edited=1"
        app.post_message(events.Paste(f"curl {fresh_sandbox.base_url}/echo/api/x"))
        await pilot.pause()
        await pilot.click("#unsaved-proceed")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.workbench.collect().request.url == f"{fresh_sandbox.base_url}/echo/api/x"


async def test_a_bad_paste_is_a_message_and_changes_nothing(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await paste_into_url(pilot, "curl 'https://x.test/unclosed")
        assert any("never closed" in m for m in messages(app))
        assert app.workbench.query_one("#url", Input).value == "{{base_url}}/users"
        assert not app.workbench.dirty and not (tmp_path / ".env").exists()


async def test_a_plain_url_paste_is_still_a_url(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "users.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        url = app.workbench.query_one("#url", Input)
        url.value = ""
        await paste_into_url(pilot, "https://example.test/curl things")
        assert url.value == "https://example.test/curl things"


async def test_palette_import_curl_writes_and_opens_a_profile(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"import curl", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "TextPrompt"
        assert app.focused is app.screen.query_one("#prompt-text")
        app.post_message(
            events.Paste("curl https://api.example.test/v1/items \\\n  -H 'X-Api-Key: k-999' --retry 2")
        )
        await pilot.pause()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        profile = tmp_path / "example-get-v1-items.toml"
        assert profile.exists() and "k-999" not in profile.read_text(encoding="utf-8")
        assert read_env_file(tmp_path / ".env") == {"HOOKBENCH_EXAMPLE_GET_V1_ITEMS_X_API_KEY": "k-999"}
        assert app.workbench.profile is not None and app.workbench.profile.path == profile
        shown = "\n".join(messages(app))
        assert "imported" in shown and "--retry 2" in shown and "secret moved: header X-Api-Key" in shown
        # the same command again is a second profile, not a replaced one
        await pilot.press("ctrl+p", *"import curl", "enter")
        await pilot.pause()
        app.post_message(events.Paste("curl https://api.example.test/v1/items"))
        await pilot.pause()
        await pilot.click("#prompt-ok")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (tmp_path / "example-get-v1-items-2.toml").exists()


async def test_copy_as_curl_writes_shell_references(make_app, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HOOKBENCH_DEMO_TOKEN", "demo-token")
    shutil.copy(PROFILES / "secure-profile.toml", tmp_path)
    app = make_app(tmp_path, tmp_path / "secure-profile.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"copy as curl", "enter")
        await pilot.pause()
        assert app.clipboard.startswith("curl ")
        assert """-H 'Authorization: Bearer '"$HOOKBENCH_DEMO_TOKEN\"""" in app.clipboard
        assert "demo-token" not in app.clipboard and "demo-token" not in "\n".join(messages(app))


async def test_copy_as_curl_writes_literal_auth_credentials_as_shell_references(
    make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "literal.toml"
    profile.write_text(
        '[request]\nurl = "{{base_url}}/auth/basic"\n'
        '[request.auth]\ntype = "basic"\nusername = "literal-user"\npassword = "literal-pass-5e1f"\n'
    )
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"copy as curl", "enter")
        await pilot.pause()
        assert ' -u "$HOOKBENCH_AUTH_USERNAME":"$HOOKBENCH_AUTH_PASSWORD" ' in app.clipboard
        shown = "\n".join(messages(app))
        assert "from $HOOKBENCH_AUTH_USERNAME, $HOOKBENCH_AUTH_PASSWORD: set them first" in shown
        for secret in ("literal-user", "literal-pass-5e1f"):
            assert secret not in app.clipboard and secret not in shown
        await pilot.press("ctrl+p", *"copy as curl with secrets", "enter")
        await pilot.pause()
        assert " -u literal-user:literal-pass-5e1f " in app.clipboard
        assert "literal-pass-5e1f" not in "\n".join(messages(app))
