"""The person's own pager and editor: the response in `$PAGER`, the request body in `$EDITOR`.

The app is suspended while the program runs, so the program has the terminal (over SSH this
is how people read a big body with `less`, `jless` or `fx`), and redraws itself after. The
edited body comes back into the composer as an edit, not saved. A missing or failing program
is a notification; nothing is lost.
"""

from __future__ import annotations

import asyncio
from functools import partial

from textual.app import App, SuspendNotSupported

from tui.app.widgets.composer import Composer
from tui.core.errors import HookbenchError
from tui.core.external import edit_text, page_text, run_program
from tui.core.model import BODY_METHODS
from tui.core.responses import BINARY, EMPTY, JSON, XML, DecodedBody, pretty_text

_SUFFIXES = {JSON: ".json", XML: ".xml"}


def in_terminal(app: App[object], argv: list[str]) -> None:
    """Run `argv` as the terminal's program; the app redraws itself when it exits.

    Where the app cannot let go of the terminal (headless, as under `run_test`, or Textual
    Web) the program still runs, only without the terminal: so tests run the real thing.
    """
    try:
        with app.suspend():
            run_program(argv)
            return
    except SuspendNotSupported:
        pass
    run_program(argv)


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
    """The request body in `$VISUAL` / `$EDITOR` (default `vi`); what is saved there comes back."""
    method = composer.url_bar.method
    if method not in BODY_METHODS:
        app.notify(f"{method} sends no body: choose POST, PUT or PATCH to write one.", severity="warning")
        return
    editor = await composer.body_editor()
    if editor.content_type not in ("json", "xml"):
        app.notify(
            f"A {editor.content_type} body is fields: edit them in the Body tab ($EDITOR edits JSON and XML).",
            severity="warning",
        )
        return
    before = editor.text
    try:
        edited = edit_text(before, suffix=f".{editor.content_type}", run=partial(in_terminal, app))
    except HookbenchError as exc:
        app.notify(f"{exc}. The body is unchanged.", title="Editor ($EDITOR)", severity="error", timeout=10)
        return
    composer.show_body()
    if edited == before:
        app.notify("The body is unchanged.", title="Editor")
        return
    editor.replace_text(edited)
    app.notify("Body edited (not saved yet: ctrl+s saves, ctrl+z in the body undoes).", title="Editor")
