"""The Diff tab: the response shown against the previous one of the same profile.

Added paths green, removed red, type changes yellow, broken Set Variables rows marked in
bold red. The screen computes the diff (`tui.core.recorded.diff_with_previous`) in a thread
and hands it down; this widget only draws it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.app.safe import append_safe, safe
from tui.core.diff import ShapeDiff

MAX_PATHS = 500  # per kind: a vendor's rewrite should not build a 30,000-line widget

ADDED, REMOVED, CHANGED, BROKEN = "green", "red", "yellow", "bold red"


def diff_text(diff: ShapeDiff, against: str) -> Text:
    """The diff as styled lines: `+ path  type` green, `- path  type` red, `~ path  a → b` yellow."""
    text = Text()
    append_safe(text, f"against {against}", "dim")
    text.append("\n")
    if diff.same_shape:
        text.append("same shape: no path added, removed or retyped\n", "green")
    else:
        parts = [
            (len(diff.added), "added", ADDED),
            (len(diff.removed), "removed", REMOVED),
            (len(diff.type_changed), "type changed", CHANGED),
        ]
        text.append("shape changed: ")
        text.append_text(Text(", ").join(Text(f"{n} {what}", style) for n, what, style in parts if n))
        text.append("\n")
        _lines(text, [f"+ {path}  {entry.type_text}" for path, entry in diff.added], ADDED)
        _lines(text, [f"- {path}  {entry.type_text}" for path, entry in diff.removed], REMOVED)
        _lines(
            text,
            [f"~ {c.path or '.'}  {'|'.join(c.before)} → {'|'.join(c.after)}" for c in diff.type_changed],
            CHANGED,
        )
    if diff.broken:
        text.append("\nbroken Set Variables rows (resolved before, not now):\n", BROKEN)
        for broken in diff.broken:
            append_safe(text, f"✗ {broken.row.name} → {{{{{broken.row.publishes}}}}}", BROKEN)
            append_safe(text, f"  {broken.problem}", "red")
            text.append("\n")
    return text


def _lines(text: Text, lines: list[str], style: str) -> None:
    for line in lines[:MAX_PATHS]:  # paths quote control characters already; keys are outside text
        append_safe(text, line, style)
        text.append("\n")
    if len(lines) > MAX_PATHS:
        text.append(f"… {len(lines) - MAX_PATHS} more\n", "dim")


class DiffView(VerticalScroll):
    """Shows a ShapeDiff, or why there is none."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown = Text("(send, or map against a record: the Diff compares with the previous response)")
        self._text = Static(self.shown, id="diff-text")

    def compose(self) -> ComposeResult:
        yield self._text

    def show_message(self, message: str) -> None:
        self.shown = safe(message, "dim", single_line=False)
        self._text.update(self.shown)

    def show_diff(self, diff: ShapeDiff, against: str) -> None:
        self.shown = diff_text(diff, against)
        self._text.update(self.shown)
