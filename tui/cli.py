"""The `hookbench` command: headless commands (run, paths, sandbox) and the app launchers.

Headless commands must start fast over SSH, so nothing here imports Textual; the app is
imported only by the commands that open it. Data goes to stdout, diagnostics to stderr,
and the exit code is chosen in one place (`main`): 0 success route, 1 failure route,
2 usage, profile or template errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import HookbenchError

if TYPE_CHECKING:
    from tui.core.variables import Variables

EXIT_SUCCESS, EXIT_FAILURE_ROUTE, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hookbench",
        description="A terminal workbench for webhook modules. Without a command, opens the workbench.",
    )
    parser.add_argument(
        "--profiles",
        type=Path,
        default=None,
        help="profiles folder for the workbench (default ./profiles)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="send a profile's request and print route and variables")
    run.add_argument("profile", type=Path)
    _add_variable_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object")
    run.add_argument("--dry-run", action="store_true", help="print the rendered request; send nothing")
    run.add_argument(
        "--max-body",
        type=_size,
        default=None,
        metavar="BYTES",
        help="response size cap (default 50MB; accepts k/M suffixes)",
    )
    run.add_argument("--no-history", action="store_true", help="leave no record of this run in the history")

    paths = commands.add_parser("paths", help="print every leaf of a JSON or XML document as `path = value`")
    paths.add_argument("file", nargs="?", default="-", help="file to read, or - for stdin")

    sandbox = commands.add_parser("sandbox", help="run the embedded demo API")
    sandbox.add_argument(
        "--port",
        type=_port,
        default=8765,
        help="port on 127.0.0.1 (default 8765, which the example profiles use; 0 picks a free one)",
    )

    demo = commands.add_parser(
        "demo", help="start the sandbox and open the workbench on the example profiles"
    )
    demo.add_argument(
        "--profiles",
        dest="demo_profiles",
        type=Path,
        default=None,
        help="profiles folder (default: a working copy of the bundled examples)",
    )

    open_ = commands.add_parser("open", help="open one profile in the workbench")
    open_.add_argument("profile", type=Path)
    _add_variable_options(open_)

    from tui.commands.flow import register as register_flow

    register_flow(commands)

    from tui.commands.history import register as register_history

    register_history(commands)
    return parser


def _add_variable_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable (repeatable; highest precedence)",
    )
    parser.add_argument("--vars-file", type=Path, help="TOML file of variables")
    parser.add_argument("--env-file", type=Path, help=".env file for {{env.NAME}}")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0–65535, not {port}")
    return port


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    text = text.strip().lower().removesuffix("b")
    try:
        size = int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from exc
    if size <= 0:
        raise argparse.ArgumentTypeError(f"a size must be more than 0, not {text!r}")
    return size


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return command_run(args)
        if args.command == "paths":
            return command_paths(args)
        if args.command == "flow":
            from tui.commands.flow import run as command_flow

            return command_flow(args)
        if args.command == "history":
            from tui.commands.history import run as command_history

            return command_history(args)
        if args.command == "sandbox":
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
        return command_app(args)
    except HookbenchError as exc:
        print(f"hookbench: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()  # `hookbench paths big.json | head` is not an error
        return EXIT_SUCCESS
    except KeyboardInterrupt:
        print("hookbench: interrupted", file=sys.stderr)
        return 130


def variables_from_args(args: argparse.Namespace) -> Variables:
    """The Variables chain built from --var, --vars-file and --env-file."""
    from tui.core.variables import Variables, parse_assignment, read_env_file, read_vars_file

    return Variables(
        vars_file=read_vars_file(args.vars_file) if args.vars_file else {},
        env_file=read_env_file(args.env_file) if args.env_file else {},
        overrides=dict(parse_assignment(item) for item in args.var),
    )


def command_run(args: argparse.Namespace) -> int:
    from tui.core.profile import read_module
    from tui.core.render import render_request

    module = read_module(args.profile)
    variables = variables_from_args(args)
    base_dir = args.profile.resolve().parent
    if args.dry_run:
        from tui.cli_output import format_request

        print(format_request(render_request(module, variables, base_dir=base_dir)))
        return EXIT_SUCCESS
    from tui.cli_output import format_result, result_json
    from tui.core.run import run_module_sync

    options: dict[str, Any] = {"base_dir": base_dir}
    if args.max_body is not None:
        options["max_body_bytes"] = args.max_body
    result = run_module_sync(module, variables, **options)
    if args.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
    else:
        print(format_result(module, result))
    if not args.no_history:
        from tui.commands.history import record_run

        record_run(args.profile, module, result)
    return EXIT_SUCCESS if result.ok else EXIT_FAILURE_ROUTE


def command_paths(args: argparse.Namespace) -> int:
    from tui.core.documents import parse_document
    from tui.core.paths import format_leaf_line, iter_leaves

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
    out = sys.stdout
    batch: list[str] = []
    for path, value in iter_leaves(document):
        batch.append(format_leaf_line(path, value))
        if len(batch) >= 4096:
            out.write("\n".join(batch) + "\n")
            batch.clear()
    if batch:
        out.write("\n".join(batch) + "\n")
    out.flush()
    return EXIT_SUCCESS


def command_app(args: argparse.Namespace) -> int:
    """Open the Textual workbench (the only place Textual gets imported)."""
    from tui.app.launch import launch

    return launch(args)


if __name__ == "__main__":
    raise SystemExit(main())
