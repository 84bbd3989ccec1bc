"""Imports, routed for the workbench: a curl command pasted into the URL bar, a curl command
from the palette, and Postman or OpenAPI files; secrets go to the folder's .env, never a profile.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from tui.app.screen_work import start
from tui.app.widgets.profile_list import ProfileList
from tui.core.errors import HookbenchError

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


def take_pasted_curl(screen: Workbench, text: str) -> None:
    """The pasted command becomes this module's request (rows, routes and name stay); its
    secrets go to the folder's .env at once, so the module can never be saved with them."""
    start(screen, partial(_take_pasted_curl, screen, text), group="switch")


async def _take_pasted_curl(screen: Workbench, text: str) -> None:
    from tui.core.importers.curl import import_curl
    from tui.core.importers.report import secret_lines
    from tui.core.importers.writing import stash_secrets

    try:
        imported = import_curl(text, source_dir=screen.folder)
    except HookbenchError as exc:
        screen.notify(str(exc), title="Not a curl command hookbench can import", severity="error", timeout=10)
        return
    if not await screen.may_leave("Replace its request with the pasted curl command?", "Replace"):
        return
    found = imported.profiles[0]
    stem = screen.profile.path.stem if screen.profile else found.path.stem
    try:
        module, written, values = await asyncio.to_thread(stash_secrets, found.module, screen.folder, stem)
    except HookbenchError as exc:
        screen.notify(str(exc), title="Not imported", severity="error", timeout=10)
        return
    _add_env_values(screen, values)
    base = screen.saved_module
    name = base.name if screen.profile else module.name
    await screen.load_module(replace(base, name=name, request=module.request), screen.profile)
    screen.saved_module = base  # the pasted request is an unsaved edit
    report = [*found.notes, *imported.warnings, *secret_lines(written)]
    screen.notify("\n".join(report) or "Nothing was left out.", title="Imported the curl command", timeout=10)


def import_curl_prompt(screen: Workbench) -> None:
    """Palette: paste a curl command; it is written as a new profile and opened."""
    start(screen, partial(_import_curl_prompt, screen), group="switch")


async def _import_curl_prompt(screen: Workbench) -> None:
    from tui.app.dialogs import TextPrompt
    from tui.core.importers.curl import import_curl
    from tui.core.importers.report import format_report
    from tui.core.importers.writing import unused_paths, write_import
    from tui.core.variables import read_env_file

    text = await screen.app.push_screen_wait(TextPrompt("Paste a curl command:", "Import"))
    if not text:
        return
    try:
        imported = unused_paths(import_curl(text, source_dir=screen.folder), screen.folder)
        written = await asyncio.to_thread(write_import, imported, screen.folder)
        known = await asyncio.to_thread(read_env_file, written.dotenv) if written.dotenv else {}
    except HookbenchError as exc:
        screen.notify(str(exc), title="Not imported", severity="error", timeout=10)
        return
    _add_env_values(screen, {secret.name: known[secret.name] for secret in written.secrets})
    path = written.profiles[0]
    screen.query_one(ProfileList).reload(select=path)
    screen.notify(
        "\n".join([format_report(imported, written), *imported.warnings]), title="Imported", timeout=12
    )
    if await screen.may_leave(f"Open {path.stem}?", "Open"):
        await screen.open_profile(path)


def _add_env_values(screen: Workbench, values: dict[str, str]) -> None:
    """Secrets an import just wrote to the .env: the app read that file at start."""
    if values:
        screen.variables = replace(screen.variables, env_file={**screen.variables.env_file, **values})


def import_file_prompt(screen: Workbench, kind: str) -> None:
    """Ask for a Postman collection (and environments) or an OpenAPI document, import it into
    the profiles folder, refresh the profiles pane and show the report."""
    start(screen, partial(_import_file, screen, kind), group="import")


async def _import_file(screen: Workbench, kind: str) -> None:
    import shlex

    from tui.app.dialogs import ImportReport, NamePrompt
    from tui.core.importers.saving import import_openapi_file, import_postman_files

    title = {
        "postman": "Postman collection to import (then its environment files, if any):",
        "openapi": "OpenAPI document to import (JSON or YAML):",
    }[kind]
    answer = await screen.app.push_screen_wait(
        NamePrompt(title, ok="Import", placeholder="path/to/file.json", needed="A file is needed.")
    )
    if not answer:
        return
    try:
        paths = [Path(word).expanduser() for word in shlex.split(answer)]
        if kind == "postman":
            imported, report = await asyncio.to_thread(
                import_postman_files, paths[0], paths[1:], screen.folder
            )
        else:
            imported, report = await asyncio.to_thread(import_openapi_file, paths[0], screen.folder)
    except (HookbenchError, OSError, ValueError, IndexError) as exc:
        screen.notify(str(exc), title="Not imported", severity="error", timeout=10)
        return
    screen.query_one(ProfileList).reload()
    skipped = f", {len(imported.skipped)} skipped" if imported.skipped else ""
    screen.app.push_screen(ImportReport(f"Imported {len(imported.profiles)} profiles{skipped}", report))
