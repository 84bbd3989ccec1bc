"""`hookbench sandbox`: serve the embedded demo API on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.commands.common import EXIT_ERROR, EXIT_SUCCESS, port


def register(subparsers: Any) -> None:
    """Add the `sandbox` subcommand to `hookbench`'s subparsers."""
    parser = subparsers.add_parser("sandbox", help="run the embedded demo API")
    parser.add_argument(
        "--port",
        type=port,
        default=8765,
        help="port on 127.0.0.1 (default 8765, which the example profiles use; 0 picks a free one)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C; a port that cannot be bound is exit 2."""
    from tui.sandbox import serve_forever

    try:
        serve_forever(args.port)
    except OSError as exc:
        print(
            f"hookbench: error: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_SUCCESS
