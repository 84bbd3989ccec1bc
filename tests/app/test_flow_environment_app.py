"""The Flow tab applies the active environment as a single send does (its [auth] default, proxy,
variables and dotenv), and in a protected environment asks once before a flow that can send
anything but GET/HEAD: Cancel (the default) sends nothing, Run sends every step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import TabbedContent

from tests.servers import Proxy, forward_proxy
from tui.app.app import HookbenchApp
from tui.app.dialogs import Confirm
from tui.app.widgets.flow_view import FlowView
from tui.core.environments import load_environment
from tui.core.variables import Variables
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with forward_proxy() as running:
        yield running


def folder_for(tmp_path: Path, sandbox: Sandbox, proxy: Proxy, second_method: str) -> Path:
    """A protected production environment whose oauth2 [auth], proxy, variables and dotenv the
    flow needs: lookup (GET) → notify (`second_method`), neither with auth of its own."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "production.toml").write_text(
        f'protected = true\ndotenv = ".env.production"\nproxy = "{proxy.url}"\n'
        f'[variables]\nbase_url = "{sandbox.base_url}"\n'
        f'[auth]\ntype = "oauth2"\ntoken_url = "{{{{base_url}}}}/oauth/token"\n'
        f'client_id = "{DEMO_CLIENT_ID}"\nclient_secret = "{{{{env.HB_FLOW_SECRET}}}}"\n',
        encoding="utf-8",
    )
    (tmp_path / ".env.production").write_text(f"HB_FLOW_SECRET={DEMO_CLIENT_SECRET}\n", encoding="utf-8")
    (tmp_path / "lookup.toml").write_text(
        '[request]\nurl = "{{base_url}}/auth/oauth2"\n[routes]\nsuccess = "notify"\n', encoding="utf-8"
    )
    (tmp_path / "notify.toml").write_text(
        f'[request]\nmethod = "{second_method}"\nurl = "{{{{base_url}}}}/auth/oauth2"\n', encoding="utf-8"
    )
    return tmp_path


def app_on(folder: Path) -> HookbenchApp:
    return HookbenchApp(
        folder,
        profile_path=folder / "lookup.toml",
        variables=Variables(environ={}),
        environment=load_environment(folder, "production"),
    )


async def press_run(pilot) -> None:
    pilot.app.workbench.query_one("#response-tabs", TabbedContent).active = "tab-flow"
    await pilot.pause()
    await pilot.pause()
    await pilot.click("#flow-run")
    await pilot.pause()


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_protected_flow_asks_once_and_runs_with_the_environment(
    fresh_sandbox: Sandbox, proxy: Proxy, tmp_path: Path
) -> None:
    app = app_on(folder_for(tmp_path, fresh_sandbox, proxy, "POST"))
    auth = fresh_sandbox.state.auth
    async with app.run_test(size=(120, 40)) as pilot:
        await press_run(pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.question == (
            "Environment 'production' is protected. Run the flow lookup? It can send POST notify."
        )
        await pilot.press("escape")  # Cancel, the default: nothing is sent, not even the GET
        await settle(pilot)
        view = app.workbench.query_one(FlowView)
        assert view.steps == [] and "not confirmed" in str(view.query_one("#flow-summary").render())
        assert (auth.token_requests, auth.protected_requests, proxy.seen) == (0, 0, [])

        await press_run(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        await settle(pilot)
        await settle(pilot)
        assert [(step.stem, step.status, step.route) for step in view.steps] == [
            ("lookup", 200, "success"),
            ("notify", 200, "success"),
        ]
    # the environment's oauth2 [auth] (its secret from its dotenv) and proxy carried both steps
    assert auth.grants == ["client_credentials"] and auth.protected_requests == 2
    base = fresh_sandbox.base_url
    assert proxy.seen == [f"POST {base}/oauth/token", f"GET {base}/auth/oauth2", f"POST {base}/auth/oauth2"]


async def test_a_protected_flow_of_gets_runs_without_asking(
    fresh_sandbox: Sandbox, proxy: Proxy, tmp_path: Path
) -> None:
    app = app_on(folder_for(tmp_path, fresh_sandbox, proxy, "HEAD"))
    async with app.run_test(size=(120, 40)) as pilot:
        await press_run(pilot)
        assert not isinstance(app.screen, Confirm)
        await settle(pilot)
        await settle(pilot)
        view = app.workbench.query_one(FlowView)
        assert [(step.stem, step.route) for step in view.steps] == [
            ("lookup", "success"),
            ("notify", "success"),
        ]
    assert fresh_sandbox.state.auth.protected_requests == 2 and len(proxy.seen) == 3
