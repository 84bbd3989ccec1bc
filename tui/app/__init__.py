"""The Textual workbench. Only the commands that open the workbench (`tui.commands.app`, `demo`, `open_`) import it, when they run."""
