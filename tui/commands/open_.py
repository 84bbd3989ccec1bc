"""`hookbench open PROFILE`: the workbench on one profile, its folder in the Profiles pane."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.commands.app import check_settings, run_app
from tui.commands.common import add_variable_options


def register(subparsers: Any) -> None:
    open_ = subparsers.add_parser("open", help="open one profile in the workbench")
    open_.add_argument("profile", type=Path)
    add_variable_options(open_, sends=False)  # the workbench asks before a protected send
    open_.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """A missing or invalid profile, or an unknown environment, is reported before the screen
    switches."""
    from tui.app.app import HookbenchApp
    from tui.commands.common import environment_from_args, variables_from_args
    from tui.core.profile import read_module

    check_settings()
    path = args.profile
    read_module(path)
    folder = path.resolve().parent
    environment = environment_from_args(args, folder)
    variables = variables_from_args(args, folder)  # the workbench adds the environment
    return run_app(HookbenchApp(folder, profile_path=path, variables=variables, environment=environment))
