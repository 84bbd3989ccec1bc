"""The History pane, routed for the workbench: open or replay a record, map the current module
against a recorded response, save a record as a profile, and record every run.

Workers run on the workbench screen (Esc, a send or another module cancel them there).
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import Any

from tui.app.screen_work import start
from tui.app.widgets.history_list import HistoryList, short_time
from tui.app.widgets.profile_list import ProfileList
from tui.core.errors import HookbenchError
from tui.core.model import Module
from tui.core.recorded import judge_recorded, read_response
from tui.core.run import RunResult

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


def open_record(screen: Workbench, record_id: str, *, replay: bool) -> None:
    """Load a record into the composer (Enter), or load and send it again (r): the secrets it
    masked are taken from its source profile (and the active environment)."""
    start(screen, partial(_open_record, screen, record_id, replay=replay), group="switch")


async def _open_record(screen: Workbench, record_id: str, *, replay: bool) -> None:
    history = screen.history
    try:
        load = history.load_for_replay if replay else history.load
        where = {"sources": screen.folder, "environment": screen.environment} if replay else {}
        module = await asyncio.to_thread(load, record_id, **where)
        origin = await asyncio.to_thread(lambda: str(history.read(record_id).get("profile") or ""))
    except HookbenchError as exc:
        screen.notify(
            str(exc),
            title="Cannot replay" if replay else "Cannot open record",
            severity="error",
            timeout=10,
        )
        return
    if not await screen.may_leave("Replace it with the history record?", "Replace"):
        return
    await screen.load_module(module, None)
    screen.origin_profile = origin or None
    if replay:
        if history.replay_notes:
            screen.notify("\n".join(history.replay_notes), title="Replay", timeout=8)
        screen.action_send()
    else:
        screen.notify(f"Loaded {record_id} into the composer (not sent). ctrl+r sends it.", timeout=5)


def map_highlighted(screen: Workbench) -> None:
    """The palette's "Map against this response": the record highlighted in the History pane."""
    record_id = screen.query_one(HistoryList).highlighted_id
    if record_id is None:
        screen.notify("Highlight a record in the History pane first (ctrl+b shows it).", severity="warning")
        return
    map_against(screen, record_id)


def map_against(screen: Workbench, record_id: str) -> None:
    """Show a recorded response and judge the current module against it; nothing is sent.

    Clicking nodes then adds rows to the current module, judged live against this response.
    """
    start(screen, partial(_map_against, screen, record_id), group="send")


async def _map_against(screen: Workbench, record_id: str) -> None:
    try:
        module = screen.collect()
        recorded = await asyncio.to_thread(read_response, screen.history, record_id)
    except (HookbenchError, ValueError) as exc:
        screen.notify(str(exc), title="Cannot map against this record", severity="error", timeout=10)
        return
    result = await asyncio.to_thread(judge_recorded, module, recorded)
    screen.before = recorded.id
    await screen.show_result(result, note=f"recorded {short_time(recorded.time)}, not sent")


def save_record_as(screen: Workbench, record_id: str) -> None:
    """Ask for a name and write the record as a profile of the folder."""
    start(screen, partial(_save_record_as, screen, record_id), group="save")


async def _save_record_as(screen: Workbench, record_id: str) -> None:
    from tui.app.dialogs import NamePrompt

    name = await screen.app.push_screen_wait(NamePrompt("Save this record as a profile named:"))
    if not name:
        return
    try:
        path = await asyncio.to_thread(screen.history.save_as_profile, record_id, screen.folder, name)
    except HookbenchError as exc:
        screen.notify(str(exc), title="Not saved", severity="error", timeout=10)
        return
    screen.query_one(ProfileList).reload(select=path)
    screen.notify(
        f"Saved {path}. Masked secrets stay masked: type them again or use {{{{env.NAME}}}}.",
        title="Saved",
        timeout=8,
    )


def record(
    screen: Workbench,
    module: Module,
    result: RunResult,
    profile_path: Path | None,
    origin: str | None = None,
) -> None:
    """Every send leaves a record (bodies as the module's log toggles allow), written in a thread.

    The worker gets the run in a list it empties: a finished worker can outlive its run in a
    garbage cycle, and one frozen by `bulk.gc_paused` would keep a big response alive for good."""
    start(
        screen,
        partial(_record, screen, [(module, result, profile_path, origin)]),
        group="history",
        exclusive=False,
        thread=True,
        description="record the run",
    )


def _record(screen: Workbench, run: list[tuple[Module, RunResult, Path | None, str | None]]) -> None:
    module, result, profile_path, origin = run.pop()
    history = screen.history
    with screen.record_lock:  # flow steps record from several threads; last_error is shared
        summary = history.record(module, result, profile_path=profile_path, profile=origin)
        problem = history.last_error if summary is None else None
    if problem:
        screen.app.call_from_thread(screen.notify, problem, title="Not recorded", severity="warning")
    screen.app.call_from_thread(lambda: screen.query_one(HistoryList).refresh_records())
