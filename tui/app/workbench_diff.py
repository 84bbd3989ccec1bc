"""The Diff tab, routed for the workbench: the response shown against the previous recorded
response of the same profile, compared in a thread."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from tui.app.screen_work import start
from tui.app.widgets.diff_view import DiffView
from tui.app.widgets.history_list import short_time
from tui.app.widgets.lazy_parts import mounted
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.core.errors import HookbenchError
from tui.core.recorded import diff_with_previous

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


def show_diff(screen: Workbench) -> None:
    """(Re)compare in the Diff tab; a newer call cancels the one still comparing."""
    start(screen, partial(_show_diff, screen), group="diff")


async def _show_diff(screen: Workbench) -> None:
    view = screen.query_one(DiffView)
    result = screen.result
    profile = screen.profile.path.stem if screen.profile else screen.origin_profile
    body = result.body if result is not None else None
    if screen.shown_step:
        view.show_message(f"This response is from the flow step {screen.shown_step}: open that profile.")
        return
    if result is None or body is None or not body.parsed or screen.before is None:
        view.show_message("No JSON or XML response to compare yet: ctrl+r sends.")
        return
    if profile is None:
        view.show_message("Save this module: the Diff compares responses of one profile.")
        return
    rows = mounted(screen, SetVariablesPanel)
    before = screen.before
    try:
        diff, previous = await asyncio.to_thread(
            diff_with_previous,
            screen.history,
            profile,
            before,
            body,
            rows.rows if rows is not None else screen.module.set_variables,
        )
    except HookbenchError as exc:
        view.show_message(str(exc))
        return
    if screen.result is result:
        view.show_diff(diff, f"{previous.id} (recorded {short_time(previous.time)})")
