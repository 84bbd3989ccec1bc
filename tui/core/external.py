"""Hand a text to the person's own terminal program — `$PAGER`, `$EDITOR` — and take it back.

Over SSH this is how people read a big body (`less`, `jless`, `fx`) and edit one (`vim`).
The text goes into a file in a private temporary folder (named for its kind, so the program
can tell JSON from XML), the program gets the file as its last argument, and the folder is
removed afterwards. How the program is run is the caller's: the app hands it the terminal
(`run`), a test or a script just runs it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from tui.core.errors import ProgramError

__all__ = [
    "DEFAULT_EDITOR",
    "DEFAULT_PAGER",
    "edit_text",
    "editor_command",
    "page_text",
    "pager_command",
    "run_program",
]

DEFAULT_PAGER = "less"
DEFAULT_EDITOR = "vi"

Runner = Callable[[list[str]], None]


def run_program(argv: list[str]) -> None:
    """Run `argv` on this terminal and wait; ProgramError when it is missing or fails."""
    name = argv[0]
    try:
        completed = subprocess.run(argv, check=False)
    except FileNotFoundError:
        raise ProgramError(f"{name!r} was not found (is it installed, and on PATH?)") from None
    except OSError as exc:
        raise ProgramError(f"{name!r} cannot be run: {exc.strerror or exc}") from exc
    if completed.returncode != 0:
        raise ProgramError(f"{name!r} exited with status {completed.returncode}")


def _command(names: tuple[str, ...], default: str, environ: Mapping[str, str]) -> list[str]:
    """The first of the variables `names` that is set (split as a shell would), else `default`."""
    for name in names:
        value = environ.get(name, "").strip()
        if not value:
            continue
        try:
            argv = shlex.split(value)
        except ValueError as exc:
            raise ProgramError(f"${name} cannot be read ({exc}): {value!r}") from None
        if argv:
            return argv
    return [default]


def pager_command(environ: Mapping[str, str] = os.environ) -> list[str]:
    """`$PAGER` (with its options), else `less`."""
    return _command(("PAGER",), DEFAULT_PAGER, environ)


def editor_command(environ: Mapping[str, str] = os.environ) -> list[str]:
    """`$VISUAL`, else `$EDITOR` (with their options), else `vi` — as git and crontab choose."""
    return _command(("VISUAL", "EDITOR"), DEFAULT_EDITOR, environ)


def page_text(
    text: str, *, suffix: str, run: Runner = run_program, environ: Mapping[str, str] = os.environ
) -> None:
    """Show `text` in the pager."""
    argv = pager_command(environ)
    with tempfile.TemporaryDirectory(prefix="hookbench-") as folder:
        path = Path(folder) / f"response{suffix}"
        path.write_text(text, encoding="utf-8")
        run([*argv, str(path)])


def edit_text(
    text: str, *, suffix: str, run: Runner = run_program, environ: Mapping[str, str] = os.environ
) -> str:
    """`text` as the person left it in their editor. A failing editor changes nothing (ProgramError).

    Editors end the last line with a newline; when `text` had none, that one is taken off again.
    """
    argv = editor_command(environ)
    with tempfile.TemporaryDirectory(prefix="hookbench-") as folder:
        path = Path(folder) / f"body{suffix}"
        path.write_text(text, encoding="utf-8")
        run([*argv, str(path)])
        try:
            edited = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ProgramError(
                f"the edited body is not UTF-8 (byte {exc.start}); the body is unchanged"
            ) from None
        except OSError as exc:
            raise ProgramError(f"the edited body cannot be read back: {exc.strerror or exc}") from exc
    if edited.endswith("\n") and not text.endswith("\n"):
        edited = edited[:-1]
    return edited
