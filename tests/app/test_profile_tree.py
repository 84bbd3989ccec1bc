"""The profiles pane as a tree: folders close and open by click and by keyboard, stay as left
across a refresh, and opening a profile inside a closed folder opens it."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.pilot import Pilot

from tui.app.widgets.profile_list import ProfileList

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def lines(pane: ProfileList) -> list[str]:
    return [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]


async def click_line(pilot: Pilot, pane: ProfileList, text: str) -> None:
    """Click the pane's line reading `text`, as a person would."""
    index = lines(pane).index(text)
    region = pane.content_region
    offset = (region.x - pane.region.x + 2, region.y - pane.region.y + index - int(pane.scroll_offset.y))
    await pilot.click(pane, offset=offset)
    await pilot.pause()


def highlighted(pane: ProfileList) -> str:
    assert pane.highlighted is not None
    return lines(pane)[pane.highlighted]


def folder_with_branches(root: Path) -> Path:
    for relative in ("users.toml", "crm/contacts.toml", "crm/deals/won.toml", "helpdesk/tickets.toml"):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROFILES / "users.toml", target)
    return root


OPEN = ["users", "▾ crm/", "  contacts", "  ▾ deals/", "    won", "▾ helpdesk/", "  tickets"]


async def test_folders_close_and_open_by_click(make_app, tmp_path: Path) -> None:
    app = make_app(folder_with_branches(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.workbench.query_one(ProfileList)
        await pilot.pause()
        assert lines(pane) == OPEN
        await click_line(pilot, pane, "  ▾ deals/")
        assert lines(pane) == ["users", "▾ crm/", "  contacts", "  ▸ deals/", "▾ helpdesk/", "  tickets"]
        await click_line(pilot, pane, "▾ crm/")
        assert lines(pane) == ["users", "▸ crm/", "▾ helpdesk/", "  tickets"]
        assert highlighted(pane) == "▸ crm/"
        # a refresh (as after a save or an import) keeps folders as they were left
        pane.reload()
        await pilot.pause()
        assert lines(pane) == ["users", "▸ crm/", "▾ helpdesk/", "  tickets"]
        await click_line(pilot, pane, "▸ crm/")
        assert lines(pane) == ["users", "▾ crm/", "  contacts", "  ▸ deals/", "▾ helpdesk/", "  tickets"]
        await click_line(pilot, pane, "  ▸ deals/")
        assert lines(pane) == OPEN
        # a click on a profile still opens it
        await click_line(pilot, pane, "    won")
        assert app.workbench.profile is not None
        assert app.workbench.profile.path.resolve() == (tmp_path / "crm" / "deals" / "won.toml").resolve()


async def test_folders_close_and_open_by_keyboard(make_app, tmp_path: Path) -> None:
    app = make_app(folder_with_branches(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.workbench.query_one(ProfileList)
        pane.focus()
        await pilot.pause()
        await pilot.press("home", *["down"] * lines(pane).index("    won"))
        assert highlighted(pane) == "    won"
        await pilot.press("left")  # from a profile to the folder holding it
        assert highlighted(pane) == "  ▾ deals/"
        await pilot.press("left")  # closes it
        assert lines(pane)[3:5] == ["  ▸ deals/", "▾ helpdesk/"] and highlighted(pane) == "  ▸ deals/"
        await pilot.press("left")  # a closed folder: up to its parent
        assert highlighted(pane) == "▾ crm/"
        await pilot.press("left")
        assert lines(pane) == ["users", "▸ crm/", "▾ helpdesk/", "  tickets"]
        await pilot.press("right")  # opens it; deals stays closed
        assert lines(pane) == ["users", "▾ crm/", "  contacts", "  ▸ deals/", "▾ helpdesk/", "  tickets"]
        await pilot.press("right")  # on an open folder: to its first entry
        assert highlighted(pane) == "  contacts"
        await pilot.press("down", "enter")  # Enter on a folder flips it too
        assert lines(pane) == OPEN and highlighted(pane) == "  ▾ deals/"
        await pilot.press("down", "enter")  # and on a profile opens it
        await pilot.pause()
        assert app.workbench.profile is not None and app.workbench.profile.path.name == "won.toml"


async def test_a_profile_in_a_closed_folder_opens_its_folders(make_app, tmp_path: Path) -> None:
    folder = folder_with_branches(tmp_path)
    app = make_app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        pane = app.workbench.query_one(ProfileList)
        await pilot.pause()
        await click_line(pilot, pane, "▾ crm/")
        assert "  ▾ deals/" not in lines(pane)
        pane.reload(select=folder / "crm" / "deals" / "won.toml")  # what a save or an import does
        await pilot.pause()
        assert lines(pane) == OPEN and highlighted(pane) == "    won"
