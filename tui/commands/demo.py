"""`hookbench demo`: the embedded sandbox and the workbench on a copy of the example profiles."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.commands.app import check_settings, run_app

BUNDLED_PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def register(subparsers: Any) -> None:
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
    """Serve the sandbox for as long as the workbench is open on the examples."""
    from tui.app.app import HookbenchApp
    from tui.commands.common import environment_from_args
    from tui.core.variables import build_variables
    from tui.sandbox import Sandbox

    check_settings()
    folder = args.demo_profiles or args.profiles or demo_folder()
    environment = environment_from_args(args, folder)
    with Sandbox() as sandbox:
        variables = build_variables(folder, assignments=[f"base_url={sandbox.base_url}"])
        start = folder / "subscriber-lookup.toml"
        code = run_app(
            HookbenchApp(
                folder,
                profile_path=start if start.is_file() else None,
                variables=variables,
                environment=environment,
            )
        )
    print(f"hookbench demo: the profiles you saw are in {folder}")
    return code
