"""The Flow view: the route graph of a profile as text, a Run button, and the executed steps.

The view does no IO beyond reading the profiles to draw the graph: pressing Run posts
`RunRequested`, the screen runs the flow in a worker and hands each step back through
`show_step` and the outcome through `show_result` (or `show_error`). Selecting a step posts
`StepSelected` so the screen can show that step's request and response in the usual viewer.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from tui.app.safe import append_safe, safe
from tui.core.errors import HookbenchError
from tui.core.flows import DEFAULT_MAX_STEPS, FlowGraph, FlowResult, GraphLine, StepResult, plan_flow

_SEGMENT_STYLES = {"node": "bold", "success": "green", "failure": "red", "note": "dim italic", "pad": ""}
COLUMNS = ("#", "profile", "status", "route", "reason", "variables set")


def graph_text(graph: FlowGraph) -> Text:
    """The graph's lines with routes coloured: green success, red failure."""
    text = Text()
    for number, line in enumerate(graph.lines()):
        if number:
            text.append("\n")
        _append_line(text, line)
    return text


def _append_line(text: Text, line: GraphLine) -> None:
    for segment, kind in line:
        append_safe(text, segment, _SEGMENT_STYLES.get(kind, ""))


def step_cells(step: StepResult) -> tuple[Text, ...]:
    """One table row for a step; a failure route is red unless the profile expected it."""
    route_style = "green" if step.route == "success" else ("yellow" if step.expected else "bold red")
    route = step.route + (" (expected)" if step.route == "failure" and step.expected else "")
    variables = ", ".join(
        f"{name}={json.dumps(value, ensure_ascii=False)}" for name, value in step.published.items()
    )
    return (
        Text(str(step.index), style="dim"),
        safe(step.stem, "bold"),
        Text(str(step.status) if step.status is not None else "—"),
        Text(route, style=route_style),
        safe(step.reason),
        safe(variables, "") if variables else Text("—", style="dim"),
    )


class FlowView(Vertical):
    """A flow starting at `entry`: posts `RunRequested` and `StepSelected`."""

    BINDINGS = [Binding("r", "run", "Run flow")]

    class RunRequested(Message):
        """Run was pressed: the screen should run the flow (`view.graph`) in a worker."""

        def __init__(self, view: FlowView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> FlowView:
            return self.view

    class StepSelected(Message):
        """A step row was selected; `step_index` is its position in `view.steps` (0-based)."""

        def __init__(self, view: FlowView, step_index: int, step: StepResult) -> None:
            super().__init__()
            self.view = view
            self.step_index = step_index
            self.step = step

        @property
        def control(self) -> FlowView:
            return self.view

    def __init__(
        self,
        entry: Path,
        *,
        max_steps: int = DEFAULT_MAX_STEPS,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.entry = Path(entry)
        self.max_steps = max_steps
        self.graph: FlowGraph | None = None
        self.steps: list[StepResult] = []
        self.border_title = f"Flow from {self.entry.stem}"
        self._graph = Static(id="flow-graph")
        self._run = Button("Run flow (r)", id="flow-run", compact=True)
        self._summary = Static(id="flow-summary")
        self._table: DataTable[Text] = DataTable(id="flow-steps", cursor_type="row", zebra_stripes=True)

    def compose(self) -> ComposeResult:
        yield self._graph
        yield self._run
        yield self._summary
        yield self._table

    def on_mount(self) -> None:
        self._table.add_columns(*COLUMNS)
        self.reload()

    def reload(self, entry: Path | None = None) -> None:
        """Re-read the graph (after a profile was saved, or for another entry)."""
        if entry is not None:
            self.entry = Path(entry)
            self.border_title = f"Flow from {self.entry.stem}"
        try:
            self.graph = plan_flow(self.entry, max_steps=self.max_steps)
        except HookbenchError as exc:
            self.graph = None
            self._graph.update(safe(f"Cannot draw this flow: {exc}", "bold red", single_line=False))
            self._run.disabled = True
            return
        self._graph.update(graph_text(self.graph))
        self._run.disabled = False
        self._summary.update(Text("Not run yet — press Run to send every step", style="dim"))

    def action_run(self) -> None:
        if self.graph is None or self._run.disabled:
            return
        self.show_running()
        self.post_message(self.RunRequested(self))

    def show_running(self) -> None:
        """Clear the last run's steps; Run stays disabled until a result or an error arrives."""
        if self.graph is None:
            return
        self._clear_steps()
        self._summary.update(safe(f"Running {self.graph.entry} …", "italic"))
        self._run.disabled = True

    @on(Button.Pressed, "#flow-run")
    def _run_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_run()

    def show_step(self, step: StepResult) -> None:
        """Add a step as soon as it completes, while the flow is still running."""
        self.steps.append(step)
        self._table.add_row(*step_cells(step), key=str(len(self.steps) - 1))

    def show_result(self, result: FlowResult) -> None:
        """Show every step of a finished flow and how it ended; Run is available again."""
        self._clear_steps()
        for step in result.steps:
            self.show_step(step)
        count = len(result.steps)
        summary = Text(f"{count} step{'s' if count != 1 else ''} · ended on ")
        summary.append(
            f" {result.route.upper()} ", "bold black on green" if result.ok else "bold white on red"
        )
        append_safe(summary, f" at {result.last.stem}: {result.last.reason}")
        self._summary.update(summary)
        self._run.disabled = self.graph is None

    def show_error(self, message: str) -> None:
        """The flow stopped on a configuration error (the steps shown so far stay)."""
        self._summary.update(safe(f"Flow stopped: {message}", "bold red", single_line=False))
        self._run.disabled = self.graph is None

    def _clear_steps(self) -> None:
        self.steps = []
        self._table.clear()

    @on(DataTable.RowSelected, "#flow-steps")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value) if event.row_key.value is not None else event.cursor_row
        if 0 <= index < len(self.steps):
            self.post_message(self.StepSelected(self, index, self.steps[index]))
