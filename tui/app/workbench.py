"""The workbench screen: composes the panes and routes their messages.

Domain work (rendering, sending, judging, mapping, saving) is done by `tui.core`; this
screen only collects the module from its widgets, calls the core in a worker and hands
the outcome back down to the widgets. What each pane's requests lead to lives in a module of
its own, each given the screen: `workbench_send` (ctrl+r), `workbench_history` (the History
pane, recording runs), `workbench_diff` and `workbench_flow` (those tabs), `workbench_mapping`
(tree to Set Variables row), `workbench_import` (curl, Postman, OpenAPI), `workbench_save`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from tui.app.recovery import RecoveryKeeper, offer
from tui.app.widgets.auth_editor import AuthEditor
from tui.app.widgets.body_editor import BodyEditor
from tui.app.widgets.composer import Composer
from tui.app.widgets.diff_view import DiffView
from tui.app.widgets.history_list import HistoryList
from tui.app.widgets.key_footer import KeyFooter
from tui.app.widgets.key_values import KeyValueEditor
from tui.app.widgets.lazy_parts import mounted, part
from tui.app.widgets.options_form import OptionsForm
from tui.app.widgets.placeholders import PlaceholdersPanel
from tui.app.widgets.profile_list import ProfileList
from tui.app.widgets.response_viewer import ResponseViewer
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.app.widgets.url_bar import UrlBar
from tui.app.workbench_diff import show_diff
from tui.app.workbench_flow import run_flow, show_flow, show_step
from tui.app.workbench_history import map_against, map_highlighted, open_record, save_record_as
from tui.app.workbench_import import import_curl_prompt, import_file_prompt, take_pasted_curl
from tui.app.workbench_mapping import add_row
from tui.app.workbench_save import ask_before_leaving, save_module
from tui.app.workbench_send import send
from tui.core.environments import (
    Environment,
    environment_names,
    load_environment,
    with_environment,
)
from tui.core.errors import HookbenchError
from tui.core.history import History
from tui.core.model import Module, Request
from tui.core.profile import Profile, load_profile
from tui.core.run import RunResult, judge
from tui.core.template import names_in
from tui.core.variables import Variables

if TYPE_CHECKING:
    from tui.app.widgets.flow_view import FlowView
    from tui.core.recovery import RecoveryCopy
    from tui.core.send import Clients


class Workbench(Screen[None]):
    """Compose, send, map, save."""

    AUTO_FOCUS = "#url"

    BINDINGS = [
        Binding("ctrl+r", "send", "Send", id="send", priority=True),
        Binding("escape", "cancel", "Cancel send", show=False),
        Binding("ctrl+s", "save", "Save", id="save", priority=True),
        Binding("ctrl+b", "toggle_sidebar", "Profiles", id="toggle-sidebar"),
        Binding("f2", "toggle_request", "Request pane", id="toggle-request"),
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+l", "focus_url", "URL", id="focus-url", show=False),
        Binding("ctrl+t", "focus_tree", "Tree", id="focus-tree", show=False),
        Binding("f3", "next_tab('#request-tabs')", "Next request tab", id="request-tab", show=False),
        Binding("f4", "next_tab('#response-tabs')", "Next response tab", id="response-tab", show=False),
        Binding("f6", "pager", "Pager", id="pager", show=False),
        Binding("f7", "edit_body", "Edit body", id="edit-body", show=False),
        Binding("f8", "next_environment", "Environment", id="next-environment"),
    ]

    def __init__(
        self,
        folder: Path,
        variables: Variables,
        clients: Callable[[], Clients],
        *,
        profile_path: Path | None = None,
        environment: Environment | None = None,
    ) -> None:
        """`clients` gives the app's long-lived HTTP clients (created on first send);
        `variables` are the chain without an environment, `environment` the one active first."""
        super().__init__()
        self.folder = folder
        self.clients = clients
        self._base_variables = variables
        self.environment = environment
        self.variables = variables.with_environment(environment)
        self.session_values: dict[str, str] = {}
        self.profile: Profile | None = None
        self.module = Module(request=Request(url="https://"))
        self.result: RunResult | None = None
        self._load_error: str | None = None
        self.shown_step: str | None = None  # the viewer shows a flow step of another module
        self.origin_profile: str | None = None  # the profile a history record came from
        self._note: str | None = None  # leads the status line: "recorded <time>, not sent"
        self.before: str | None = None  # the Diff tab compares with records older than this id
        if profile_path is not None:
            try:
                self.profile = load_profile(profile_path)
                self.module = self.profile.module
            except HookbenchError as exc:
                self._load_error = str(exc)
        self.saved_module = self.module
        self.composer = Composer(self.module.request, id="composer")
        self.history = History.for_profiles(folder)
        self.record_lock = threading.Lock()
        self.recovery = RecoveryKeeper(self, folder)

    def compose(self) -> ComposeResult:
        module = self.module
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield ProfileList(
                    self.folder, current=self.profile.path if self.profile else None, id="profile-list"
                )
                yield HistoryList(self.history, id="history")
            with Vertical(id="main"):
                yield self.composer
                yield ResponseViewer(
                    TabPane(
                        "Set Variables",
                        Lazy(
                            SetVariablesPanel(
                                module.set_variables, module.failure_variable, id="set-variables"
                            )
                        ),
                        id="tab-vars",
                    ),
                    TabPane("Diff", DiffView(id="diff-view"), id="tab-diff"),
                    TabPane(
                        "Flow",
                        Static(Text("Save this module to run it as a flow.", style="dim"), id="flow-empty"),
                        id="tab-flow",
                    ),
                    id="viewer",
                )
        yield KeyFooter(id="footer")

    @property
    def viewer(self) -> ResponseViewer:
        return self.query_one(ResponseViewer)

    def on_mount(self) -> None:
        self.query_one("#sidebar").display = self.app.size.width >= 100
        self.composer.show_environment(self.environment)
        if self._load_error:
            self.notify(self._load_error, title="Cannot open profile", severity="error", timeout=10)
        elif self.profile is not None:
            self._warn_unknown_keys(self.profile.warnings)
        self.call_after_refresh(self.refresh_derived)
        self._offer_recovery(self.recovery.waiting())

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _offer_recovery(self, copy: RecoveryCopy | None) -> None:
        """A copy an earlier session left: Recover (the default) or Discard."""
        if copy is not None:
            await offer(self, copy)

    @on(ProfileList.RecoveryChosen)
    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _recovery_chosen(self, event: ProfileList.RecoveryChosen) -> None:
        copy = self.recovery.store.read(event.path)
        if (
            copy is not None
            and copy.path != self.recovery.written
            and await self.may_leave("Recover?", "Recover")
        ):
            await offer(self, copy)

    @on(TabbedContent.TabActivated, "#response-tabs")
    async def _response_tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-flow":
            await show_flow(self)
        elif event.pane.id == "tab-diff":
            show_diff(self)

    # --- loading and collecting -----------------------------------------------------------

    async def open_profile(self, path: Path) -> bool:
        """Load a profile file into the composer; a bad file is reported, not fatal."""
        try:
            profile = load_profile(path)
        except HookbenchError as exc:
            self.notify(str(exc), title="Cannot open profile", severity="error", timeout=10)
            return False
        await self.load_module(profile.module, profile)
        self._warn_unknown_keys(profile.warnings)
        return True

    def _warn_unknown_keys(self, warnings: tuple[str, ...]) -> None:
        if warnings:
            self.notify(
                "\n".join(warnings), title="Unknown keys (kept, not used)", severity="warning", timeout=15
            )

    # --- environments -----------------------------------------------------------------------

    def action_next_environment(self) -> None:
        """Cycle: no environment, then each of the folder's environments in name order."""
        names = [None, *environment_names(self.folder)]
        current = self.environment.name if self.environment else None
        following = names[(names.index(current) + 1) % len(names)] if current in names else None
        self.switch_environment(following)

    def switch_environment(self, name: str | None) -> None:
        """Make `name` (None: none) the active environment; a broken file is reported, not used."""
        try:
            environment = load_environment(self.folder, name) if name else None
            variables = self._base_variables.with_environment(environment)
        except HookbenchError as exc:
            self.notify(str(exc), title="Environment not switched", severity="error", timeout=10)
            return
        self.environment, self.variables = environment, variables
        self.composer.show_environment(environment)
        if environment is not None and environment.warnings:
            self._warn_unknown_keys(environment.warnings)
        self.notify(f"Environment: {name or 'none'}", timeout=3)
        self.call_after_refresh(self.refresh_derived)

    async def load_module(
        self, module: Module, profile: Profile | None, *, saved: Module | None = None
    ) -> None:
        """Replace the module (unsaved changes were dealt with); `saved`: what it differs from."""
        self.workers.cancel_group(self, "send")  # a reply to the old module must not land on the new
        self.recovery.discard()
        self.profile = profile
        self.module, self.saved_module = module, saved or module
        await self.composer.load(module.request)
        (await part(self, SetVariablesPanel)).load(module.set_variables, module.failure_variable)
        self.result = None
        self.shown_step = None
        self.origin_profile = None
        self._note = self.before = None
        self.viewer.clear()
        self.call_after_refresh(self.refresh_derived)
        if self.query_one("#response-tabs", TabbedContent).active == "tab-flow":
            await show_flow(self)

    def collect(self) -> Module:
        """The module as the widgets hold it now; ValueError names a field that cannot be read.

        Panes not mounted yet (Lazy) contribute the loaded module's values.
        """
        request = self.composer.request(self.module.request)
        panel = mounted(self, SetVariablesPanel)
        if panel is None:
            return replace(self.module, request=request)
        return replace(
            self.module, request=request, set_variables=panel.rows, failure_variable=panel.failure_variable
        )

    def current_variables(self) -> Variables:
        return self.variables.with_overrides(self.session_values)

    @property
    def dirty(self) -> bool:
        try:
            return self.collect() != self.saved_module
        except ValueError:
            return True

    # --- derived views: placeholders, live values, title -----------------------------------

    async def refresh_derived(self) -> None:
        try:
            module, readable = self.collect(), True
        except ValueError:  # e.g. a timeout being typed: keep showing the last good module
            module, readable = self.module, False
        await self._show_placeholders(module)
        self._show_live_values(module)
        unsaved = not readable or module != self.saved_module
        self.show_title(module, unsaved=unsaved)
        self.recovery.edited(unsaved)

    async def _show_placeholders(self, module: Module) -> None:
        names = names_in(*module.request.template_texts())
        variables = self.current_variables().with_defaults(module.variables)
        await self.composer.show_placeholders(
            names, {n: variables.lookup(n) for n in names}, set(self.session_values)
        )

    def _show_live_values(self, module: Module) -> None:
        panel = mounted(self, SetVariablesPanel)
        if panel is None:
            return
        if self.result is None or self.result.exchange is None or self.shown_step:
            panel.show_values(None if self.result is None or self.shown_step else self.result.rows)
            return
        result = judge(module, self.result.request, self.result.exchange, self.result.body)
        panel.show_values(result.rows)
        self.viewer.status.show_result(result, self._note)

    def show_title(self, module: Module, *, unsaved: bool) -> None:
        name = module.name if self.profile else "new module"
        mark = " ● unsaved" if unsaved else ""
        self.composer.show_title(f"{name}{mark}")
        self.app.sub_title = f"{name}{mark}"

    @on(KeyValueEditor.Changed)
    @on(AuthEditor.Changed)
    @on(BodyEditor.Changed)
    @on(OptionsForm.Changed)
    @on(SetVariablesPanel.Changed)
    async def _edited(self) -> None:
        await self.refresh_derived()

    @on(UrlBar.MethodChanged)
    async def _method(self) -> None:
        await self.refresh_derived()  # the composer has shown or hidden its Body tab

    @on(UrlBar.UrlChanged)
    def _url_edited(self) -> None:
        self.call_after_refresh(self.refresh_derived)

    @on(PlaceholdersPanel.ValueTyped)
    async def _typed(self, event: PlaceholdersPanel.ValueTyped) -> None:
        if event.value:
            self.session_values[event.name] = event.value
        else:
            self.session_values.pop(event.name, None)
        await self.refresh_derived()

    @on(ProfileList.Chosen)
    def _chosen(self, event: ProfileList.Chosen) -> None:
        self._open_chosen(event.path)

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _open_chosen(self, path: Path) -> None:
        if await self.may_leave(f"Open {path.stem}?", "Open") and await self.open_profile(path):
            copy = self.recovery.waiting()
            if copy is not None:
                await offer(self, copy)

    # --- importing ------------------------------------------------------------------------------

    @on(UrlBar.CurlPasted)
    def _curl_pasted(self, event: UrlBar.CurlPasted) -> None:
        take_pasted_curl(self, event.text)

    def action_import_curl(self) -> None:
        import_curl_prompt(self)

    def import_file(self, kind: str) -> None:
        import_file_prompt(self, kind)

    # --- sending ----------------------------------------------------------------------------

    @on(UrlBar.SendPressed)
    def action_send(self) -> None:
        send(self)

    async def show_result(
        self, result: RunResult, *, step: str | None = None, note: str | None = None
    ) -> None:
        """Show a run; `step` names the flow step (another module) the response belongs to,
        `note` what the status line leads with (a recorded response says it was not sent)."""
        self.result = result
        self._note = note
        self.shown_step = step if step != (self.profile.path.stem if self.profile else None) else None
        panel = mounted(self, SetVariablesPanel)
        if panel is not None:
            panel.show_values(None if self.shown_step else result.rows)
        if self.viewer.show_result(result, note) and self._focus_is_free():
            # The frame that draws the tree goes out first, then the focus moves to it
            # (restyling the widgets it leaves and enters, repainting the footer).
            await self.wait_for_refresh()
            if self.result is result and self._focus_is_free():
                self.viewer.focus_tree()
        if self.query_one("#response-tabs", TabbedContent).active == "tab-diff":
            show_diff(self)

    def _focus_is_free(self) -> bool:
        """Nothing is being typed: the focus is nowhere, or on the URL that was just sent."""
        return self.focused is None or self.focused.id == "url"

    def action_cancel(self) -> None:
        workers = [w for w in self.workers if w.group == "send" and w.is_running]
        if workers:
            self.workers.cancel_group(self, "send")
            self.viewer.show_cancelled()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker must not vanish silently, nor print a traceback over the screen;
        a send that died that way must not leave "Sending …" on the status line forever."""
        if event.state == WorkerState.ERROR:
            if event.worker.group == "send":
                self.viewer.status.show_idle("Not sent: an unexpected error stopped it — ctrl+r sends")
            self.notify(
                f"{type(event.worker.error).__name__}: {event.worker.error}",
                title="Unexpected error",
                severity="error",
                timeout=15,
            )

    # --- the Flow tab, the History pane ----------------------------------------------------------

    def on_flow_view_run_requested(self, event: FlowView.RunRequested) -> None:
        run_flow(self, event.view)

    async def on_flow_view_step_selected(self, event: FlowView.StepSelected) -> None:
        await show_step(self, event.step, event.step_index)

    @on(HistoryList.Opened)
    def _history_opened(self, event: HistoryList.Opened) -> None:
        open_record(self, event.record_id, replay=False)

    @on(HistoryList.ReplayRequested)
    def _history_replay(self, event: HistoryList.ReplayRequested) -> None:
        open_record(self, event.record_id, replay=True)

    @on(HistoryList.MapRequested)
    def _history_map(self, event: HistoryList.MapRequested) -> None:
        map_against(self, event.record_id)

    def action_map_against(self) -> None:
        map_highlighted(self)

    @on(HistoryList.SaveAsRequested)
    def _history_save_as(self, event: HistoryList.SaveAsRequested) -> None:
        save_record_as(self, event.record_id)

    # --- the tree: click to path ---------------------------------------------------------

    @on(ResponseViewer.RowRequested)
    async def _row_requested(self, event: ResponseViewer.RowRequested) -> None:
        await add_row(self, event.path)

    # --- saving ------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.save_then(None)

    @work(exclusive=True, exit_on_error=False, group="save")
    async def save_then(self, after: Callable[[], object] | None) -> None:
        """Save (asking for a name if the module is new), then run `after` if it worked."""
        if await save_module(self) and after is not None:
            after()

    async def may_leave(self, question: str, proceed: str) -> bool:
        """Before replacing the module: ask what to do with unsaved changes (in a worker)."""
        return await ask_before_leaving(self, question, proceed)

    # --- layout --------------------------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display and sidebar.has_focus_within:
            self.viewer.focus_tree()
        elif sidebar.display:
            self.query_one(HistoryList if self.query_one(ProfileList).has_focus else ProfileList).focus()

    def action_toggle_request(self) -> None:
        if self.composer.toggle_tabs():
            self.viewer.focus_tree()

    def action_next_tab(self, selector: str) -> None:
        """Cycle a tab strip from the keyboard (f3 request tabs, f4 response tabs)."""
        tabs = self.query_one(selector, TabbedContent)
        if not tabs.display:
            tabs.display = True
        visible = [
            pane.id
            for pane in tabs.query(TabPane)
            if pane.id and not tabs.get_tab(pane.id).disabled and tabs.get_tab(pane.id).display
        ]
        if not visible:
            return
        current = tabs.active
        following = visible[(visible.index(current) + 1) % len(visible)] if current in visible else visible[0]
        tabs.active = following
        pane = tabs.get_pane(following)
        focusable = [w for w in self.focus_chain if pane in w.ancestors]  # shown ones only
        if focusable:
            focusable[0].focus()

    def action_focus_url(self) -> None:
        self.query_one("#url").focus()

    def action_focus_tree(self) -> None:
        self.viewer.focus_tree()

    @work(exclusive=True, exit_on_error=False, group="external", description="pager")
    async def action_pager(self) -> None:
        """The response in $PAGER (the app is suspended meanwhile)."""
        from tui.app.external import page_response

        await page_response(self.app, self.viewer.body)

    @work(exclusive=True, exit_on_error=False, group="external", description="editor")
    async def action_edit_body(self) -> None:
        """The request body in $EDITOR; it comes back as an unsaved edit."""
        from tui.app.external import edit_body

        await edit_body(self.app, self.composer)

    def action_help(self) -> None:
        from tui.app.help_screen import HelpScreen

        self.app.push_screen(HelpScreen())

    def curl_command(
        self, *, reveal: bool = False, mask_secrets: bool = False
    ) -> tuple[str, tuple[str, ...]]:
        """The current request as `hookbench export curl` writes it, and the shell variables it
        reads literal auth credentials from (none when revealed); raises HookbenchError/ValueError."""
        from tui.core.curl import auth_references, export_curl

        base_dir = self.profile.path.parent if self.profile else self.folder
        module = with_environment(self.collect(), self.environment)
        command = export_curl(
            module, self.current_variables(), base_dir=base_dir, reveal=reveal, mask_secrets=mask_secrets
        )
        return command, () if reveal else tuple(shell for shell, _ in auth_references(module)[1])
