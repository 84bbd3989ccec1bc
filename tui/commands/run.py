"""`hookbench run PROFILE`: send a profile's request, print the route and the variables it set.

Exit 0 on the success route, 1 on the failure route; errors (profile, template, send) are
raised as HookbenchError and mapped to exit 2 by `tui.cli.main`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tui.commands.common import EXIT_FAILURE_ROUTE, EXIT_SUCCESS, add_variable_options, size


def register(subparsers: Any) -> None:
    """Add the `run` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser("run", help="send a profile's request and print route and variables")
    parser.add_argument("profile", type=Path)
    add_variable_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--dry-run", action="store_true", help="print the rendered request; send nothing")
    parser.add_argument(
        "--max-body",
        type=size,
        default=None,
        metavar="BYTES",
        help="response size cap (default 50MB; accepts k/M suffixes)",
    )
    parser.add_argument(
        "--no-history", action="store_true", help="leave no record of this run in the history"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Dry-run (print the rendered request) or send, print and record the run."""
    from tui.commands.common import variables_from_args
    from tui.core.profile import read_module
    from tui.core.render import render_request

    module = read_module(args.profile)
    variables = variables_from_args(args)
    base_dir = args.profile.resolve().parent
    if args.dry_run:
        from tui.commands.output import format_request

        print(format_request(render_request(module, variables, base_dir=base_dir)))
        return EXIT_SUCCESS
    from tui.commands.output import format_result, result_json
    from tui.core.run import run_module_sync

    options: dict[str, Any] = {"base_dir": base_dir}
    if args.max_body is not None:
        options["max_body_bytes"] = args.max_body
    result = run_module_sync(module, variables, **options)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        print(format_result(module, result))
    if not args.no_history:
        from tui.commands.history import record_run

        record_run(args.profile, module, result)
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE
