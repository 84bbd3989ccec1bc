"""Saving, routed for the workbench: write the module to its profile (asking for a name when it
is new), and ask what to do with unsaved changes before the module is replaced."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from textual.widgets import TabbedContent

from tui.app.widgets.profile_list import ProfileList
from tui.app.workbench_flow import show_flow
from tui.core.errors import HookbenchError
from tui.core.profile import Profile, file_stem_for, save_profile

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


async def save_module(screen: Workbench) -> bool:
    """Save the module; False when it was not saved (cancelled, invalid, disk trouble)."""
    try:
        module = screen.collect()
    except ValueError as exc:
        screen.notify(str(exc), title="Not saved", severity="error")
        return False
    folder = screen.folder
    path = screen.profile.path if screen.profile else None
    document = screen.profile.document if screen.profile else None
    if path is None:
        from tui.app.dialogs import NamePrompt

        name = await screen.app.push_screen_wait(NamePrompt("Save this module as:"))
        if not name:
            return False
        path = folder / f"{file_stem_for(name)}.toml"
        if path.exists():
            screen.notify(f"{path} exists already; choose another name.", title="Not saved", severity="error")
            return False
        module = replace(module, name=name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        document = await asyncio.to_thread(save_profile, path, module, document)
    except (HookbenchError, OSError) as exc:
        screen.notify(str(exc), title="Not saved", severity="error", timeout=10)
        return False
    screen.profile = Profile(path=path, module=module, _document=document)
    screen.module = screen.saved_module = module
    screen.recovery.discard()
    screen.query_one(ProfileList).reload(select=path)
    screen.show_title(module, unsaved=False)
    if screen.query_one("#response-tabs", TabbedContent).active == "tab-flow":
        await show_flow(screen)
    screen.notify(f"Saved {path}", title="Saved")
    return True


async def ask_before_leaving(screen: Workbench, question: str, proceed: str) -> bool:
    """Before replacing the module: ask what to do with unsaved changes (in a worker)."""
    if not screen.dirty:
        return True
    from tui.app.dialogs import UnsavedChanges

    choice = await screen.app.push_screen_wait(UnsavedChanges(question, proceed))
    if choice == "save":
        return await save_module(screen)
    return choice == "proceed"
