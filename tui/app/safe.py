"""Outside text as Rich `Text` for the screen: `tui.core.safe_text`'s escapes, shown dim.

Every widget that shows a response, a header, a history record or a message quoting them
builds its text here (or, where only a `str` is accepted, calls `safe_text`), so that no
control sequence from a server reaches the terminal, and an escape stands out from text
that merely looks like one.
"""

from __future__ import annotations

from rich.text import Text

from tui.core.safe_text import safe_spans

ESCAPE_STYLE = "dim"


def safe(text: str, style: str = "", *, single_line: bool = True) -> Text:
    """`text` ready to show: control characters as dim `\\u001b` escapes, never markup."""
    out = Text(style=style)
    for piece, escaped in safe_spans(text, single_line=single_line):
        out.append(piece, ESCAPE_STYLE if escaped else None)
    return out


def append_safe(out: Text, text: str, style: str = "", *, single_line: bool = True) -> None:
    """Append `text` to `out` as `safe` shows it."""
    for piece, escaped in safe_spans(text, single_line=single_line):
        out.append(piece, f"{style} {ESCAPE_STYLE}".strip() if escaped else style or None)
