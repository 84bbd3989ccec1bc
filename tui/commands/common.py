"""What every `hookbench` command shares: exit codes, the variable options, argument types.

Imported when the parser is built, so it stays cheap: argparse and pathlib only; the
variables machinery is imported when a command actually reads its options.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.environments import Environment
    from tui.core.variables import Variables

EXIT_SUCCESS, EXIT_FAILURE_ROUTE, EXIT_ERROR = 0, 1, 2
EXIT_DRIFT = 3  # `diff` and `check`: the response's shape changed, or a Set Variables row broke
EXIT_INTERRUPTED = 130


def add_variable_options(parser: argparse.ArgumentParser, *, sends: bool = True) -> None:
    """--var, --vars-file, --env-file and --env (read back by `environment_from_args` and
    `variables_from_args`); --yes too for commands that send without asking."""
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable (repeatable; highest precedence)",
    )
    parser.add_argument("--vars-file", type=Path, help="TOML file of variables")
    parser.add_argument("--env-file", type=Path, help=".env file for {{env.NAME}}")
    parser.add_argument(
        "--env",
        metavar="NAME",
        help="environment: environments/NAME.toml in the profiles folder (default $HOOKBENCH_ENV)",
    )
    if sends:
        parser.add_argument(
            "--yes",
            action="store_true",
            help="send anything but GET/HEAD to a protected environment without refusing",
        )


def environment_from_args(args: argparse.Namespace, folder: Path) -> Environment | None:
    """The environment `--env` (else $HOOKBENCH_ENV) names in `folder`, or None; its warnings
    go to stderr."""
    from tui.core.environments import chosen_name, load_environment

    name = chosen_name(getattr(args, "env", None))
    if name is None:
        return None
    environment = load_environment(folder, name)
    warn(environment.warnings)
    return environment


def variables_from_args(
    args: argparse.Namespace, folder: Path | None = None, environment: Environment | None = None
) -> Variables:
    """The Variables chain: `folder`'s .env, the environment, then --vars-file, --env-file, --var."""
    from tui.core.variables import build_variables

    return build_variables(
        folder,
        environment=environment,
        vars_file=args.vars_file,
        env_file=args.env_file,
        assignments=args.var,
    )


def confirm_protected(
    args: argparse.Namespace, environment: Environment | None, requests: Iterable[tuple[str, str]]
) -> None:
    """Refuse (exit 2) anything but GET/HEAD to a protected environment unless --yes was given."""
    from tui.core.environments import guard_protected

    if not getattr(args, "yes", False):
        guard_protected(environment, requests)


def warn(messages: Iterable[str]) -> None:
    """`hookbench: warning: …` on stderr, one line each."""
    from tui.core.safe_text import safe_message

    for message in messages:
        print(f"hookbench: warning: {safe_message(message, single_line=True)}", file=sys.stderr)


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
