"""The Textual application: owns the HTTP clients and the clipboard, hosts the workbench."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
from collections import deque
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from tui.app import upstream
from tui.app.dialogs import UnsavedChanges
from tui.app.safety_net import INPUTS_KEPT, describe_input, exit_line, versions
from tui.app.workbench import Workbench
from tui.core.bulk import input_arrived
from tui.core.environments import environment_names
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_text
from tui.core.variables import Variables

if TYPE_CHECKING:
    from tui.core.environments import Environment
    from tui.core.send import Clients


def _warm_up_http() -> None:
    """Import httpx in a thread after the first frame, so the first send does not pay for it."""
    import tui.core.send  # noqa: F401


class HookbenchApp(App[None]):
    """hookbench: compose, send, map, save — over SSH as well as locally."""

    CSS_PATH = Path(__file__).with_name("hookbench.tcss")
    TITLE = "hookbench"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit", priority=True)]

    def __init__(
        self,
        folder: Path,
        *,
        profile_path: Path | None = None,
        variables: Variables | None = None,
        environment: Environment | None = None,
    ) -> None:
        upstream.install()  # before any screen exists: Textual bugs hookbench defends against
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # A tab's underline slides for 0.3 s after a 20 ms timer and a refresh, so the
            # screen would answer f3/f4 in no less than ~0.35 s; over SSH every frame of a
            # slide or a smooth scroll also costs bandwidth. Off unless asked for.
            self.animation_level = "none"
        self.folder = folder
        self.profile_path = profile_path
        self.variables = variables or Variables()
        self.environment = environment
        self._clients: Clients | None = None
        self._inputs: deque[str] = deque(maxlen=INPUTS_KEPT)  # for a crash report
        # The safety net's one line, which `tui.commands.app.run_app` prints.
        self.exit_message: str | None = None

    def get_default_screen(self) -> Screen[None]:
        """The workbench is the app's first screen (no blank screen drawn before it)."""
        return Workbench(
            self.folder,
            self.variables,
            lambda: self.clients,
            profile_path=self.profile_path,
            environment=self.environment,
        )

    def on_mount(self) -> None:
        # After the first screen is drawn: an import in a thread still holds the GIL.
        self.set_timer(0.5, lambda: self.run_worker(_warm_up_http, thread=True, exit_on_error=False))
        if not self.is_headless:  # a dropped SSH link (SIGHUP) or a kill: restore the terminal, keep the copy
            loop = asyncio.get_running_loop()
            for number in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(number, self._stop_on_signal, number)

    def _stop_on_signal(self, number: int) -> None:
        self._keep_copy()
        self.exit(return_code=128 + number)

    def _keep_copy(self) -> Path | None:
        """Write the pending recovery copy now; its path (None: nothing unsaved, or no workbench)."""
        try:
            return self.workbench.recovery.flush()
        except Exception:  # noqa: BLE001 - stopping anyway: the last copy written stands
            return None

    async def on_event(self, event: events.Event) -> None:
        described = describe_input(event)
        if described is not None:
            self._inputs.append(described)
            input_arrived()  # a decode or a Raw formatting in a thread pauses: the screen answers first
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """The safety net (overrides Textual's): a crash report, the recovery copy, one line on exit.

        Textual's own handler prints a traceback with local variables, which may hold secrets.
        """
        if self._exception is not None:  # a second error while stopping: the first one is reported
            self._return_code = 1
            self._close_messages_no_wait()
            return
        from tui.core.crash import module_secrets, write_crash_report

        copy = self._keep_copy()
        report: Path | None = None
        problem = ""
        try:
            secrets = module_secrets(self.workbench.collect())
        except Exception:  # noqa: BLE001 - the widgets may be what broke
            secrets = set()
        try:
            report = write_crash_report(error, versions=versions(), inputs=self._inputs, secrets=secrets)
        except OSError as exc:
            problem = f" (and the crash report could not be written: {exc})"
        self._return_code = 1
        self._exception = error  # Pilot (run_test) re-raises it for the tests
        self._exception_event.set()
        self.exit_message = exit_line(report, copy, problem)  # printed once the terminal is restored
        self.bell()
        self._close_messages_no_wait()

    @property
    def clients(self) -> Clients:
        """The app's long-lived HTTP clients, created on first send."""
        if self._clients is None:
            from tui.core.send import Clients

            self._clients = Clients()
        return self._clients

    async def on_unmount(self) -> None:
        if self._clients is not None:
            await self._clients.aclose()

    @property
    def workbench(self) -> Workbench:
        return next(s for s in self.screen_stack if isinstance(s, Workbench))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, and the workbench's when the palette was opened over it: over a
        dialog, a workbench command would stack its own dialog and leave that one unanswerable."""
        yield from super().get_system_commands(screen)
        if screen is not self.workbench:
            return
        yield SystemCommand(
            "Copy as curl",
            'Copy the current request as a curl command ({{env.NAME}} as "$NAME")',
            self.action_copy_curl,
        )
        yield SystemCommand(
            "Copy as curl with secrets",
            "The same, with {{env.*}} values and auth credentials written out",
            lambda: self.action_copy_curl(reveal=True),
        )
        yield SystemCommand(
            "Map against this response",
            "Show the response of the record highlighted in History (not sent) and map the current module against it",
            self.workbench.action_map_against,
        )
        yield SystemCommand(
            "Open response in pager", "The body, formatted, in $PAGER (f6)", self.workbench.action_pager
        )
        yield SystemCommand(
            "Edit body in editor", "The request body in $EDITOR (f7)", self.workbench.action_edit_body
        )
        yield SystemCommand(
            "Import Postman collection",
            "A collection (v2.0/v2.1) and its environments into the profiles folder",
            lambda: self.workbench.import_file("postman"),
        )
        yield SystemCommand(
            "Import OpenAPI document",
            "One profile per operation of an OpenAPI 3.0/3.1 document (JSON or YAML)",
            lambda: self.workbench.import_file("openapi"),
        )
        yield SystemCommand(
            "Import curl",
            "Paste a curl command: it becomes a profile in the profiles folder (secrets to .env)",
            self.workbench.action_import_curl,
        )
        for name in [None, *environment_names(self.folder)]:
            yield SystemCommand(
                f"Environment: {name or 'none'}",
                "Switch the active environment (f8 cycles)",
                partial(self.workbench.switch_environment, name),
            )
        yield SystemCommand("Help", "Keys and dot-path notation", self.workbench.action_help)

    def action_copy_curl(self, reveal: bool = False) -> None:
        try:
            command, _ = self.workbench.curl_command(reveal=reveal)
            shown, references = self.workbench.curl_command(mask_secrets=True)
        except (HookbenchError, ValueError) as exc:
            self.notify(str(exc), title="Cannot build curl command", severity="error")
            return
        self.copy_to_clipboard(command)
        if not reveal:
            if references:
                names = ", ".join(f"${name}" for name in references)
                shown += f"\n\nIt reads the literal auth credentials from {names}: set them first."
            self.notify(shown, title="Copied as curl", timeout=8)
        else:  # never put credentials on screen
            self.notify(
                f"{len(command)} characters, credentials in clear", title="Copied as curl with secrets"
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Messages carry response keys, URLs, file names and server text: never markup, never raw.

        Control characters are shown as `\\u001b` escapes (`tui.core.safe_text`).
        """
        super().notify(
            safe_text(message),
            title=safe_text(title, single_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52, wrapped for tmux passthrough when running inside tmux."""
        if not os.environ.get("TMUX") or self._driver is None:
            super().copy_to_clipboard(text)
            return
        self._clipboard = text
        sequence = f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"
        self._driver.write("\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\")

    async def action_quit(self) -> None:
        workbench = self.workbench
        if not workbench.dirty:
            self.exit()
            return

        def decided(choice: str | None) -> None:
            if choice == "proceed":
                workbench.recovery.discard()
                self.exit()
            elif choice == "save":
                workbench.save_then(self.exit)

        self.push_screen(UnsavedChanges("Quit hookbench?", "Quit"), decided)
