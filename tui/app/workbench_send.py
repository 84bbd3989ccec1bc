"""Sending, routed for the workbench: the module as the widgets hold it, with the active
environment applied, sent in a worker ("send" group: Esc cancels it), shown and recorded.

Anything but GET/HEAD in a protected environment is sent only once the person confirms it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tui.app.dialogs import Confirm
from tui.app.screen_work import start
from tui.app.workbench_history import record
from tui.core.environments import needs_confirmation, with_environment
from tui.core.errors import HookbenchError
from tui.core.model import Module
from tui.core.recorded import record_cutoff
from tui.core.run import run_module
from tui.core.variables import Variables

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


def send(screen: Workbench) -> None:
    """Send the current module (after a confirmation in a protected environment)."""
    try:
        module = with_environment(screen.collect(), screen.environment)
    except ValueError as exc:
        screen.viewer.status.show_error(str(exc))
        return
    profile_path = screen.profile.path if screen.profile else None
    origin = None if profile_path else screen.origin_profile or module.name
    if needs_confirmation(screen.environment, [(module.request.method, "")]):
        start(screen, partial(_confirm_send, screen, module, profile_path, origin), group="confirm")
        return
    _start(screen, module, profile_path, origin)


async def _confirm_send(
    screen: Workbench, module: Module, profile_path: Path | None, origin: str | None
) -> None:
    """A protected environment: anything but GET/HEAD is sent only when the person says so."""
    name = screen.environment.name if screen.environment else ""
    question = f"Environment {name!r} is protected. Send {module.request.method} {module.request.url}?"
    if await screen.app.push_screen_wait(Confirm(question, "Send")):
        _start(screen, module, profile_path, origin)
    else:
        screen.viewer.status.show_idle("Not sent: the protected environment was not confirmed")


def _start(screen: Workbench, module: Module, profile_path: Path | None, origin: str | None) -> None:
    screen.before = record_cutoff(datetime.now(UTC))
    start(
        screen,
        partial(_send, screen, module, screen.current_variables(), profile_path, origin),
        group="send",
        description=f"send {module.request.method}",
    )


async def _send(
    screen: Workbench, module: Module, variables: Variables, profile_path: Path | None, origin: str | None
) -> None:
    """Run the module as it was when sent (the screen may load another one meanwhile)."""
    status = screen.viewer.status
    try:
        result = await run_module(
            module,
            variables,
            screen.clients(),
            base_dir=profile_path.parent if profile_path else screen.folder,
            on_rendered=status.show_sending,
            on_decoding=screen.viewer.show_decoding,
        )
    except HookbenchError as exc:
        status.show_error(str(exc))
        return
    await screen.show_result(result)
    record(screen, module, result, profile_path, origin)
