"""`python -m tui` is the same as the `hookbench` console script."""

from tui.cli import console

console()
