"""`hookbench import KIND SOURCE`: turn what API vendors publish into profiles.

One subcommand per kind of source (curl, postman, openapi); each reads its source with a pure importer
from `tui.core.importers`, writes it (secrets moved to the profiles folder's `.env`) and prints
the report. Exit 0 when everything
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

DEFAULT_FOLDER = Path("profiles")


def register(subparsers: Any) -> None:
    """Add `import` and its kinds to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "import",
        help="import a curl command, a Postman collection or an OpenAPI document (secrets go to profiles/.env)",
        description="Import what API vendors publish. Literal secrets (Authorization, cookies, "
        "api keys) are moved to the .env beside the profiles and referenced as {{env.NAME}}.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for register_kind in (_register_curl, _register_postman, _register_openapi):
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
    from tui.core.importers.report import format_report
    from tui.core.importers.writing import place_files, write_import

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
    imported = replace(imported, profiles=profiles)
    written = write_import(imported, folder, keep_secrets=args.keep_secrets, overwrite=args.force)
    return _finish(imported, format_report(imported, written))


def _safe(text: str) -> str:
    """Outside text (the source's URLs, names, options) on one line, control characters escaped."""
    from tui.core.safe_text import safe_text

    return safe_text(text, single_line=True)


# --------------------------------------------------------------------------- postman, openapi


def _register_postman(kinds: Any) -> None:
    """`hookbench import postman COLLECTION.json [--environment ENV.json]... [-o DIR]`."""
    parser = kinds.add_parser(
        "postman",
        help="a Postman collection (v2.0, v2.1) and its environments",
        description="Import a Postman collection: folders become sub-folders, each request a "
        "profile; collection variables become [variables], each environment "
        "environments/NAME.toml; test scripts that set variables become Set Variables rows.",
    )
    parser.add_argument("collection", type=Path, metavar="COLLECTION.json")
    parser.add_argument(
        "--environment",
        "-e",
        type=Path,
        action="append",
        default=[],
        metavar="ENV.json",
        help="a Postman environment export (repeatable)",
    )
    _add_folder_options(parser, run_postman)


def _register_openapi(kinds: Any) -> None:
    """`hookbench import openapi SPEC.json|SPEC.yaml [-o DIR] [--tag T]...`."""
    parser = kinds.add_parser(
        "openapi",
        help="an OpenAPI 3.0 or 3.1 document (JSON or YAML)",
        description="Import an OpenAPI document: one profile per operation in a folder per tag, "
        "an environment per server, auth from its security schemes.",
    )
    parser.add_argument("spec", type=Path, metavar="SPEC")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="T", help="only operations with this tag (repeatable)"
    )
    _add_folder_options(parser, run_openapi)


def _add_folder_options(parser: argparse.ArgumentParser, handler: Any) -> None:
    """`-o DIR` (a document imports into a folder), the common options, the handler."""
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=DEFAULT_FOLDER,
        metavar="DIR",
        help=f"the profiles folder to write into (default: {DEFAULT_FOLDER})",
    )
    add_common_options(parser)
    parser.set_defaults(handler=handler)


def run_postman(args: argparse.Namespace) -> int:
    """Import the collection and environments, write them, print the report; the exit code."""
    from tui.core.importers.saving import import_postman_files

    return _finish(
        *import_postman_files(
            args.collection,
            args.environment,
            args.output,
            keep_secrets=args.keep_secrets,
            overwrite=args.force,
        )
    )


def run_openapi(args: argparse.Namespace) -> int:
    """Import the specification, write it, print the report; the exit code."""
    from tui.core.importers.saving import import_openapi_file

    return _finish(
        *import_openapi_file(
            args.spec, args.output, tags=args.tag, keep_secrets=args.keep_secrets, overwrite=args.force
        )
    )


def _finish(imported: Imported, report: str) -> int:
    """Warnings to stderr, the report to stdout; 1 when some requests were skipped."""
    for warning in imported.warnings:
        print(f"hookbench: warning: {_safe(warning)}", file=sys.stderr)
    print(report)
    return EXIT_FAILURE_ROUTE if imported.skipped else EXIT_SUCCESS
