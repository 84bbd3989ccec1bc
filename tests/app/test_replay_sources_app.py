"""The workbench's history replay (r in the History pane) takes the secrets a record masked
from its source profile and the active environment, and says so; what nothing holds is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.app.conftest import send_and_wait
from tui.app.app import HookbenchApp
from tui.app.widgets.history_list import HistoryList
from tui.core.environments import load_environment
from tui.core.history import History
from tui.core.variables import Variables
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.usefixtures("isolated_history")


async def replay_newest(pilot, app: HookbenchApp) -> None:
    history = app.workbench.query_one(HistoryList)
    await app.workers.wait_for_complete()
    await pilot.pause()
    options = history.query_one("#history-options", OptionList)
    options.focus()
    options.highlighted = 0
    await pilot.press("r")
    for _ in range(3):  # load, then the send it starts, then the record
        await pilot.pause()
        await app.workers.wait_for_complete()


async def test_replay_takes_the_auth_from_the_profile_and_the_environment(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "environments").mkdir()
    environment = tmp_path / "environments" / "staging.toml"
    environment.write_text(
        f'[auth]\ntype = "bearer"\ntoken = "demo-token"\n[variables]\nbase = "{fresh_sandbox.base_url}"\n',
        encoding="utf-8",
    )
    bearer = tmp_path / "bearer.toml"
    bearer.write_text('[request]\nurl = "{{base}}/auth/bearer"\n', encoding="utf-8")
    basic = tmp_path / "basic.toml"
    basic.write_text(
        f'[request]\nurl = "{{{{base}}}}/auth/basic"\n[request.auth]\ntype = "basic"\n'
        f'username = "{DEMO_USERNAME}"\npassword = "{DEMO_PASSWORD}"\n',
        encoding="utf-8",
    )
    app = HookbenchApp(
        tmp_path,
        profile_path=bearer,
        variables=Variables(environ={}),
        environment=load_environment(tmp_path, "staging"),
    )
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        assert app.workbench.result is not None and app.workbench.result.status == 200
        assert "demo-token" not in History.for_profiles(tmp_path).text(
            History.for_profiles(tmp_path).list()[0].id
        )
        await replay_newest(pilot, app)
        assert app.workbench.result is not None and app.workbench.result.status == 200
        notes = [n.message for n in app._notifications if n.title == "Replay"]
        assert notes == [f"auth 'token' taken from {environment} (it is masked in the record)"]
        assert len(History.for_profiles(tmp_path).list()) == 2

        app.workbench.switch_environment(None)  # no environment: no bearer token anywhere
        await pilot.pause()
        await replay_newest(pilot, app)
        refused = [n.message for n in app._notifications if n.title == "Cannot replay"]
        assert len(refused) == 1 and "secrets were masked in auth 'token'" in refused[0]
        assert len(History.for_profiles(tmp_path).list()) == 2  # nothing was sent

    app = HookbenchApp(
        tmp_path,
        profile_path=basic,
        variables=Variables(environ={}, overrides={"base": fresh_sandbox.base_url}),
    )
    async with app.run_test(size=(140, 44)) as pilot:
        await send_and_wait(pilot)
        assert app.workbench.result is not None and app.workbench.result.status == 200
        await replay_newest(pilot, app)
        assert app.workbench.result is not None and app.workbench.result.status == 200
        notes = [n.message for n in app._notifications if n.title == "Replay"]
        assert notes == [
            f"auth 'username' taken from {basic} (it is masked in the record)\n"
            f"auth 'password' taken from {basic} (it is masked in the record)"
        ]
