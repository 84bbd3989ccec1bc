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
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.commands import app, check, diff, export, flow, history, import_, paths, run, sandbox
from tui.commands.common import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_SUCCESS
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_text


def build_parser() -> argparse.ArgumentParser:
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
    parser.set_defaults(handler=app.run)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in (run, paths, sandbox, app, flow, history, diff, check, import_, export):
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except HookbenchError as exc:
        print(f"hookbench: error: {safe_text(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()  # `hookbench paths big.json | head` is not an error
        return EXIT_SUCCESS
    except KeyboardInterrupt:
        print("hookbench: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
