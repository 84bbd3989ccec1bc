"""The Flow tab, routed for the workbench: it follows the current profile, and runs the saved
profiles along their routes, each step recorded and the last one shown in the response pane.

The active environment applies to every step as to a single send: its `[auth]` and `proxy`
defaults, its variables and dotenv. In a protected environment the flow asks once, before the
first step, when any step it can reach is not GET/HEAD (as `hookbench flow --env` refuses
without --yes). The run is a worker on the workbench screen in the "send" group: Esc, a send
or another module cancel it there.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.widgets import TabPane

from tui.app.dialogs import Confirm
from tui.app.screen_work import start
from tui.app.workbench_history import record
from tui.core.environments import needs_confirmation
from tui.core.errors import HookbenchError
from tui.core.recorded import record_cutoff

if TYPE_CHECKING:
    from tui.app.widgets.flow_view import FlowView
    from tui.core.flows import FlowGraph, StepResult

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


async def show_flow(screen: Workbench) -> None:
    """The Flow tab follows the current profile (a new module has no flow until saved)."""
    pane = screen.query_one("#tab-flow", TabPane)
    from tui.app.widgets.flow_view import FlowView  # imported when the Flow tab is first opened

    views = pane.query(FlowView)
    if screen.profile is None:
        await views.remove()
        screen.query_one("#flow-empty").display = True
        return
    screen.query_one("#flow-empty").display = False
    if views:
        views.first().reload(screen.profile.path)
    else:
        await pane.mount(FlowView(screen.profile.path, id="flow-view"))


def run_flow(screen: Workbench, view: FlowView) -> None:
    """Run the saved profiles along their routes; unsaved edits are saved first, or not run."""
    start(screen, partial(_run_flow, screen, view), group="send")


async def _run_flow(screen: Workbench, view: FlowView) -> None:
    if not await screen.may_leave("The flow runs the saved files: save first?", "Run"):
        view.show_error("not run")
        return
    view.reload()  # the files may just have been saved
    if view.graph is None:
        return
    graph = view.graph.in_environment(screen.environment)
    if not await _confirmed(screen, graph):
        view.show_error("not run: the protected environment was not confirmed")
        return
    view.show_running()
    screen.before = record_cutoff(datetime.now(UTC))
    from tui.core.flows import run_flow as run_routes

    def on_step(step: StepResult) -> None:
        view.show_step(step)
        record(screen, step.module, step.result, step.path)

    try:
        result = await run_routes(graph, screen.current_variables(), screen.clients(), on_step=on_step)
    except HookbenchError as exc:
        view.show_error(str(exc))
        return
    except asyncio.CancelledError:  # Esc, a send, or a new run
        view.show_error("cancelled")
        raise
    view.show_result(result)
    await screen.show_result(result.last.result, step=result.last.stem)


async def _confirmed(screen: Workbench, graph: FlowGraph) -> bool:
    """True unless a protected environment has a step to confirm and the person declines."""
    unsafe = needs_confirmation(screen.environment, graph.requests())
    if not unsafe:
        return True
    question = (
        f"Environment {screen.environment.name!r} is protected. Run the flow {graph.entry}? "
        f"It can send {', '.join(unsafe)}."
    )
    return bool(await screen.app.push_screen_wait(Confirm(question, "Run")))


async def show_step(screen: Workbench, step: StepResult, index: int) -> None:
    """A step picked in the Flow tab: its response in the response pane."""
    await screen.show_result(step.result, step=step.stem)
    screen.notify(f"Showing step {index + 1}: {step.stem}", timeout=3)
