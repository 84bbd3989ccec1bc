"""`hookbench diff A B`: what changed between two responses — shape, values, broken rows.

A and B are history record ids (or unambiguous prefixes), `last` (`last~N`: N records before
it), files, or `-` (stdin).
Exit 0 same shape, 3 drift (shape changed, or a Set Variables row that resolved in A no
longer does in B), 2 bad input (raised as HookbenchError, mapped by `tui.cli.main`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.common import EXIT_DRIFT, EXIT_SUCCESS
from tui.core.errors import HookbenchError
from tui.core.safe_text import safe_json, safe_text

if TYPE_CHECKING:
    from tui.core.diff import ShapeDiff
    from tui.core.history import History
    from tui.core.model import SetVariable
    from tui.core.recorded import RecordedResponse


def register(subparsers: Any) -> None:
    """Add the `diff` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "diff",
        help="compare two responses (history records, files or -): shape, values, broken rows",
        description="Compare response A with response B. Each is a history record id (or an "
        "unambiguous prefix), `last` (newest; of --profile P if given), `last~N` (N records before "
        "it), a JSON or XML file, or - for stdin. Exit 0 same shape, 3 "
        "different shape or broken Set Variables rows, 2 bad input.",
    )
    parser.add_argument("a", metavar="A", help="record id (or prefix), last, last~N, file or -")
    parser.add_argument("b", metavar="B", help="record id (or prefix), last, last~N, file or -")
    parser.add_argument(
        "--profile",
        metavar="P",
        help="profile (file, or name in the profiles folder) whose Set Variables rows to check; "
        "`last` is its newest record",
    )
    parser.add_argument("--values", action="store_true", help="also list the values that changed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--profiles",
        type=Path,
        default=argparse.SUPPRESS,
        help="profiles folder whose history to read (default ./profiles)",
    )
    parser.set_defaults(handler=run)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: what it is called, its parsed document, where it came from."""

    label: str
    data: Any
    xml: bool
    record: RecordedResponse | None = None


def run(args: argparse.Namespace) -> int:
    """Read both sides, compare, print; 0 same shape, 3 drift."""
    from tui.core.diff import diff_documents

    if args.a == "-" and args.b == "-":
        raise HookbenchError("diff: only one of A and B can be - (stdin)")
    profile_path = _profile_path(args.profile, args.profiles or Path("profiles")) if args.profile else None
    folder = profile_path.resolve().parent if profile_path else (args.profiles or Path("profiles"))
    stem = profile_path.stem if profile_path else None
    opened: list[History] = []

    def history() -> History:
        """The folder's history, read only when a side is a record (two files need none)."""
        if not opened:
            from tui.core.history import History

            opened.append(History.for_profiles(folder))
        return opened[0]

    a, b = read_side(args.a, history, stem), read_side(args.b, history, stem)
    rows = _rows(profile_path, a, b, folder)
    diff = diff_documents(a.data, b.data, rows=rows, values=args.values, xml=a.xml and b.xml)
    if args.json:
        print(safe_json({"a": a.label, "b": b.label, **diff.to_json()}, indent=2))
    else:
        print(
            safe_text(f"A: {a.label}", single_line=True),
            safe_text(f"B: {b.label}", single_line=True),
            sep="\n",
        )
        print(format_diff(diff))
    return EXIT_DRIFT if diff.drifted else EXIT_SUCCESS


def _profile_path(text: str, folder: Path) -> Path:
    """`--profile` as a file, or as a name in the profiles folder."""
    for candidate in (Path(text), folder / f"{text.removesuffix('.toml')}.toml"):
        if candidate.is_file():
            return candidate
    raise HookbenchError(f"--profile {text}: no such profile (not a file, nor {folder / (text + '.toml')})")


