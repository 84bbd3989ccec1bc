"""The composer's Auth tab, driven as a person would: pick a type, type the fields, save, send."""

from __future__ import annotations

import textwrap
import tomllib
from pathlib import Path

from textual.widgets import Input, Select

from tests.app.conftest import send_and_wait
from tui.app.widgets.auth_editor import AuthEditor, AuthField
from tui.app.widgets.status_line import StatusLine
from tui.core.model import Auth
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME


def write_profile(folder: Path, path: str, auth: str = "") -> Path:
    profile = folder / "secured.toml"
    text = f"""
        name = "Secured"
        [request]
        method = "GET"
        url = "{{{{base_url}}}}{path}"
        {auth}
    """
    profile.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return profile


def status_text(app) -> str:
    return str(app.workbench.query_one(StatusLine).render())


def fields(app) -> dict[str, AuthField]:
    return {field.key: field for field in app.workbench.query(AuthField)}


async def open_auth_tab(pilot) -> AuthEditor:
    await pilot.click("#--content-tab-tab-auth")
    await pilot.pause()
    return pilot.app.workbench.query_one(AuthEditor)


async def choose(pilot, select: Select, *keys: str) -> None:
    await pilot.click(select)
    await pilot.pause()
    for key in (*keys, "enter"):
        await pilot.press(key)
        await pilot.pause()


async def type_into(pilot, field: AuthField, text: str) -> None:
    await pilot.click(field.query_one(Input))
    await pilot.press(*text)


async def test_basic_auth_typed_in_the_tab_is_saved_and_gets_through(
    make_app, fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, "/auth/basic")
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await send_and_wait(pilot)
        assert "401" in status_text(app)  # no auth yet

        editor = await open_auth_tab(pilot)
        await choose(pilot, editor.query_one("#auth-type", Select), "down")  # none → basic
        assert list(fields(app)) == ["username", "password"]
        await type_into(pilot, fields(app)["username"], DEMO_USERNAME)
        await type_into(pilot, fields(app)["password"], DEMO_PASSWORD)
        await pilot.pause()

        password = fields(app)["password"].query_one(Input)
        assert password.password and password.value == DEMO_PASSWORD
        assert DEMO_PASSWORD not in app.export_screenshot()  # masked as typed
        assert "unsaved" in str(app.sub_title)

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unsaved" not in str(app.sub_title)
        saved = tomllib.loads(profile.read_text())
        assert saved["request"]["auth"] == {
            "type": "basic",
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
        }

        await send_and_wait(pilot)
        assert "200 OK" in status_text(app) and "SUCCESS" in status_text(app)


async def test_oauth2_in_the_tab_fetches_a_token_once(
    make_app, fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    profile = write_profile(tmp_path, "/auth/oauth2")
    app = make_app(tmp_path, profile)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_auth_tab(pilot)
        await choose(pilot, editor.query_one("#auth-type", Select), "down", "down", "down", "down", "down")
        assert list(fields(app)) == [
            "grant",
            "token_url",
            "client_id",
            "client_secret",
            "scope",
            "audience",
            "client_auth",
        ]
        await pilot.press("ctrl+r")  # not sendable yet: the tab says what is missing
        await pilot.pause()
        assert "auth token url: is missing; oauth2 auth needs token_url and client_id" in status_text(app)
        await type_into(pilot, fields(app)["token_url"], "{{base_url}}/oauth/token")
        await type_into(pilot, fields(app)["client_id"], DEMO_CLIENT_ID)
        await type_into(pilot, fields(app)["client_secret"], DEMO_CLIENT_SECRET)
        await type_into(pilot, fields(app)["scope"], "orders.read")
        # the password grant asks for a user; back to client credentials hides those fields again
        await choose(pilot, fields(app)["grant"].query_one(Select), "down")
        assert {"username", "password"} <= set(fields(app))
        await choose(pilot, fields(app)["grant"].query_one(Select), "up")
        assert "username" not in fields(app)
        assert editor.auth() == Auth(
            "oauth2",
            (
                ("token_url", "{{base_url}}/oauth/token"),
                ("client_id", DEMO_CLIENT_ID),
                ("client_secret", DEMO_CLIENT_SECRET),
                ("scope", "orders.read"),
            ),
        )
        timings = []
        for _ in range(2):
            await send_and_wait(pilot)
            assert "200 OK" in status_text(app), status_text(app)
            headers = str(app.workbench.viewer.query_one("#response-headers").render())
            timings += [line for line in headers.splitlines() if line.startswith("timings: ")]
        assert fresh_sandbox.state.auth.grants == ["client_credentials"]
        # the Headers tab times the token request of the first send; the second used the cache
        assert len(timings) == 2 and timings[0].startswith("timings: token ")
        assert "token" not in timings[1] and "wait" in timings[1]
        screen = app.export_screenshot()
        assert DEMO_CLIENT_SECRET not in screen
        assert not any(token in screen for token in fresh_sandbox.state.auth.tokens)


async def test_a_profile_with_auth_loads_into_the_tab_unchanged(make_app, tmp_path: Path) -> None:
    auth = '[request.auth]\ntype = "api_key"\nname = "X-API-Key"\nvalue = "{{env.HB_KEY}}"\nin = "header"\n'
    profile = write_profile(tmp_path, "/auth/api-key", auth)
    app = make_app(tmp_path, profile, **{"env.HB_KEY": "demo-key"})
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await open_auth_tab(pilot)
        assert editor.kind == "api_key"
        assert {key: field.value for key, field in fields(app).items()} == {
            "name": "X-API-Key",
            "value": "{{env.HB_KEY}}",
            "in": "header",
        }
        assert "unsaved" not in str(app.sub_title)
        await send_and_wait(pilot)
        assert "200 OK" in status_text(app)
        await choose(pilot, editor.query_one("#auth-type", Select), "up", "up", "up")  # api_key → none
        assert editor.auth() is None and not fields(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "auth" not in tomllib.loads(profile.read_text())["request"]
