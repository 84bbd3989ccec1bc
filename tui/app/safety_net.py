"""What the app keeps when it must stop: the last inputs for a crash report, and the one line
printed after the terminal is restored (where the crash report and the recovery copy are)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from textual import events

INPUTS_KEPT = 50


def describe_input(event: events.Event) -> str | None:
    """A key by name, a click by place; typed and pasted text only as a length (it may be a secret)."""
    if isinstance(event, events.Key):
        return "key (a character)" if event.is_printable and len(event.key) == 1 else f"key {event.key}"
    if isinstance(event, events.MouseDown):
        return f"click at {event.screen_x},{event.screen_y}"
    if isinstance(event, events.Paste):
        return f"paste of {len(event.text)} characters"
    if isinstance(event, events.Resize):
        return f"resize to {event.size.width}x{event.size.height}"
    return None


def versions() -> dict[str, str]:
    """hookbench's version and its main libraries'."""
    found = {}
    for name in ("hookbench", "textual", "rich", "httpx", "tomlkit"):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def exit_line(report: Path | None, copy: Path | None, problem: str = "") -> str:
    """The one line printed on the restored terminal."""
    said = f"hookbench stopped on an unexpected error{problem}."
    said += f" Crash report: {report}." if report else " No crash report could be written."
    if copy is not None:
        said += f" Unsaved changes kept in {copy} (offered back when you open it again)."
    return said
