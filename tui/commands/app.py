"""The commands that open the Textual workbench: bare `hookbench`, `open PROFILE`, `demo`.

Registering them imports nothing of the app; Textual is imported only when one of them runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.commands.common import add_variable_options

BUNDLED_PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def register(subparsers: Any) -> None:
    """Add `demo` and `open` to `hookbench`'s subparsers (the bare command is `tui.cli`'s)."""
    demo = subparsers.add_parser(
        "demo", help="start the sandbox and open the workbench on the example profiles"
    )
    demo.add_argument(
        "--profiles",
        dest="demo_profiles",
        type=Path,
        default=None,
        help="profiles folder (default: a working copy of the bundled examples)",
    )
    demo.set_defaults(handler=run)
    open_ = subparsers.add_parser("open", help="open one profile in the workbench")
    open_.add_argument("profile", type=Path)
    add_variable_options(open_, sends=False)  # the workbench asks before a protected send
    open_.set_defaults(handler=run)


def demo_folder() -> Path:
    """A working copy of the bundled examples, so the tour's saves never edit them.

    `$XDG_STATE_HOME/hookbench/demo-profiles` (~/.local/state/…): files missing there are
    copied in at each start; files a person changed there are left as they are.
    """
    import os
    import shutil

    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    folder = Path(state).expanduser() / "hookbench" / "demo-profiles"
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(BUNDLED_PROFILES.glob("*.toml")):
        target = folder / source.name
        if not target.exists():
            shutil.copy2(source, target)
    return folder


def run(args: argparse.Namespace) -> int:
    """Open the workbench for `hookbench`, `open` or `demo`; its exit code is the app's."""
    from tui.app.app import HookbenchApp
    from tui.commands.common import environment_from_args, variables_from_args
    from tui.core.history import keep_setting
    from tui.core.variables import build_variables

    keep_setting()  # a bad HOOKBENCH_HISTORY_KEEP is a one-line error here, not a crash on screen

    if args.command == "demo":
        from tui.sandbox import Sandbox

        folder = args.demo_profiles or args.profiles or demo_folder()
        environment = environment_from_args(args, folder)
        with Sandbox() as sandbox:
            variables = build_variables(folder, assignments=[f"base_url={sandbox.base_url}"])
            start = folder / "subscriber-lookup.toml"
            app = HookbenchApp(
                folder,
                profile_path=start if start.is_file() else None,
                variables=variables,
                environment=environment,
            )
            app.run()
        if app.exit_message:
            print(app.exit_message, file=sys.stderr)
        print(f"hookbench demo: the profiles you saw are in {folder}")
        return app.return_code or 0
    if args.command == "open":
        from tui.core.profile import read_module

        path = args.profile
        read_module(path)  # a missing or invalid file is reported before the screen switches
        folder = path.resolve().parent
        environment = environment_from_args(args, folder)  # an unknown one too
        variables = variables_from_args(args, folder)  # the workbench adds the environment
        app = HookbenchApp(folder, profile_path=path, variables=variables, environment=environment)
    else:
        folder = args.profiles or Path("profiles")
        app = HookbenchApp(
            folder, variables=build_variables(folder), environment=environment_from_args(args, folder)
        )
    app.run()
    if app.exit_message:  # the safety net caught an error: where its report and the copy are
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0  # a crash must not look like success to a wrapper script
