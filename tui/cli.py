"""The `hookbench` command: builds the parser from `tui/commands/` and dispatches.

Each command lives in its own module there, with `register(subparsers)` and `run(args) -> int`.
Headless commands must start fast over SSH, so registering imports nothing heavy and nothing
of Textual; the app is imported only by the commands that open it. Data goes to stdout,
diagnostics to stderr, and errors become exit codes here, in one place: 0 success route,
1 failure route, 2 usage, profile, template or send errors, 3 drift (`diff`, `check`),
130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import NoReturn

from tui.commands import app
from tui.commands.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_SUCCESS
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_message

COMMANDS: dict[str, str] = {
    "run": "run",
    "paths": "paths",
    "sandbox": "sandbox",
    "demo": "demo",
    "open": "open_",
    "flow": "flow",
    "history": "history",
    "diff": "diff",
    "check": "check",
    "import": "import_",
    "export": "export",
}
"""Each subcommand's module in `tui.commands`, in the order `--help` lists them."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `command`, only that subcommand's options are built (argparse makes a
    help formatter for every option it adds: all of them cost a plain `run` ~15 ms)."""
    parser = argparse.ArgumentParser(
        prog="hookbench",
        description="A terminal workbench for webhook modules. Without a command, opens the workbench.",
    )
    parser.add_argument(
        "--profiles",
        type=Path,
        default=None,
        help="profiles folder for the workbench (default ./profiles)",
    )
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="environment for the workbench: environments/NAME.toml in the profiles folder"
        " (default $HOOKBENCH_ENV)",
    )
    parser.set_defaults(handler=app.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for module in dict.fromkeys(modules):  # only the named command's module is imported
        import_module(f"tui.commands.{module}").register(commands)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names, when it is plainly one (else None: build them all)."""
    words = iter(argv)
    for word in words:
        if word in ("--profiles", "--env"):
            next(words, None)
        elif not word.startswith(("--profiles=", "--env=")):
            return word if word in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `hookbench` command line; returns the exit code."""
    args = build_parser(_command_in(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    try:
        return int(args.handler(args))
    except HookbenchError as exc:
        print(f"hookbench: error: {safe_message(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()  # `hookbench paths big.json | head` is not an error
        return EXIT_SUCCESS
    except KeyboardInterrupt:
        print("hookbench: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def console() -> NoReturn:
    """The console script and `python -m tui`: `main`, then exit without the interpreter's
    last garbage collections. Nothing is left worth collecting, yet finalising walks every
    object several times: ~40 ms of a 250 ms `hookbench run`. Exit handlers, flushing and
    the freeing of everything reference counting reaches still happen."""
    code = main()
    gc.freeze()
    raise SystemExit(code)


if __name__ == "__main__":
    console()
