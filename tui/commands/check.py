"""`hookbench check PROFILE`: send, then compare the response's shape with the last good one.

Made for cron and CI monitoring of a vendor's API. The baseline is the newest record of the
profile on the success route (its response body kept); it is looked up before anything is
sent, so a missing baseline costs no call. Exit 0 same shape, 3 drift (the diff and the
broken Set Variables rows are printed), 1 failure route, 2 configuration error.

The check's own send is recorded like any run (unless --no-history), so once drift has
been reported the new shape is the baseline of the next check.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tui.commands.common import (
    EXIT_DRIFT,
    EXIT_FAILURE_ROUTE,
    EXIT_SUCCESS,
    add_variable_options,
    confirm_protected,
    environment_from_args,
    size,
    variables_from_args,
)
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_json, safe_text


def register(subparsers: Any) -> None:
    """Add the `check` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "check",
        help="send, then compare the response's shape with the newest successful record (drift)",
        description="Send PROFILE's request and compare the response's shape with the newest "
        "successful history record of that profile. Exit 0 same shape, 3 drift (prints the diff "
        "and the broken Set Variables rows), 1 failure route, 2 configuration error.",
    )
    parser.add_argument("profile", type=Path)
    add_variable_options(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--max-body",
        type=size,
        default=None,
        metavar="BYTES",
        help="response size cap (default 50MB; accepts k/M suffixes)",
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not record this check (the baseline stays the record it was compared with)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Find the baseline, send, record, compare; 0 same, 3 drift, 1 failure route."""
    from tui.commands.diff import format_diff
    from tui.commands.history import local_time
    from tui.commands.output import format_result, result_json
    from tui.core.diff import diff_documents
    from tui.core.environments import with_environment
    from tui.core.history import History
    from tui.core.profile import read_module
    from tui.core.recorded import newest_record, read_response, successful
    from tui.core.responses import XML
    from tui.core.run import run_module_sync

    folder = args.profile.resolve().parent
    environment = environment_from_args(args, folder)
    module = with_environment(read_module(args.profile), environment)
    variables = variables_from_args(args, folder, environment)
    stem = args.profile.stem
    history = History.for_profiles(args.profile.resolve().parent)
    found = newest_record(history, profile=stem, accept=successful)
    if found is None:
        raise HookbenchError(
            f"check {stem}: no successful record of {stem} in {history.root} to compare with; "
            f"`hookbench run {args.profile}` records one"
        )
    baseline = read_response(history, found.id)
    confirm_protected(args, environment, [(module.request.method, stem)])
    before = baseline.decoded()
    if not before.parsed:
        raise HookbenchError(
            f"check {stem}: the baseline, history record {found.id}, has no JSON or XML body to compare with"
            f" ({before.error or before.kind})"
        )
    options: dict[str, Any] = {"base_dir": args.profile.resolve().parent}
    if args.max_body is not None:
        options["max_body_bytes"] = args.max_body
    result = run_module_sync(module, variables, **options)
    if not args.no_history:
        from tui.commands.history import record_run

        record_run(args.profile, module, result)
    after = result.body
    diff = None
    problem = None
    if result.ok and after is not None and after.parsed:
        diff = diff_documents(
            before.data,
            after.data,
            rows=module.set_variables,
            xml=before.kind == XML and after.kind == XML,
        )
    elif result.ok:
        problem = f"the response is no longer JSON or XML: {after.error if after else 'no body'}"
    drifted = problem is not None or (diff is not None and diff.drifted)
    baseline_text = f"history record {found.id} (recorded {local_time(baseline.time)})"
    if args.json:
        data = {
            **result_json(result),
            "baseline": {"record": found.id, "recorded": baseline.time},
            "drifted": drifted if result.ok else None,
            "diff": diff.to_json() if diff is not None else None,
            "problem": problem,
        }
        print(safe_json(data, indent=2))
    else:
        print(format_result(module, result))
        if result.ok:
            verdict = "DRIFT" if drifted else "same shape"
            print(safe_text(f"check: {verdict} — compared with {baseline_text}", single_line=True))
            if problem is not None:
                print(safe_text(problem))
            elif diff is not None and diff.drifted:
                print(format_diff(diff))
    if not result.ok:
        return EXIT_FAILURE_ROUTE
    return EXIT_DRIFT if drifted else EXIT_SUCCESS
