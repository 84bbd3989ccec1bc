"""Bare `hookbench`: the workbench on a profiles folder, and what every command that opens the
workbench (`open`, `demo`) shares to run it.

Nothing of the app is imported until the workbench opens: Textual costs the headless
commands nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app.app import HookbenchApp


def run(args: argparse.Namespace) -> int:
    """Open the workbench on `--profiles` (default ./profiles); its exit code is the app's."""
    from tui.app.app import HookbenchApp
    from tui.commands.common import environment_from_args
    from tui.core.variables import build_variables

    check_settings()
    folder = args.profiles or Path("profiles")
    return run_app(
        HookbenchApp(
            folder, variables=build_variables(folder), environment=environment_from_args(args, folder)
        )
    )


def check_settings() -> None:
    """A bad HOOKBENCH_HISTORY_KEEP is a one-line error here, not a crash on screen."""
    from tui.core.history import keep_setting

    keep_setting()


def run_app(app: HookbenchApp) -> int:
    """Run the workbench until it quits; print where the safety net's report went, if it caught
    an error, and return a code a wrapper script can trust (a crash is not success)."""
    app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0
