"""Environments in the workbench: always shown, switched with f8 or the palette, protected ones
drawn in warning colours and asking before anything but GET/HEAD goes out."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from tests.app.conftest import send_and_wait
from tui.app.app import HookbenchApp
from tui.app.dialogs import Confirm
from tui.core.variables import Variables
from tui.sandbox import Sandbox


def folder_with_environments(tmp_path: Path, sandbox: Sandbox) -> Path:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "staging.toml").write_text(
        f'[variables]\nbase_url = "{sandbox.base_url}"\nwho = "staging"\n', encoding="utf-8"
    )
    (tmp_path / "environments" / "production.toml").write_text(
        f'protected = true\n[variables]\nbase_url = "{sandbox.base_url}"\nwho = "production"\n',
        encoding="utf-8",
    )
    (tmp_path / "create.toml").write_text(
        '[request]\nmethod = "POST"\nurl = "{{base_url}}/subscribers"\ntimout = 5\n'
        '[request.body]\ncontent_type = "json"\ntext = \'{"email": "{{who}}@example.com"}\'\n',
        encoding="utf-8",
    )
    return tmp_path


def subtitle(app: HookbenchApp) -> str:
    return Text.from_markup(str(app.workbench.composer.url_bar.border_subtitle)).plain.strip()


async def test_the_environment_is_shown_and_switched(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    folder = folder_with_environments(tmp_path, fresh_sandbox)
    app = HookbenchApp(folder, profile_path=folder / "create.toml", variables=Variables(environ={}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert subtitle(app) == "env: none (f8)"
        notes = [n.message for n in app._notifications]
        assert any("request.timout: unknown key" in n and "did you mean timeout?" in n for n in notes)
        await pilot.press("f8")  # none → production (names in order)
        await pilot.pause()
        assert "env: production · PROTECTED" in subtitle(app)
        assert app.workbench.composer.url_bar.has_class("protected")
        await pilot.press("f8")
        await pilot.pause()
        assert subtitle(app) == "env: staging" and not app.workbench.composer.url_bar.has_class("protected")
        await send_and_wait(pilot)  # staging is not protected: sent at once
        assert app.workbench.result is not None and app.workbench.result.status == 201
        assert len(fresh_sandbox.state.find("staging@example.com")) == 1
        headers = str(app.workbench.viewer.query_one("#response-headers").render())
        assert "timings: connect" in headers and "wait" in headers
        app.workbench.switch_environment(None)  # what the palette's "Environment: none" does
        await pilot.pause()
        assert subtitle(app) == "env: none (f8)"


async def test_a_protected_environment_asks_before_a_post(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    from tui.core.environments import load_environment

    folder = folder_with_environments(tmp_path, fresh_sandbox)
    app = HookbenchApp(
        folder,
        profile_path=folder / "create.toml",
        variables=Variables(environ={}),
        environment=load_environment(folder, "production"),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "'production' is protected" in app.screen.question
        await pilot.press("escape")  # the default answer sends nothing
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fresh_sandbox.state.find("production@example.com") == []
        assert "Not sent" in str(app.workbench.viewer.status.render())
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(fresh_sandbox.state.find("production@example.com")) == 1
