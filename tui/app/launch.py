"""Start the app from parsed command-line arguments (`hookbench`, `open`, `demo`)."""

from __future__ import annotations

import argparse
from pathlib import Path

BUNDLED_PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def launch(args: argparse.Namespace) -> int:
    from tui.app.app import HookbenchApp
    from tui.cli import variables_from_args
    from tui.core.variables import Variables

    if args.command == "demo":
        from tui.sandbox import Sandbox

        folder = args.demo_profiles or (BUNDLED_PROFILES if BUNDLED_PROFILES.is_dir() else Path("profiles"))
        with Sandbox() as sandbox:
            variables = Variables(overrides={"base_url": sandbox.base_url})
            start = folder / "subscriber-lookup.toml"
            HookbenchApp(folder, profile_path=start if start.is_file() else None, variables=variables).run()
        return 0
    if args.command == "open":
        from tui.core.profile import read_module

        path = args.profile
        read_module(path)  # a missing or invalid file is reported before the screen switches
        HookbenchApp(path.resolve().parent, profile_path=path, variables=variables_from_args(args)).run()
        return 0
    HookbenchApp(args.profiles).run()
    return 0
