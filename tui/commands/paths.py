"""`hookbench paths [FILE]`: every leaf of a JSON or XML document as `path = value`.

Lines are written in batches, so a pipe into `head` or `grep` sees output early. With
`--shape`, one line per path with list indices collapsed to `*`: `users.*.title  string  (2)`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.commands.common import EXIT_ERROR, EXIT_SUCCESS
from tui.core.safe_text import safe_text


def register(subparsers: Any) -> None:
    """Add the `paths` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser(
        "paths", help="print every leaf of a JSON or XML document as `path = value`"
    )
    parser.add_argument("file", nargs="?", default="-", help="file to read, or - for stdin")
    parser.add_argument(
        "--shape",
        action="store_true",
        help="one line per path with list indices collapsed to *: its type(s) and how often it occurs",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read the file (or stdin), parse it, print its leaves; parse errors raise HookbenchError."""
    from tui.core.documents import parse_document
    from tui.core.paths import leaf_text

    if args.file == "-":
        raw = sys.stdin.buffer.read()
        name = "stdin"
    else:
        try:
            raw = Path(args.file).read_bytes()
        except OSError as exc:
            print(f"hookbench: error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
        name = args.file
    document = parse_document(raw, name)
    del raw  # the document holds what is needed now
    out = sys.stdout
    if args.shape:
        from tui.core.shape import format_shape, shape_of

        out.write(
            "".join(safe_text(line, single_line=True) + "\n" for line in format_shape(shape_of(document)))
        )
        out.flush()
        return EXIT_SUCCESS
    for text in leaf_text(document):
        out.write(text)
    out.flush()
    return EXIT_SUCCESS
