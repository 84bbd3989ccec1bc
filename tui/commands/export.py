"""`hookbench export curl PROFILE [--env NAME]`: the profile's request as one curl command, for a ticket.

`{{env.NAME}}` values are written as `"$NAME"` shell references and other auth credentials as
`"$HOOKBENCH_AUTH_KEY"` ones (stderr says which to set), so the command carries no credential
and runs wherever those variables are set; `--reveal` writes the values.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.commands.common import EXIT_SUCCESS, add_variable_options


def register(subparsers: Any) -> None:
    """Add `export` and its formats to `hookbench`'s subparsers."""
    parser = subparsers.add_parser("export", help="write a profile's request as a curl command")
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    curl = formats.add_parser(
        "curl",
        help="one curl command that reproduces the rendered request",
        description="Print one curl command that sends what `hookbench run PROFILE` would send. "
        '{{env.NAME}} values are written as "$NAME" shell references, literal auth credentials as '
        '"$HOOKBENCH_AUTH_KEY" ones (stderr names them), unless --reveal.',
    )
    curl.add_argument("profile", type=Path)
    add_variable_options(curl, sends=False)
    curl.add_argument(
        "--reveal",
        action="store_true",
        help="write {{env.*}} values and auth credentials themselves, not shell references",
    )
    curl.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Render the profile as `run` would (its folder's .env, the environment's variables, auth
    and proxy), env values as references unless --reveal, and print the command."""
    from tui.commands.common import environment_from_args, variables_from_args
    from tui.core.curl import auth_references, export_curl
    from tui.core.environments import with_environment
    from tui.core.profile import read_module

    base_dir = args.profile.resolve().parent
    environment = environment_from_args(args, base_dir)
    module = with_environment(read_module(args.profile), environment)
    variables = variables_from_args(args, base_dir, environment)
    print(export_curl(module, variables, base_dir=base_dir, reveal=args.reveal))
    if not args.reveal:
        for shell, key in auth_references(module)[1]:
            print(
                f"hookbench: the command reads {key} from ${shell}: set it before running it"
                " (or export with --reveal)",
                file=sys.stderr,
            )
    return EXIT_SUCCESS
