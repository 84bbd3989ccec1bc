"""`hookbench history`: list, show and replay recorded runs; and the recorder `hookbench run` calls.

    hookbench history [--limit N] [--json] [--filter TEXT]
    hookbench history show ID
    hookbench history replay ID [--json] [--no-history] [--var NAME=VALUE …]

IDs may be shortened to any unambiguous prefix. Replay prints and exits like `hookbench run`
(0 success route, 1 failure route, 2 errors such as an unknown id) and is itself recorded.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.common import EXIT_FAILURE_ROUTE, EXIT_SUCCESS, add_variable_options, variables_from_args
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_json, safe_text

if TYPE_CHECKING:
    from tui.core.history import History, RecordSummary
    from tui.core.model import Module
    from tui.core.run import RunResult


def register(commands: Any) -> None:
    """Add the `history` parser (with `show` and `replay`) to the `hookbench` subparsers."""
    history = commands.add_parser(
        "history",
        help="list, show and replay recorded runs",
        description=(
            "Runs are recorded per profiles folder under $HOOKBENCH_HISTORY_DIR, else "
            "$XDG_STATE_HOME/hookbench/history (~/.local/state/hookbench/history); "
            "$HOOKBENCH_HISTORY_KEEP sets how many are kept (default 1000)."
        ),
    )
    history.add_argument(
        "--profiles",
        type=Path,
        default=argparse.SUPPRESS,
        help="profiles folder whose history to use (default ./profiles)",
    )
    history.add_argument(
        "--limit", type=int, default=20, metavar="N", help="newest N records (default 20; 0 for all)"
    )
    history.add_argument(
        "--filter",
        default="",
        metavar="TEXT",
        help="only records whose URL, profile, status or route contain TEXT",
    )
    history.add_argument("--json", action="store_true", help="print a JSON array")
    actions = history.add_subparsers(dest="history_command", metavar="ACTION")

    show = actions.add_parser("show", help="print a record (TOML, secrets masked)")
    show.add_argument("id", help="record id, or an unambiguous prefix of it")

    replay = actions.add_parser(
        "replay", help="send a recorded request again; output and exit codes as `run`"
    )
    replay.add_argument("id", help="record id, or an unambiguous prefix of it")
    replay.add_argument("--json", action="store_true", help="print one JSON object")
    replay.add_argument("--no-history", action="store_true", help="do not record the replay")
    add_variable_options(replay)
    history.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Dispatch `hookbench history …`; HookbenchErrors propagate to `main` (exit 2)."""
    from tui.core.history import History

    history = History.for_profiles(args.profiles or Path("profiles"))
    action = getattr(args, "history_command", None)
    if action == "show":
        sys.stdout.write(safe_text(history.text(args.id)))  # escapes are TOML's own: still valid TOML
        return EXIT_SUCCESS
    if action == "replay":
        return replay(history, args)
    return list_records(history, args)


def list_records(history: History, args: argparse.Namespace) -> int:
    """One line a record, newest first (or a JSON array); skipped records are warned about."""
    from tui.core.history import HistoryWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HistoryWarning)
        records = history.list(limit=max(args.limit, 0), query=args.filter)
    for message in history.skipped:
        print(f"hookbench: warning: {safe_text(message)}", file=sys.stderr)
    if args.json:
        print(safe_json([record.to_json() for record in records], indent=2))
        return EXIT_SUCCESS
    if not records:
        what = f"matching {args.filter!r} " if args.filter else ""
        print(f"hookbench: no recorded runs {what}in {history.root}", file=sys.stderr)
        return EXIT_SUCCESS
    sys.stdout.write("".join(format_summary(record) + "\n" for record in records))
    return EXIT_SUCCESS


def format_summary(record: RecordSummary) -> str:
    """`ID  2026-11-28 19:45:12  GET     200  success    12 ms  profile  URL` (local time)."""
    status = str(record.status) if record.status is not None else "---"
    elapsed = f"{record.elapsed_ms:.0f} ms" if record.elapsed_ms is not None else "-"
    return safe_text(
        f"{record.id}  {local_time(record.time)}  {record.method:<6}  {status:>3}  {record.route:<7}  "
        f"{elapsed:>8}  {record.profile or '(unsaved)'}  {record.url}",
        single_line=True,
    )


def local_time(iso: str) -> str:
    """`2026-11-28T18:45:12.123456Z` → `2026-11-28 19:45:12` in the local zone."""
    from datetime import datetime  # not at registration: every command would import it

    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def replay(history: History, args: argparse.Namespace) -> int:
    """Send a record's request again, print as `run` does, and record the replay.

    Secrets the record masked are taken from its source profile (and the environment's
    defaults); a note on stderr says which, from where.
    """
    from tui.commands.common import confirm_protected, environment_from_args
    from tui.commands.output import format_result, result_json
    from tui.core.environments import with_environment
    from tui.core.run import run_module_sync

    record_id = history.resolve_id(args.id)
    folder = args.profiles or Path("profiles")
    environment = environment_from_args(args, folder)
    module = history.load_for_replay(record_id, sources=folder, environment=environment)
    for note in history.replay_notes:
        print(f"hookbench: note: {safe_text(note, single_line=True)}", file=sys.stderr)
    profile = str(history.read(record_id).get("profile") or "")
    module = with_environment(module, environment)
    confirm_protected(args, environment, [(module.request.method, f"history record {record_id}")])
    result = run_module_sync(module, variables_from_args(args, folder, environment))
    if args.json:
        print(safe_json(result_json(result), indent=2))
    else:
        print(format_result(module, result))
    if not args.no_history:
        _record(history, module, result, profile_path=None, profile=profile)
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE


def record_run(profile_path: Path, module: Module, result: RunResult) -> None:
    """Record a `hookbench run` in the history of the profile's folder.

    The request has been sent already, so trouble here is a warning on stderr and never
    changes the exit code.
    """
    from tui.core.history import History

    try:
        history = History.for_profiles(Path(profile_path).resolve().parent)
    except HookbenchError as exc:
        print(f"hookbench: warning: run not recorded: {safe_text(str(exc))}", file=sys.stderr)
        return
    _record(history, module, result, profile_path=profile_path)


def _record(history: History, module: Module, result: RunResult, **where: Any) -> None:
    try:
        history.record(module, result, **where)
    except HookbenchError as exc:
        history.last_error = str(exc)
    if history.last_error:
        print(f"hookbench: warning: {safe_text(history.last_error)}", file=sys.stderr)
