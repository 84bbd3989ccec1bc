"""The Textual workbench. Only `tui.commands.app` imports this package (when it opens the app)."""
