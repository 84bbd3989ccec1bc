"""Start the app from parsed command-line arguments (`hookbench`, `open`, `demo`)."""

from __future__ import annotations

import argparse
from pathlib import Path

BUNDLED_PROFILES = Path(__file__).resolve().parents[2] / "profiles"


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


def launch(args: argparse.Namespace) -> int:
    from tui.app.app import HookbenchApp
    from tui.cli import variables_from_args
    from tui.core.history import keep_setting
    from tui.core.variables import Variables

    keep_setting()  # a bad HOOKBENCH_HISTORY_KEEP is a one-line error here, not a crash on screen

    if args.command == "demo":
        from tui.sandbox import Sandbox

        folder = args.demo_profiles or args.profiles or demo_folder()
        with Sandbox() as sandbox:
            variables = Variables(overrides={"base_url": sandbox.base_url})
            start = folder / "subscriber-lookup.toml"
            app = HookbenchApp(folder, profile_path=start if start.is_file() else None, variables=variables)
            app.run()
        print(f"hookbench demo: the profiles you saw are in {folder}")
        return app.return_code or 0
    if args.command == "open":
        from tui.core.profile import read_module

        path = args.profile
        read_module(path)  # a missing or invalid file is reported before the screen switches
        app = HookbenchApp(path.resolve().parent, profile_path=path, variables=variables_from_args(args))
    else:
        app = HookbenchApp(args.profiles or Path("profiles"))
    app.run()
    return app.return_code or 0  # a crash must not look like success to a wrapper script
