"""`hookbench flow ENTRY`: run a profile and the profiles its routes lead to.

Steps are printed as they complete, so a person watching over SSH sees progress and, when a
later step stops the flow, what already happened. Configuration errors (a missing route
target, a loop past --max-steps, an unknown placeholder mid-flow) are raised as
HookbenchError and turned into exit 2 by `tui.cli.main`, the one place exit codes are chosen
for errors; this module returns 0 or 1 for flows that ran.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.common import (
    EXIT_ERROR,
    EXIT_FAILURE_ROUTE,
    EXIT_SUCCESS,
    add_variable_options,
    confirm_protected,
    environment_from_args,
    positive,
    variables_from_args,
    warn,
)
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_json, safe_text
from tui.core.secrets import mask_text

if TYPE_CHECKING:
    from tui.core.flows import FlowGraph, FlowResult, StepPreview, StepResult
    from tui.core.recorded import OfflineRunner

# Repeated from tui.core.flows so that building the parser (every `hookbench` command) does
# not import the flow engine; tests/cli/test_flow_cli.py checks the two agree.
DEFAULT_MAX_STEPS = 20


def register(subparsers: Any) -> None:
    """Add the `flow` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "flow",
        help="run a profile, then the profiles its success/failure routes name",
        description="Run ENTRY, then the profile its route names (by file stem in the same folder), "
        "until a step has no route. Exit 0 on a success route (or an expected failure), 1 on a "
        "failure route, 2 on configuration errors.",
    )
    parser.add_argument("entry", type=Path, metavar="ENTRY", help="the first profile of the flow")
    add_variable_options(parser)
    parser.add_argument(
        "--json", action="store_true", help="print the steps and final variables as one JSON object"
    )
    parser.add_argument(
        "--junit", type=Path, metavar="FILE", help="write a JUnit XML report, one test case per step"
    )
    parser.add_argument(
        "--max-steps",
        type=positive,
        default=DEFAULT_MAX_STEPS,
        metavar="N",
        help=f"stop a flow that runs more steps than this, e.g. a loop (default {DEFAULT_MAX_STEPS})",
    )
    no_network = parser.add_mutually_exclusive_group()
    no_network.add_argument(
        "--dry-run", action="store_true", help="print the route graph and each rendered request; send nothing"
    )
    no_network.add_argument(
        "--offline",
        action="store_true",
        help="send nothing: each step is judged against the newest record of its profile with the same "
        "method and URL",
    )
    parser.add_argument(
        "--no-history", action="store_true", help="leave no record of the steps in the history"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Plan, then dry-run or run the flow; returns 0 or 1, raises HookbenchError for exit 2.

    Unknown keys in any profile the flow can reach are warned about once each, before
    anything is sent (a looping flow does not repeat them).
    """
    from tui.core.flows import plan_flow, preview_flow

    suite = Path(args.entry).stem
    steps: list[StepResult] = []
    try:
        folder = Path(args.entry).resolve().parent
        environment = environment_from_args(args, folder)
        variables = variables_from_args(args, folder, environment)
        graph = plan_flow(args.entry, max_steps=args.max_steps, environment=environment)
        warn(message for node in graph.nodes.values() for message in node.warnings)
        if args.dry_run:
            previews = preview_flow(graph, variables)
            print(format_dry_run(graph, previews))
            return _dry_run_verdict(previews)
        runner = _offline_runner(graph) if args.offline else None
        if runner is None:  # every step that could run is checked before the first is sent
            confirm_protected(args, environment, graph.requests())
        result = _run(graph, variables, steps, quiet=args.json, record=not args.no_history, runner=runner)
    except HookbenchError as exc:
        if args.junit and not args.dry_run:
            from tui.core.junit import write_junit

            failing = (steps[-1].next_stem if steps else None) or suite
            write_junit(args.junit, suite, steps, error=(failing, str(exc)))
        raise
    if args.junit:
        from tui.core.junit import write_junit

        write_junit(args.junit, suite, result.steps)
    if args.json:
        data = flow_json(result)
        if runner is not None:
            data["sent"] = False
            for step, recorded in zip(data["steps"], runner.used):
                step["record"] = recorded.id
        print(safe_json(data, indent=2))
    else:
        print(format_summary(result))
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE


def _offline_runner(graph: FlowGraph) -> OfflineRunner:
    from tui.core.history import History
    from tui.core.recorded import OfflineRunner

    return OfflineRunner(History.for_profiles(graph.entry_node.path.resolve().parent))


def _run(
    graph: FlowGraph,
    variables: Any,
    steps: list[StepResult],
    *,
    quiet: bool,
    record: bool = True,
    runner: OfflineRunner | None = None,
) -> FlowResult:
    """Run the flow, printing each step as it completes unless the output is JSON.

    Each step is recorded in history like any run (unless --no-history); offline steps
    (`runner`) sent nothing, so they are not recorded.
    """
    from tui.commands.history import local_time, record_run
    from tui.core.flows import run_flow_sync

    width = max(len(stem) for stem in graph.nodes)
    if not quiet:
        offline = (
            " — offline: nothing is sent, each step is judged against a history record" if runner else ""
        )
        print(
            safe_text(f"flow {graph.entry} ({graph.entry_node.path}){offline}", single_line=True), flush=True
        )

    def on_step(step: StepResult) -> None:
        steps.append(step)
        if not quiet:
            print(format_step(step, width), flush=True)
            if runner is not None:
                used = runner.used[-1]
                print(f"      (history record {used.id}, recorded {local_time(used.time)})", flush=True)
        if record and runner is None:
            record_run(step.path, step.module, step.result)

    return run_flow_sync(graph, variables, on_step=on_step, runner=runner)


def _dry_run_verdict(previews: tuple[StepPreview, ...]) -> int:
    """A dry run fails only for holes no run could fill; values set by earlier steps are fine."""
    blocked = [preview.node.stem for preview in previews if preview.blocking]
    if not blocked:
        return EXIT_SUCCESS
    print(
        safe_text(f"hookbench: error: dry run: cannot render {', '.join(blocked)} (see above)"),
        file=sys.stderr,
    )
    return EXIT_ERROR


# --- text ------------------------------------------------------------------------------


def _value(value: object) -> str:
    """A variable as `run` shows it: strings quoted, lists and objects as JSON (not re-quoted).

    Published values are text as a template sees them, so a list arrives as '["a"]'.
    """
    return safe_json(_typed(value))


def format_step(step: StepResult, width: int = 0) -> str:
    """`2  subscriber-create  201  success  201 Created  → send-discount`, then what it set."""
    secrets = step.result.request.secrets
    status = str(step.status) if step.status is not None else "---"
    route = step.route + (" (expected)" if step.route == "failure" and step.expected else "")
    following = f"→ {step.next_stem}" if step.next_stem else "(end)"
    lines = [
        f"{step.index:>2}  {step.stem.ljust(width)}  {status}  {route}  {mask_text(step.reason, secrets)}  {following}"
    ]
    lines += [f"      {name} = {mask_text(_value(value), secrets)}" for name, value in step.published.items()]
    return "\n".join(safe_text(line, single_line=True) for line in lines)


def format_summary(result: FlowResult) -> str:
    """How the flow ended and the variables in force at the end."""
    secrets = frozenset().union(*(step.result.request.secrets for step in result.steps))
    count = len(result.steps)
    verdict = f"flow ended on the {result.route} route after {count} step{'s' if count != 1 else ''} (at {result.last.stem})"
    if result.route == "failure" and result.ok:
        verdict += "; that failure was expected"
    lines = [verdict]
    if result.variables:
        width = max(len(name) for name in result.variables)
        lines.append("variables:")
        lines += [
            f"  {name.ljust(width)}  = {mask_text(_value(value), secrets)}"
            for name, value in result.variables.items()
        ]
    return "\n".join(safe_text(line, single_line=True) for line in lines)


def flow_json(result: FlowResult) -> dict[str, Any]:
    """The `--json` object: route, steps (profile, status, route, reason, elapsed_ms, variables), variables."""
    return {
        "route": result.route,
        "steps": [
            {
                "profile": step.stem,
                "status": step.status,
                "route": step.route,
                "reason": step.reason,
                "elapsed_ms": round(step.elapsed_ms, 1) if step.elapsed_ms is not None else None,
                "variables": {name: _typed(value) for name, value in step.published.items()},
            }
            for step in result.steps
        ],
        "variables": {name: _typed(value) for name, value in result.variables.items()},
    }


def _typed(value: object) -> object:
    """Published text back to JSON where it is a list or object (as `run --json` shows it)."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def format_dry_run(graph: FlowGraph, previews: tuple[StepPreview, ...]) -> str:
    """The route graph, then each module's rendered request (secrets masked) or what it lacks."""
    from tui.commands.output import format_outgoing

    blocks = [graph.text()]
    for number, preview in enumerate(previews, start=1):
        head = f"[{number}] {preview.node.stem} ({preview.node.path})"
        if preview.request is not None:
            blocks.append(f"{head}\n{format_outgoing(preview.request).rstrip()}")
        elif preview.problem is not None:
            blocks.append(f"{head}\nnot rendered: {preview.problem}")
        else:
            blocks.append(
                f"{head}\nnot rendered: {_describe_missing(preview.missing, preview.set_upstream or {})}"
            )
    return safe_text("\n\n".join(blocks))


def _describe_missing(missing: tuple[str, ...], upstream: Mapping[str, tuple[str, ...]]) -> str:
    parts = []
    for name in missing:
        setters = upstream.get(name)
        parts.append(f"{name} (set at run time by {', '.join(setters)})" if setters else name)
    return f"unknown variable{'s' if len(missing) > 1 else ''} {', '.join(parts)}"
