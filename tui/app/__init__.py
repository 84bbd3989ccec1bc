"""The Textual workbench. Only `tui.cli` app commands import this package."""
