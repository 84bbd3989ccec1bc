"""Widgets of the workbench; each talks to its parent through messages."""
