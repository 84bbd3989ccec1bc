"""The workbench screen: composes the panes and routes their messages.

Domain work (rendering, sending, judging, mapping, saving) is done by `tui.core`; this
screen only collects the module from its widgets, calls the core in a worker and hands
the outcome back down to the widgets.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from tui.app.dialogs import Confirm
from tui.app.recovery import RecoveryKeeper, offer
from tui.app.widgets.auth_editor import AuthEditor
from tui.app.widgets.body_editor import BodyEditor
from tui.app.widgets.composer import Composer
from tui.app.widgets.diff_view import DiffView
from tui.app.widgets.history_list import HistoryList, short_time
from tui.app.widgets.key_values import KeyValueEditor
from tui.app.widgets.lazy_parts import mounted, part
from tui.app.widgets.options_form import OptionsForm
from tui.app.widgets.placeholders import PlaceholdersPanel
from tui.app.widgets.profile_list import ProfileList
from tui.app.widgets.response_viewer import ResponseViewer
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.app.widgets.url_bar import UrlBar
from tui.core.catalogue import suggest_target
from tui.core.environments import (
    SAFE_METHODS,
    Environment,
    environment_names,
    load_environment,
    with_environment,
)
from tui.core.errors import HookbenchError
from tui.core.history import History
from tui.core.model import Module, Request, SetVariable
from tui.core.paths import parse_path
from tui.core.profile import Profile, file_stem_for, load_profile, save_profile
from tui.core.recorded import diff_with_previous, judge_recorded, read_response, record_cutoff
from tui.core.run import RunResult, judge, run_module
from tui.core.template import names_in
from tui.core.variables import Variables

if TYPE_CHECKING:
    from tui.app.widgets.flow_view import FlowView
    from tui.core.flows import StepResult
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
        self._clients = clients
        self._base_variables = variables
        self.environment = environment
        self.variables = variables.with_environment(environment)
        self.session_values: dict[str, str] = {}
        self.profile: Profile | None = None
        self.module = Module(request=Request(url="https://"))
        self.result: RunResult | None = None
        self._load_error: str | None = None
        self.shown_step: str | None = None  # the viewer shows a flow step of another module
        self._origin_profile: str | None = None  # the profile a history record came from
        self._note: str | None = None  # leads the status line: "recorded <time>, not sent"
        self._before: str | None = None  # the Diff tab compares with records older than this id
        if profile_path is not None:
            try:
                self.profile = load_profile(profile_path)
                self.module = self.profile.module
            except HookbenchError as exc:
                self._load_error = str(exc)
        self.saved_module = self.module
        self.composer = Composer(self.module.request, id="composer")
        self.history = History.for_profiles(folder)
        self._history_lock = threading.Lock()
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
        yield Footer()

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
        self.call_after_refresh(self._refresh_derived)
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
            and await self._may_leave("Recover?", "Recover")
        ):
            await offer(self, copy)

    @on(TabbedContent.TabActivated, "#response-tabs")
    async def _response_tab(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-flow":
            await self._show_flow()
        elif event.pane.id == "tab-diff":
            self._show_diff()

    async def _show_flow(self) -> None:
        """The Flow tab follows the current profile (a new module has no flow until saved)."""
        pane = self.query_one("#tab-flow", TabPane)
        from tui.app.widgets.flow_view import FlowView  # imported when the Flow tab is first opened

        views = pane.query(FlowView)
        if self.profile is None:
            await views.remove()
            self.query_one("#flow-empty").display = True
            return
        self.query_one("#flow-empty").display = False
        if views:
            views.first().reload(self.profile.path)
        else:
            await pane.mount(FlowView(self.profile.path, id="flow-view"))

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
        self.call_after_refresh(self._refresh_derived)

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
        self._origin_profile = None
        self._note = self._before = None
        self.viewer.clear()
        self.call_after_refresh(self._refresh_derived)
        if self.query_one("#response-tabs", TabbedContent).active == "tab-flow":
            await self._show_flow()

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

    async def _refresh_derived(self) -> None:
        try:
            module, readable = self.collect(), True
        except ValueError:  # e.g. a timeout being typed: keep showing the last good module
            module, readable = self.module, False
        await self._show_placeholders(module)
        self._show_live_values(module)
        unsaved = not readable or module != self.saved_module
        self._show_title(module, unsaved=unsaved)
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

    def _show_title(self, module: Module, *, unsaved: bool) -> None:
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
        await self._refresh_derived()

    @on(UrlBar.MethodChanged)
    async def _method(self) -> None:
        await self._refresh_derived()  # the composer has shown or hidden its Body tab

    @on(UrlBar.UrlChanged)
    def _url_edited(self) -> None:
        self.call_after_refresh(self._refresh_derived)

    @on(PlaceholdersPanel.ValueTyped)
    async def _typed(self, event: PlaceholdersPanel.ValueTyped) -> None:
        if event.value:
            self.session_values[event.name] = event.value
        else:
            self.session_values.pop(event.name, None)
        await self._refresh_derived()

    @on(ProfileList.Chosen)
    def _chosen(self, event: ProfileList.Chosen) -> None:
        self._open_chosen(event.path)

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _open_chosen(self, path: Path) -> None:
        if await self._may_leave(f"Open {path.stem}?", "Open") and await self.open_profile(path):
            copy = self.recovery.waiting()
            if copy is not None:
                await offer(self, copy)

    # --- importing curl ---------------------------------------------------------------------

    @on(UrlBar.CurlPasted)
    def _curl_pasted(self, event: UrlBar.CurlPasted) -> None:
        self._take_pasted_curl(event.text)

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _take_pasted_curl(self, text: str) -> None:
        """The pasted command becomes this module's request (rows, routes and name stay); its
        secrets go to the folder's .env at once, so the module can never be saved with them."""
        from tui.core.importers.curl import import_curl
        from tui.core.importers.report import secret_lines
        from tui.core.importers.writing import stash_secrets

        try:
            imported = import_curl(text, source_dir=self.folder)
        except HookbenchError as exc:
            self.notify(
                str(exc), title="Not a curl command hookbench can import", severity="error", timeout=10
            )
            return
        if not await self._may_leave("Replace its request with the pasted curl command?", "Replace"):
            return
        found = imported.profiles[0]
        stem = self.profile.path.stem if self.profile else found.path.stem
        try:
            module, written, values = await asyncio.to_thread(stash_secrets, found.module, self.folder, stem)
        except HookbenchError as exc:
            self.notify(str(exc), title="Not imported", severity="error", timeout=10)
            return
        self._add_env_values(values)
        base = self.saved_module
        name = base.name if self.profile else module.name
        await self.load_module(replace(base, name=name, request=module.request), self.profile)
        self.saved_module = base  # the pasted request is an unsaved edit
        report = [*found.notes, *imported.warnings, *secret_lines(written)]
        self.notify(
            "\n".join(report) or "Nothing was left out.", title="Imported the curl command", timeout=10
        )

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def action_import_curl(self) -> None:
        """Palette: paste a curl command; it is written as a new profile and opened."""
        from tui.app.dialogs import TextPrompt
        from tui.core.importers.curl import import_curl
        from tui.core.importers.report import format_report
        from tui.core.importers.writing import unused_paths, write_import
        from tui.core.variables import read_env_file

        text = await self.app.push_screen_wait(TextPrompt("Paste a curl command:", "Import"))
        if not text:
            return
        try:
            imported = unused_paths(import_curl(text, source_dir=self.folder), self.folder)
            written = await asyncio.to_thread(write_import, imported, self.folder)
            known = await asyncio.to_thread(read_env_file, written.dotenv) if written.dotenv else {}
        except HookbenchError as exc:
            self.notify(str(exc), title="Not imported", severity="error", timeout=10)
            return
        self._add_env_values({secret.name: known[secret.name] for secret in written.secrets})
        path = written.profiles[0]
        self.query_one(ProfileList).reload(select=path)
        self.notify(
            "\n".join([format_report(imported, written), *imported.warnings]), title="Imported", timeout=12
        )
        if await self._may_leave(f"Open {path.stem}?", "Open"):
            await self.open_profile(path)

    def _add_env_values(self, values: dict[str, str]) -> None:
        """Secrets an import just wrote to the .env: the app read that file at start."""
        if values:
            self.variables = replace(self.variables, env_file={**self.variables.env_file, **values})

    # --- sending ----------------------------------------------------------------------------

    @on(UrlBar.SendPressed)
    def action_send(self) -> None:
        try:
            module = with_environment(self.collect(), self.environment)
        except ValueError as exc:
            self.viewer.status.show_error(str(exc))
            return
        profile_path = self.profile.path if self.profile else None
        origin = None if profile_path else self._origin_profile or module.name
        environment = self.environment
        if environment is not None and environment.protected and module.request.method not in SAFE_METHODS:
            self._confirm_send(module, profile_path, origin)
            return
        self._before = record_cutoff(datetime.now(UTC))
        self._send(module, self.current_variables(), profile_path, origin)

    @work(exclusive=True, exit_on_error=False, group="confirm")
    async def _confirm_send(self, module: Module, profile_path: Path | None, origin: str | None) -> None:
        """A protected environment: anything but GET/HEAD is sent only when the person says so."""
        name = self.environment.name if self.environment else ""
        question = f"Environment {name!r} is protected. Send {module.request.method} {module.request.url}?"
        if await self.app.push_screen_wait(Confirm(question, "Send")):
            self._before = record_cutoff(datetime.now(UTC))
            self._send(module, self.current_variables(), profile_path, origin)
        else:
            self.viewer.status.show_idle("Not sent: the protected environment was not confirmed")

    @work(exclusive=True, exit_on_error=False, group="send")
    async def _send(
        self, module: Module, variables: Variables, profile_path: Path | None, origin: str | None
    ) -> None:
        """Run the module as it was when sent (the screen may load another one meanwhile)."""
        try:
            result = await run_module(
                module,
                variables,
                self._clients(),
                base_dir=profile_path.parent if profile_path else self.folder,
                on_rendered=self.viewer.status.show_sending,
                on_decoding=self.viewer.status.show_decoding,
            )
        except HookbenchError as exc:
            self.viewer.status.show_error(str(exc))
            return
        await self._show_result(result)
        self._record(module, result, profile_path, origin)

    # A description of our own: Textual's default is repr() of the arguments, and a result holds
    # the whole body (~0.5 s of the UI thread for a 4.5 MB response, at every send).
    @work(thread=True, exit_on_error=False, group="history", description="record the run")
    def _record(
        self, module: Module, result: RunResult, profile_path: Path | None, origin: str | None = None
    ) -> None:
        """Every send leaves a record (bodies as the module's log toggles allow)."""
        with self._history_lock:  # flow steps record from several threads; last_error is shared
            summary = self.history.record(module, result, profile_path=profile_path, profile=origin)
            problem = self.history.last_error if summary is None else None
        if problem:
            self.app.call_from_thread(self.notify, problem, title="Not recorded", severity="warning")
        self.app.call_from_thread(lambda: self.query_one(HistoryList).refresh_records())

    async def _show_result(
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
        if self.viewer.show_result(result, note) and (self.focused is None or self.focused.id == "url"):
            self.viewer.focus_tree()
        if self.query_one("#response-tabs", TabbedContent).active == "tab-diff":
            self._show_diff()

    def action_cancel(self) -> None:
        workers = [w for w in self.workers if w.group == "send" and w.is_running]
        if workers:
            self.workers.cancel_group(self, "send")
            self.viewer.show_cancelled()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker must not vanish silently, nor print a traceback over the screen."""
        if event.state == WorkerState.ERROR:
            self.notify(
                f"{type(event.worker.error).__name__}: {event.worker.error}",
                title="Unexpected error",
                severity="error",
                timeout=15,
            )

    # --- flows ----------------------------------------------------------------------------------

    def on_flow_view_run_requested(self, event: FlowView.RunRequested) -> None:
        self._run_flow(event.view)

    @work(exclusive=True, exit_on_error=False, group="send")
    async def _run_flow(self, view: FlowView) -> None:
        """Run the saved profiles along their routes; unsaved edits are saved first, or not run."""
        if not await self._may_leave("The flow runs the saved files: save first?", "Run"):
            view.show_error("not run")
            return
        view.reload()  # the files may just have been saved
        if view.graph is None:
            return
        view.show_running()
        self._before = record_cutoff(datetime.now(UTC))
        from tui.core.flows import run_flow

        def on_step(step: StepResult) -> None:
            view.show_step(step)
            self._record(step.module, step.result, step.path)

        try:
            result = await run_flow(view.graph, self.current_variables(), self._clients(), on_step=on_step)
        except HookbenchError as exc:
            view.show_error(str(exc))
            return
        except asyncio.CancelledError:  # Esc, a send, or a new run
            view.show_error("cancelled")
            raise
        view.show_result(result)
        await self._show_result(result.last.result, step=result.last.stem)

    async def on_flow_view_step_selected(self, event: FlowView.StepSelected) -> None:
        await self._show_result(event.step.result, step=event.step.stem)
        self.notify(f"Showing step {event.step_index + 1}: {event.step.stem}", timeout=3)

    # --- history ----------------------------------------------------------------------------

    @on(HistoryList.Opened)
    def _history_opened(self, event: HistoryList.Opened) -> None:
        self._open_record(event.record_id, replay=False)

    @on(HistoryList.ReplayRequested)
    def _history_replay(self, event: HistoryList.ReplayRequested) -> None:
        self._open_record(event.record_id, replay=True)

    @work(exclusive=True, exit_on_error=False, group="switch")
    async def _open_record(self, record_id: str, *, replay: bool) -> None:
        """Load a record into the composer (Enter), or load and send it again (r)."""
        try:
            load = self.history.load_for_replay if replay else self.history.load
            module = await asyncio.to_thread(load, record_id)
            origin = await asyncio.to_thread(lambda: str(self.history.read(record_id).get("profile") or ""))
        except HookbenchError as exc:
            self.notify(
                str(exc),
                title="Cannot replay" if replay else "Cannot open record",
                severity="error",
                timeout=10,
            )
            return
        if not await self._may_leave("Replace it with the history record?", "Replace"):
            return
        await self.load_module(module, None)
        self._origin_profile = origin or None
        if replay:
            self.action_send()
        else:
            self.notify(f"Loaded {record_id} into the composer (not sent). ctrl+r sends it.", timeout=5)

    @on(HistoryList.MapRequested)
    def _history_map(self, event: HistoryList.MapRequested) -> None:
        self.map_against(event.record_id)

    def action_map_against(self) -> None:
        """The palette's "Map against this response": the record highlighted in the History pane."""
        record_id = self.query_one(HistoryList).highlighted_id
        if record_id is None:
            self.notify("Highlight a record in the History pane first (ctrl+b shows it).", severity="warning")
            return
        self.map_against(record_id)

    @work(exclusive=True, exit_on_error=False, group="send")
    async def map_against(self, record_id: str) -> None:
        """Show a recorded response and judge the current module against it; nothing is sent.

        Clicking nodes then adds rows to the current module, judged live against this response.
        """
        try:
            module = self.collect()
            recorded = await asyncio.to_thread(read_response, self.history, record_id)
        except (HookbenchError, ValueError) as exc:
            self.notify(str(exc), title="Cannot map against this record", severity="error", timeout=10)
            return
        result = await asyncio.to_thread(judge_recorded, module, recorded)
        self._before = recorded.id
        await self._show_result(result, note=f"recorded {short_time(recorded.time)}, not sent")

    # --- the Diff tab ---------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="diff")
    async def _show_diff(self) -> None:
        """The response shown against the previous one of the same profile (in a thread)."""
        view = self.query_one(DiffView)
        result, profile = self.result, self._diff_profile()
        body = result.body if result is not None else None
        if self.shown_step:
            view.show_message(f"This response is from the flow step {self.shown_step}: open that profile.")
            return
        if result is None or body is None or not body.parsed or self._before is None:
            view.show_message("No JSON or XML response to compare yet: ctrl+r sends.")
            return
        if profile is None:
            view.show_message("Save this module: the Diff compares responses of one profile.")
            return
        rows = mounted(self, SetVariablesPanel)
        before = self._before
        try:
            diff, previous = await asyncio.to_thread(
                diff_with_previous,
                self.history,
                profile,
                before,
                body,
                rows.rows if rows is not None else self.module.set_variables,
            )
        except HookbenchError as exc:
            view.show_message(str(exc))
            return
        if self.result is result:
            view.show_diff(diff, f"{previous.id} (recorded {short_time(previous.time)})")

    def _diff_profile(self) -> str | None:
        return self.profile.path.stem if self.profile else self._origin_profile

    @on(HistoryList.SaveAsRequested)
    def _history_save_as(self, event: HistoryList.SaveAsRequested) -> None:
        self._save_record_as(event.record_id)

    @work(exclusive=True, exit_on_error=False, group="save")
    async def _save_record_as(self, record_id: str) -> None:
        from tui.app.dialogs import NamePrompt

        name = await self.app.push_screen_wait(NamePrompt("Save this record as a profile named:"))
        if not name:
            return
        try:
            path = await asyncio.to_thread(self.history.save_as_profile, record_id, self.folder, name)
        except HookbenchError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10)
            return
        self.query_one(ProfileList).reload(select=path)
        self.notify(
            f"Saved {path}. Masked secrets stay masked: type them again or use {{{{env.NAME}}}}.",
            title="Saved",
            timeout=8,
        )

    # --- the tree: click to path ---------------------------------------------------------

    @on(ResponseViewer.RowRequested)
    async def _row_requested(self, event: ResponseViewer.RowRequested) -> None:
        await self._add_row(event.path)

    async def _add_row(self, path: str) -> None:
        if self.shown_step:
            self.notify(
                f"This response is from the flow step {self.shown_step}: open that profile to map it.",
                severity="warning",
            )
            return
        if not path:
            self.notify("The root is the whole response: pick a value inside it.", severity="warning")
            return
        segments = parse_path(path)
        key = next((s.text for s in reversed(segments) if not s.text.isdigit() or s.quoted), "value")
        panel = await part(self, SetVariablesPanel)
        existing = next((row for row in panel.rows if row.name == path), None)
        if existing is not None:
            self.notify(f"{path} is mapped already, to {{{{{existing.publishes}}}}}.", severity="warning")
            return
        taken = {row.target for row in panel.rows}
        target = suggest_target(key)
        base, n = target, 2
        while target in taken:
            target, n = f"{base}_{n}", n + 1
        panel.add_row(SetVariable(name=path, type="variable", target=target))
        await self._refresh_derived()
        self.notify(f"Added Set Variables row: {path} → {{{{{target}}}}}", title="Mapped")

    # --- saving ------------------------------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="import")
    async def import_file(self, kind: str) -> None:
        """Ask for a Postman collection (and environments) or an OpenAPI document, import it into
        the profiles folder, refresh the profiles pane and show the report."""
        import shlex

        from tui.app.dialogs import ImportReport, NamePrompt
        from tui.core.importers.saving import import_openapi_file, import_postman_files

        title = {
            "postman": "Postman collection to import (then its environment files, if any):",
            "openapi": "OpenAPI document to import (JSON or YAML):",
        }[kind]
        answer = await self.app.push_screen_wait(
            NamePrompt(title, ok="Import", placeholder="path/to/file.json", needed="A file is needed.")
        )
        if not answer:
            return
        try:
            paths = [Path(word).expanduser() for word in shlex.split(answer)]
            if kind == "postman":
                imported, report = await asyncio.to_thread(
                    import_postman_files, paths[0], paths[1:], self.folder
                )
            else:
                imported, report = await asyncio.to_thread(import_openapi_file, paths[0], self.folder)
        except (HookbenchError, OSError, ValueError, IndexError) as exc:
            self.notify(str(exc), title="Not imported", severity="error", timeout=10)
            return
        self.query_one(ProfileList).reload()
        skipped = f", {len(imported.skipped)} skipped" if imported.skipped else ""
        self.app.push_screen(ImportReport(f"Imported {len(imported.profiles)} profiles{skipped}", report))

    def action_save(self) -> None:
        self.save_then(None)

    @work(exclusive=True, exit_on_error=False, group="save")
    async def save_then(self, after: Callable[[], object] | None) -> None:
        """Save (asking for a name if the module is new), then run `after` if it worked."""
        if await self._save_now() and after is not None:
            after()

    async def _save_now(self) -> bool:
        """Save the module; False when it was not saved (cancelled, invalid, disk trouble)."""
        try:
            module = self.collect()
        except ValueError as exc:
            self.notify(str(exc), title="Not saved", severity="error")
            return False
        path = self.profile.path if self.profile else None
        document = self.profile.document if self.profile else None
        if path is None:
            from tui.app.dialogs import NamePrompt

            name = await self.app.push_screen_wait(NamePrompt("Save this module as:"))
            if not name:
                return False
            path = self.folder / f"{file_stem_for(name)}.toml"
            if path.exists():
                self.notify(
                    f"{path} exists already; choose another name.", title="Not saved", severity="error"
                )
                return False
            module = replace(module, name=name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            document = await asyncio.to_thread(save_profile, path, module, document)
        except (HookbenchError, OSError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10)
            return False
        self.profile = Profile(path=path, module=module, _document=document)
        self.module = self.saved_module = module
        self.recovery.discard()
        self.query_one(ProfileList).reload(select=path)
        self._show_title(module, unsaved=False)
        if self.query_one("#response-tabs", TabbedContent).active == "tab-flow":
            await self._show_flow()
        self.notify(f"Saved {path}", title="Saved")
        return True

    async def _may_leave(self, question: str, proceed: str) -> bool:
        """Before replacing the module: ask what to do with unsaved changes (in a worker)."""
        if not self.dirty:
            return True
        from tui.app.dialogs import UnsavedChanges

        choice = await self.app.push_screen_wait(UnsavedChanges(question, proceed))
        if choice == "save":
            return await self._save_now()
        return choice == "proceed"

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

    def curl_command(self, *, reveal: bool = False, mask_secrets: bool = False) -> str:
        """The current request as `hookbench export curl` writes it; raises HookbenchError/ValueError."""
        from tui.core.curl import export_curl

        base_dir = self.profile.path.parent if self.profile else self.folder
        return export_curl(
            with_environment(self.collect(), self.environment),
            self.current_variables(),
            base_dir=base_dir,
            reveal=reveal,
            mask_secrets=mask_secrets,
        )
