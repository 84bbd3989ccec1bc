"""Recovery copies in the app: written while the workbench has unsaved edits, offered back on open.

`RecoveryKeeper` writes the module to its copy (`tui.core.recovery`) at most half a second
after an edit (one pending write at a time, so steady typing still writes twice a second),
deletes it when the module is saved, reverted or given up, and writes at once when the process
must stop (SIGHUP, SIGTERM, a crash). `RecoverPrompt` asks whether to take a copy back.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Label

from tui.app.safe import safe
from tui.core.errors import HookbenchError
from tui.core.model import Module, Request
from tui.core.profile import load_profile
from tui.core.recovery import RecoveryCopy, RecoveryStore

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any

DELAY = 0.5  # seconds from an edit to its copy on disk


class RecoveryKeeper:
    """Keeps one workbench's unsaved module in a recovery copy."""

    def __init__(self, screen: Workbench, folder: Path) -> None:
        self.screen = screen
        self.store = RecoveryStore(folder)
        self.session = uuid.uuid4().hex[:12]
        self.written: Path | None = None  # the copy this session wrote last
        self._timer: Timer | None = None

    def edited(self, unsaved: bool) -> None:
        """After each edit: schedule a write (or drop the copy when nothing is unsaved any more)."""
        if not unsaved:
            self.discard()
        elif self._timer is None:
            self._timer = self.screen.set_timer(DELAY, self.flush)

    def flush(self) -> Path | None:
        """Write the copy now if the module has unsaved edits; the copy's path, or None."""
        self._cancel()
        screen = self.screen
        try:
            module = screen.collect()
        except ValueError:  # a field being typed (a timeout of "1."): the last copy stands
            return self.written
        if module == screen.saved_module:
            self.discard()
            return None
        profile = screen.profile
        path = self.store.path_for(profile.path if profile else None, self.session)
        try:
            self.store.write(
                path,
                module,
                profile=profile.path if profile else None,
                document=profile.document if profile else None,
            )
        except OSError as exc:
            screen.notify(f"Cannot keep a recovery copy: {exc}", severity="warning", timeout=8)
            return self.written
        if self.written is not None and self.written != path:
            self.store.discard(self.written)  # the module was saved under a name meanwhile
        self.written = path
        return path

    def discard(self) -> None:
        """Saved, reverted or given up: no copy is needed."""
        self._cancel()
        if self.written is not None:
            self.store.discard(self.written)
            self.written = None

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def waiting(self) -> RecoveryCopy | None:
        """A copy left by an earlier session for what the workbench opened with.

        A profile: its own copy. A folder: its newest copy of any module.
        """
        profile = self.screen.profile
        if profile is not None:
            return self.store.for_profile(profile.path)
        copies = [copy for copy in self.store.all() if copy.path != self.written]
        return copies[0] if copies else None


class RecoverPrompt(ModalScreen[bool | None]):
    """ "Recover unsaved changes from <time>?": True Recover (the default), False Discard, None later."""

    BINDINGS = [Binding("escape", "later", "Decide later")]
    AUTO_FOCUS = "#recover-yes"

    def __init__(self, copy: RecoveryCopy) -> None:
        super().__init__()
        self.copy = copy

    def compose(self) -> ComposeResult:
        copy = self.copy
        what = f"profile {copy.profile.name}" if copy.profile else f"new module {copy.name!r}, never saved"
        with Vertical(id="prompt"):
            yield Label(f"Recover unsaved changes from {copy.local_time()}?")
            yield Label(safe(f"Unsaved edits to the {what} were kept in {copy.path}."))
            with Horizontal(classes="buttons"):
                yield Button("Recover", variant="primary", id="recover-yes")
                yield Button("Discard", variant="error", id="recover-no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "recover-yes")

    def action_later(self) -> None:
        self.dismiss(None)


async def offer(screen: Workbench, copy: RecoveryCopy) -> None:
    """Ask about `copy`: Recover loads it as unsaved edits, Discard deletes it (call in a worker)."""
    choice = await screen.app.push_screen_wait(RecoverPrompt(copy))
    if choice is False:
        screen.recovery.store.discard(copy.path)
    elif choice is True:
        await recover(screen, copy)


async def recover(screen: Workbench, copy: RecoveryCopy) -> None:
    """Load the copy's module over its profile (or as a new module), unsaved; the copy carries on."""
    try:
        module = copy.load()
    except HookbenchError as exc:
        screen.notify(str(exc), title="Cannot recover", severity="error", timeout=10)
        return
    profile = None
    if copy.profile is not None:
        try:
            profile = load_profile(copy.profile)
        except HookbenchError as exc:
            screen.notify(f"{exc}: recovered as a new module.", title="Profile gone", severity="warning")
    await screen.load_module(
        module, profile, saved=profile.module if profile else Module(request=Request(url="https://"))
    )
    screen.recovery.written = copy.path  # replaced by (or rewritten as) this session's copy
    screen.recovery.edited(unsaved=True)
    screen.notify(f"Recovered unsaved changes from {copy.local_time()}: ctrl+s saves them.", timeout=6)
