"""hookbench: a terminal workbench for webhook modules."""

__version__ = "0.1.0"