def read_side(text: str, history: Callable[[], History], profile: str | None) -> Side:
    """A file, stdin, or a history record's response, parsed."""
    from tui.core.documents import parse_document

    if text == "-":
        raw, label = sys.stdin.buffer.read(), "stdin"
    elif Path(text).is_file():
        try:
            raw, label = Path(text).read_bytes(), f"file {text}"
        except OSError as exc:
            raise HookbenchError(f"{text}: {exc.strerror or exc}") from exc
    else:
        return record_side(text, history(), profile)
    data = parse_document(raw, "stdin" if text == "-" else text)
    return Side(label, data, raw.lstrip()[:1] == b"<")


def record_side(text: str, history: History, profile: str | None) -> Side:
    """A history record's response, parsed; an unusable body is an error naming the record."""
    from tui.commands.history import local_time
    from tui.core.errors import HistoryError
    from tui.core.recorded import read_response, resolve_record
    from tui.core.responses import XML

    try:
        record_id = resolve_record(history, text, profile=profile)
    except HistoryError as exc:
        raise HookbenchError(f"{text!r} is neither a file nor a history record: {exc}") from exc
    recorded = read_response(history, record_id)
    body = recorded.decoded()
    if not body.parsed:
        problem = body.error or f"its body is {body.kind}"
        raise HookbenchError(f"history record {record_id}: nothing to compare: {problem}")
    whose = f"{recorded.profile}, " if recorded.profile else ""
    label = f"history record {record_id} ({whose}recorded {local_time(recorded.time)})"
    return Side(label, body.data, body.kind == XML, recorded)


def _rows(profile_path: Path | None, a: Side, b: Side, folder: Path) -> tuple[SetVariable, ...]:
    """--profile's rows; else, for two records of one profile, that profile's (or A's) rows."""
    from tui.core.profile import read_module

    if profile_path is not None:
        return read_module(profile_path).set_variables
    if a.record is None or b.record is None or not a.record.profile or a.record.profile != b.record.profile:
        return ()
    current = folder / f"{a.record.profile}.toml"
    return read_module(current).set_variables if current.is_file() else a.record.set_variables


# --- text ------------------------------------------------------------------------------


def format_diff(diff: ShapeDiff) -> str:
    """Shape changes (+ added, - removed, ~ type changed), value changes, broken rows."""
    lines: list[str] = []
    if diff.same_shape:
        lines.append("shape: same")
    else:
        counts = [
            f"{len(diff.added)} added" if diff.added else "",
            f"{len(diff.removed)} removed" if diff.removed else "",
            f"{len(diff.type_changed)} type changed" if diff.type_changed else "",
        ]
        lines.append("shape: " + ", ".join(c for c in counts if c))
        width = max(
            len(path or ".")
            for path in [p for p, _ in diff.added]
            + [p for p, _ in diff.removed]
            + [c.path for c in diff.type_changed]
        )
        width = min(width, 60)
        lines += [f"+ {path.ljust(width)}  {entry.type_text}" for path, entry in diff.added]
        lines += [f"- {path.ljust(width)}  {entry.type_text}" for path, entry in diff.removed]
        lines += [
            f"~ {(c.path or '.').ljust(width)}  {'|'.join(c.before)} → {'|'.join(c.after)}"
            for c in diff.type_changed
        ]
    if diff.values is not None:
        lines.append(f"values: {len(diff.values)} changed" if diff.values else "values: same")
        for change in diff.values:
            if change.kind == "changed":
                lines.append(f"  ~ {change.path or '.'}: {_json(change.before)} → {_json(change.after)}")
            elif change.kind == "added":
                lines.append(f"  + {change.path or '.'} = {_json(change.after)}")
            else:
                lines.append(f"  - {change.path or '.'} = {_json(change.before)}")
    if diff.broken:
        lines.append("broken Set Variables rows (resolve in A, not in B):")
        lines += [f"  {b.row.name} → {{{{{b.row.publishes}}}}}: {b.problem}" for b in diff.broken]
    return "\n".join(safe_text(line, single_line=True) for line in lines)


def _json(value: Any) -> str:
    return safe_json(value)
