"""Import Postman / OpenAPI from the command palette: a path prompt, the profiles pane refreshed
(sub-folders as branches), the report shown; a bad file is an error and changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from tui.app.dialogs import ImportReport
from tui.app.widgets.profile_list import ProfileList

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
IMPORTERS = Path(__file__).resolve().parents[1] / "data" / "importers"


def pane_lines(list_: OptionList) -> list[str]:
    return [str(list_.get_option_at_index(i).prompt) for i in range(list_.option_count)]


async def import_from_palette(pilot: Pilot, command: str, path: Path) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command, "enter")
    await pilot.pause()
    await pilot.press(*str(path), "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_import_postman_from_the_palette_refreshes_the_pane_as_a_tree(make_app, tmp_path: Path) -> None:
    shutil.copy(PROFILES / "users.toml", tmp_path / "users.toml")
    app = make_app(tmp_path)
    async with app.run_test(size=(140, 44)) as pilot:
        await import_from_palette(pilot, "Import Postman", IMPORTERS / "postman-collection.json")
        assert isinstance(app.screen, ImportReport)
        report = str(app.screen.query_one("#import-report-text", Static).render())
        assert "imported" in report and "skipped Echo / Preflight" in report
        await pilot.press("escape")
        await pilot.pause()
        lines = pane_lines(app.workbench.query_one(ProfileList))
        assert lines[:2] == ["secure-profile", "users"]  # the folder's own profiles first
        assert "▾ subscribers/" in lines and "    get-subscriber" in lines
        assert lines.index("  ▾ nested/") < lines.index("    get-subscriber")
        assert not any("environments" in line for line in lines)
    assert (tmp_path / "subscribers" / "nested" / "get-subscriber.toml").is_file()


async def test_import_openapi_from_the_palette_and_a_bad_file(make_app, tmp_path: Path) -> None:
    app = make_app(tmp_path)
    bad = tmp_path / "broken.yaml"
    bad.write_text("openapi: [unclosed", encoding="utf-8")
    async with app.run_test(size=(140, 44)) as pilot:
        await import_from_palette(pilot, "Import OpenAPI", bad)
        assert not isinstance(app.screen, ImportReport)
        assert any("not valid YAML or JSON" in n.message for n in app._notifications)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml"]

        await import_from_palette(pilot, "Import OpenAPI", IMPORTERS / "openapi-3.1.json")
        assert isinstance(app.screen, ImportReport)
        await pilot.press("escape")
        await pilot.pause()
        lines = pane_lines(app.workbench.query_one(ProfileList))
        assert lines == ["▾ comments/", "  add-comment", "▾ tickets/", "  create-ticket", "  get-tickets"]
