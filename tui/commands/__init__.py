"""Headless subcommands that live outside `tui/cli.py`, one module each.

Each module offers `register(commands)` (adds its parser to the `hookbench` subparsers) and
`run(args) -> int`. Like the rest of the headless CLI, nothing here imports Textual, and heavy
imports (httpx, tomlkit) happen inside the functions that need them.
"""
