"""The person's own pager and editor: the response in `$PAGER`, the request body in `$EDITOR`.

The app is suspended while the program runs, so the program has the terminal (over SSH this
is how people read a big body with `less`, `jless` or `fx`), and redraws itself after. The
edited body comes back into the composer as an edit, not saved. A missing or failing program
is a notification; nothing is lost.
"""

from __future__ import annotations

import asyncio
import mimetypes
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from textual.app import App, SuspendNotSupported

from tui.app.widgets.composer import Composer
from tui.core.errors import HookbenchError
from tui.core.external import edit_text, page_text, run_program
from tui.core.model import BODY_METHODS, FIELD_BODIES
from tui.core.responses import BINARY, EMPTY, JSON, XML, DecodedBody, pretty_text

_SUFFIXES = {JSON: ".json", XML: ".xml"}
# Text bodies whose type Python's `mimetypes` does not know (or knows a rarer ending for).
_TEXT_SUFFIXES = {
    "text/plain": ".txt",
    "application/x-ndjson": ".ndjson",
    "application/ndjson": ".ndjson",
    "application/jsonl": ".jsonl",
    "application/x-jsonlines": ".jsonl",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
}


def in_terminal(app: App[object], argv: list[str]) -> None:
    """Run `argv` as the terminal's program; the app redraws itself when it exits.

    Nothing may raise inside `app.suspend()`: Textual would never resume (its `App.suspend`
    bug in `tui.app.upstream`), so a failure is kept and raised once the app has the terminal back.
    A program that is not there fails before the app lets go of the terminal at all.
    Where the app cannot let go of the terminal (headless, as under `run_test`, or Textual
    Web) the program still runs, only without the terminal: so tests run the real thing.
    """
    if shutil.which(argv[0]) is None:  # not there: run_program says why (not found, not executable)
        run_program(argv)
        return
    failure: BaseException | None = None
    try:
        with _interrupts_to_the_program(), app.suspend():
            try:
                run_program(argv)
            except BaseException as exc:  # whatever it is, the app resumes first
                failure = exc
    except SuspendNotSupported:
        run_program(argv)
    if failure is not None:
        raise failure


@contextmanager
def _interrupts_to_the_program() -> Iterator[None]:
    """ctrl+c and ctrl+\\ while the program runs are the program's (`less` stops a search).

    The terminal signals its whole foreground group, the app too: a KeyboardInterrupt there
    would end the app. The app's handler does nothing instead; the program, started after
    it is set, gets the default handlers back when it starts (git does the same while its editor runs).
    """
    previous = {number: signal.signal(number, _ignored) for number in (signal.SIGINT, signal.SIGQUIT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _ignored(number: int, frame: object) -> None:
    """A signal meant for the program in the foreground."""


async def page_response(app: App[object], body: DecodedBody | None) -> None:
    """The response body, formatted as the Raw tab shows it, in `$PAGER` (default `less`)."""
    if body is None or body.kind == EMPTY:
        app.notify("No response body to page: send first (ctrl+r).", severity="warning")
        return
    if body.kind == BINARY:
        app.notify("The body is binary: a pager would only show noise.", severity="warning")
        return
    text = await asyncio.to_thread(pretty_text, body)  # seconds for 50 MB: not on the UI thread
    try:
        page_text(text, suffix=_SUFFIXES.get(body.kind, ".txt"), run=partial(in_terminal, app))
    except HookbenchError as exc:
        app.notify(str(exc), title="Pager ($PAGER)", severity="error", timeout=10)


async def edit_body(app: App[object], composer: Composer) -> None:
    """The request body in `$VISUAL` / `$EDITOR` (default `vi`); what is saved there comes back.

    JSON, XML and text bodies are edited whole, a graphql body's query alone (its variables stay
    in the Body tab); fields and a file path are no text to edit.
    """
    method = composer.url_bar.method
    if method not in BODY_METHODS:
        app.notify(f"{method} sends no body: choose POST, PUT or PATCH to write one.", severity="warning")
        return
    editor = await composer.body_editor()
    kind = editor.content_type
    if kind in FIELD_BODIES:
        app.notify(f"A {kind} body is fields: edit them in the Body tab.", severity="warning")
        return
    if kind == "file":
        app.notify("A file body is a path: edit it in the Body tab, or the file itself.", severity="warning")
        return
    suffix = _text_suffix(composer.headers.pairs) if kind == "text" else f".{kind}"
    before = editor.text
    try:
        edited = edit_text(before, suffix=suffix, run=partial(in_terminal, app))
    except HookbenchError as exc:
        app.notify(f"{exc}. The body is unchanged.", title="Editor ($EDITOR)", severity="error", timeout=10)
        return
    composer.show_body()
    if edited == before:
        app.notify("The body is unchanged.", title="Editor")
        return
    editor.replace_text(edited)
    app.notify("Body edited (not saved yet: ctrl+s saves, ctrl+z in the body undoes).", title="Editor")


def _text_suffix(headers: tuple[tuple[str, str], ...]) -> str:
    """A text body's file ending, from the Content-Type it is sent with, so the editor knows it."""
    value = next((v for name, v in headers if name.strip().lower() == "content-type"), "")
    media_type = value.split(";", 1)[0].strip().lower()
    return _TEXT_SUFFIXES.get(media_type) or mimetypes.guess_extension(media_type) or ".txt"
