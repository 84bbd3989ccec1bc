"""The `hookbench` subcommands, one module each (`tui.cli` builds the parser from them).

Each module offers `register(subparsers)` (adds its parser and sets `handler`) and
`run(args) -> int`; `common` holds the exit codes and the options they share, `output` how
a request and a run are printed. Registering is cheap: heavy imports (httpx, tomlkit, the
flow engine) happen inside `run`, and only `app` imports Textual, when it opens the workbench.
"""
