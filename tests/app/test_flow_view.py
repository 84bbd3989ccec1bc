"""The Flow view on its own, in a tiny host app: graph text, Run, step rows, step selection."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Button, DataTable, Static

from tui.app.widgets.flow_view import FlowView
from tui.core.flows import run_flow
from tui.core.send import Clients
from tui.core.variables import Variables
from tui.sandbox import Sandbox

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
LOOKUP = PROFILES / "subscriber-lookup.toml"


class Host(App[None]):
    """Plays the lead's screen: records the view's messages and, if asked, runs the flow."""

    def __init__(self, entry: Path, variables: Variables | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.variables = variables
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield FlowView(self.entry, id="flow")

    @property
    def view(self) -> FlowView:
        return self.query_one(FlowView)

    @on(FlowView.RunRequested)
    def _run_requested(self, message: FlowView.RunRequested) -> None:
        self.received.append(message)
        if self.variables is not None:
            self._run_flow(message.view)

    @on(FlowView.StepSelected)
    def _step_selected(self, message: FlowView.StepSelected) -> None:
        self.received.append(message)

    @work(exclusive=True, exit_on_error=False)
    async def _run_flow(self, view: FlowView) -> None:
        assert view.graph is not None and self.variables is not None
        clients = Clients()
        try:
            result = await run_flow(view.graph, self.variables, clients, on_step=view.show_step)
        finally:
            await clients.aclose()
        view.show_result(result)


def rendered(widget: Static) -> str:
    return str(widget.render())


def table_rows(view: FlowView) -> list[list[str]]:
    table = view.query_one("#flow-steps", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_shows_the_route_graph_as_text() -> None:
    app = Host(LOOKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        graph = rendered(app.view.query_one("#flow-graph", Static))
        assert graph == (
            "subscriber-lookup ─success→ subscriber-details\n"
            "                  ─failure→ subscriber-create ─success→ send-discount"
        )
        assert not app.view.query_one("#flow-run", Button).disabled
        assert table_rows(app.view) == []


async def test_a_graph_error_is_shown_and_run_is_disabled(tmp_path: Path) -> None:
    (tmp_path / "start.toml").write_text('[request]\nurl = "http://x/"\n[routes]\nfailure = "gone"\n')
    app = Host(tmp_path / "start.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = rendered(app.view.query_one("#flow-graph", Static))
        assert text.startswith("Cannot draw this flow:") and "'gone'" in text
        assert app.view.query_one("#flow-run", Button).disabled
        await pilot.press("r")
        assert app.received == []


async def test_run_posts_run_requested_and_the_result_fills_the_table(fresh_sandbox: Sandbox) -> None:
    variables = Variables(overrides={"base_url": fresh_sandbox.base_url, "source.email": "zoe@example.com"})
    app = Host(LOOKUP, variables)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.click("#flow-run")
        await pilot.pause()
        assert isinstance(app.received[0], FlowView.RunRequested) and app.received[0].control is app.view
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = table_rows(app.view)
        assert [row[:4] for row in rows] == [
            ["1", "subscriber-lookup", "404", "failure"],
            ["2", "subscriber-create", "201", "success"],
            ["3", "send-discount", "202", "success"],
        ]
        assert rows[0][4] == "HTTP 404 Not Found" and rows[0][5] == 'lookup_failed="HTTP 404 Not Found"'
        assert 'subscriber_id="sub_3"' in rows[1][5]
        assert "SUCCESS" in rendered(app.view.query_one("#flow-summary", Static))
        assert not app.view.query_one("#flow-run", Button).disabled
        assert [mail["email"] for mail in fresh_sandbox.state.emails_sent] == ["zoe@example.com"]


async def test_selecting_a_step_row_posts_step_selected(fresh_sandbox: Sandbox) -> None:
    variables = Variables(overrides={"base_url": fresh_sandbox.base_url, "source.email": "ada@example.com"})
    app = Host(LOOKUP, variables)
    async with app.run_test(size=(120, 30)) as pilot:
        app.view.query_one("#flow-steps", DataTable).focus()
        await pilot.press("r")  # the view's own binding
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(table_rows(app.view)) == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        selected = [m for m in app.received if isinstance(m, FlowView.StepSelected)]
        assert len(selected) == 1
        assert selected[0].step_index == 1 and selected[0].step.stem == "subscriber-details"
        assert selected[0].step.result.request.url.endswith("/subscribers/sub_1")


async def test_show_error_keeps_the_steps_so_far_and_allows_another_run() -> None:
    app = Host(LOOKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#flow-run")
        await pilot.pause()
        assert app.view.query_one("#flow-run", Button).disabled  # running
        app.view.show_error("flow step 2, subscriber-create: unknown variable first_name")
        await pilot.pause()
        summary = rendered(app.view.query_one("#flow-summary", Static))
        assert summary.startswith("Flow stopped: flow step 2, subscriber-create")
        assert not app.view.query_one("#flow-run", Button).disabled
