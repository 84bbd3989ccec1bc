"""The engine: model, profiles, templates, dot paths, sending, decoding, routes.

Nothing below this package imports Textual. Import from the submodules
(`tui.core.profile`, `tui.core.run`, …): this file re-exports nothing on purpose, so that
`hookbench paths` does not pay for httpx and `hookbench run` does not pay for tomlkit.
"""
