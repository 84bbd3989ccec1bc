"""`hookbench run PROFILE`: send a profile's request, print the route and the variables it set.

Exit 0 on the success route, 1 on the failure route; errors (profile, template, send) are
raised as HookbenchError and mapped to exit 2 by `tui.cli.main`. With `--from-history ID|last`
nothing is sent: the module is judged against a recorded response, with the same output.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.common import EXIT_FAILURE_ROUTE, EXIT_SUCCESS, add_variable_options, size
from tui.core.safe_text import safe_json, safe_text

if TYPE_CHECKING:
    from tui.core.model import Module


def register(subparsers: Any) -> None:
    """Add the `run` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser("run", help="send a profile's request and print route and variables")
    parser.add_argument("profile", type=Path)
    add_variable_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    offline = parser.add_mutually_exclusive_group()
    offline.add_argument("--dry-run", action="store_true", help="print the rendered request; send nothing")
    offline.add_argument(
        "--from-history",
        metavar="ID|last",
        help="send nothing: judge the module against a recorded response "
        "(`last`: this profile's newest, `last~1` the one before)",
    )
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
    """Dry-run (print the rendered request) or send, print and record the run.

    Unknown keys in the profile or environment are warned about; a protected environment
    refuses anything but GET/HEAD without --yes (exit 2, nothing sent).
    """
    from tui.commands.common import confirm_protected, environment_from_args, variables_from_args, warn
    from tui.core.environments import with_environment
    from tui.core.profile import load_profile
    from tui.core.render import render_request

    profile = load_profile(args.profile)
    warn(profile.warnings)
    base_dir = args.profile.resolve().parent
    environment = environment_from_args(args, base_dir)
    module = with_environment(profile.module, environment)
    variables = variables_from_args(args, base_dir, environment)
    if args.dry_run:
        from tui.commands.output import format_outgoing

        print(format_outgoing(render_request(module, variables, base_dir=base_dir), environment))
        return EXIT_SUCCESS
    if args.from_history:
        return offline(args, module)
    confirm_protected(args, environment, [(module.request.method, args.profile.stem)])
    from tui.commands.output import format_result, result_json
    from tui.core.run import run_module_sync

    options: dict[str, Any] = {"base_dir": base_dir}
    if args.max_body is not None:
        options["max_body_bytes"] = args.max_body
    result = run_module_sync(module, variables, **options)
    if args.json:
        print(safe_json(result_json(result), indent=2))
    else:
        print(format_result(module, result))
    if not args.no_history:
        from tui.commands.history import record_run

        record_run(args.profile, module, result)
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE


def offline(args: argparse.Namespace, module: Module) -> int:
    """Judge the module against a record of this profile's history; nothing is sent or recorded."""
    from tui.commands.history import local_time
    from tui.commands.output import format_result, result_json
    from tui.core.history import History
    from tui.core.recorded import judge_recorded, read_response, resolve_record

    history = History.for_profiles(args.profile.resolve().parent)
    record_id = resolve_record(history, args.from_history, profile=args.profile.stem)
    recorded = read_response(history, record_id)
    result = judge_recorded(module, recorded)
    if args.json:
        data = {**result_json(result), "sent": False, "record": record_id, "recorded": recorded.time}
        print(safe_json(data, indent=2))
    else:
        whose = f", a record of {recorded.profile}" if recorded.profile != args.profile.stem else ""
        print(
            safe_text(
                f"offline: nothing was sent; judged against history record {record_id} "
                f"(recorded {local_time(recorded.time)}{whose})",
                single_line=True,
            )
        )
        print(format_result(module, result))
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE
