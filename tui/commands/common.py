"""What every `hookbench` command shares: exit codes, the variable options, argument types.

Imported when the parser is built, so it stays cheap: argparse and pathlib only; the
variables machinery is imported when a command actually reads its options.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.variables import Variables

EXIT_SUCCESS, EXIT_FAILURE_ROUTE, EXIT_ERROR = 0, 1, 2
EXIT_DRIFT = 3  # `diff` and `check`: the response's shape changed, or a Set Variables row broke
EXIT_INTERRUPTED = 130


def add_variable_options(parser: argparse.ArgumentParser) -> None:
    """--var, --vars-file and --env-file, read back by `variables_from_args`."""
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable (repeatable; highest precedence)",
    )
    parser.add_argument("--vars-file", type=Path, help="TOML file of variables")
    parser.add_argument("--env-file", type=Path, help=".env file for {{env.NAME}}")


def variables_from_args(args: argparse.Namespace) -> Variables:
    """The Variables chain built from --var, --vars-file and --env-file."""
    from tui.core.variables import Variables, parse_assignment, read_env_file, read_vars_file

    return Variables(
        vars_file=read_vars_file(args.vars_file) if args.vars_file else {},
        env_file=read_env_file(args.env_file) if args.env_file else {},
        overrides=dict(parse_assignment(item) for item in args.var),
    )


def port(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0–65535, not {number}")
    return number


def size(text: str) -> int:
    """An argparse type: a byte count above 0, with optional k/M/G suffix (`50M`, `512kb`)."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    text = text.strip().lower().removesuffix("b")
    try:
        count = int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from exc
    if count <= 0:
        raise argparse.ArgumentTypeError(f"a size must be more than 0, not {text!r}")
    return count


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value
