"""`hookbench import KIND SOURCE`: turn what API vendors publish into profiles.

One subcommand per kind of source (`curl` today); each reads its source with a pure importer
from `tui.core.importers` and hands the result to `write_and_report`, which moves secrets to
the profiles folder's `.env`, writes the files and prints the report. Exit 0 when everything
was imported, 1 when some requests were skipped, 2 for input that cannot be imported
(nothing is written then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.commands.common import EXIT_FAILURE_ROUTE, EXIT_SUCCESS

if TYPE_CHECKING:
    from tui.core.importers import Imported
    from tui.core.importers.writing import Written

DEFAULT_FOLDER = Path("profiles")


def register(subparsers: Any) -> None:
    """Add `import` and its kinds to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "import",
        help="import a curl command into a profile (secrets go to profiles/.env)",
        description="Import what API vendors publish. Literal secrets (Authorization, cookies, "
        "api keys) are moved to the .env beside the profiles and referenced as {{env.NAME}}.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for register_kind in (_register_curl,):
        register_kind(kinds)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """What every kind of import takes: keeping secrets literal, replacing existing files."""
    parser.add_argument(
        "--keep-secrets",
        action="store_true",
        help="write credentials into the profile as they are (default: moved to .env)",
    )
    parser.add_argument("--force", action="store_true", help="replace profiles that already exist")


def _register_curl(kinds: Any) -> None:
    curl = kinds.add_parser(
        "curl",
        help="a curl command, as API docs or a browser print it",
        description="Import one curl command (POSIX shell or Windows cmd form) into a profile. "
        "Options hookbench does not read are listed in a warning.",
    )
    curl.add_argument("command", metavar="'curl …'", help="the curl command as one argument; - reads stdin")
    curl.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PROFILE.toml",
        help="where to write it (default: profiles/<host>-<method>-<path>.toml)",
    )
    add_common_options(curl)
    curl.set_defaults(handler=run_curl)


def run_curl(args: argparse.Namespace) -> int:
    """Read the command (or stdin), import it, write the profile, print the report."""
    from dataclasses import replace
    from pathlib import PurePosixPath

    from tui.core.importers.curl import import_curl
    from tui.core.importers.writing import place_files

    text = sys.stdin.read() if args.command == "-" else args.command
    imported = import_curl(text, source_dir=Path.cwd())
    folder = args.output.parent if args.output is not None else DEFAULT_FOLDER
    profiles = tuple(
        place_files(
            replace(profile, path=PurePosixPath(args.output.name)) if args.output is not None else profile,
            Path.cwd(),
            folder,
        )
        for profile in imported.profiles
    )
    return write_and_report(replace(imported, profiles=profiles), folder, args)


def write_and_report(imported: Imported, folder: Path, args: argparse.Namespace) -> int:
    """Write the import under `folder`, print what was written and moved; the exit code."""
    from tui.core.importers.writing import write_import

    written = write_import(imported, folder, keep_secrets=args.keep_secrets, overwrite=args.force)
    for warning in imported.warnings:
        print(f"hookbench: warning: {_safe(warning)}", file=sys.stderr)
    print(format_report(imported, written))
    return EXIT_FAILURE_ROUTE if imported.skipped else EXIT_SUCCESS


def format_report(imported: Imported, written: Written) -> str:
    """One line per profile (with its notes), each skipped request, each secret moved, totals."""
    lines: list[str] = []
    for profile, path in zip(imported.profiles, written.profiles):
        request = profile.module.request
        lines.append(f"imported {_safe(str(path))}  ({request.method} {_safe(request.url)})")
        lines += [f"  note: {_safe(note)}" for note in profile.notes]
    lines += [f"skipped {_safe(skip.name)}: {_safe(skip.reason)}" for skip in imported.skipped]
    for secret in written.secrets:
        lines.append(f"secret moved: {_safe(secret.where)} → {{{{env.{secret.name}}}}} in {written.dotenv}")
    count = len(written.profiles)
    total = f"{count} profile{'s' if count != 1 else ''} imported"
    if imported.skipped:
        total += f", {len(imported.skipped)} skipped"
    if written.secrets:
        total += f", {len(written.secrets)} secret{'s' if len(written.secrets) != 1 else ''} moved to {written.dotenv}"
    lines.append(total)
    return "\n".join(lines)


def _safe(text: str) -> str:
    """Outside text (the source's URLs, names, options) on one line, control characters escaped."""
    from tui.core.safe_text import safe_text

    return safe_text(text, single_line=True)
