"""safe_text: what a terminal could obey is shown as an escape; everything else is kept."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.safe_text import safe_spans, safe_text

OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"


def is_control(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ünïcode ✓", "plain text, ünïcode ✓"),
        (OSC52, "\\u001b]52;c;ZWNobyBwd25lZA==\\u0007"),
        ("\x1b]0;title\x07", "\\u001b]0;title\\u0007"),
        ("\x1b[2Jgone", "\\u001b[2Jgone"),
        ("c1 csi \x9b2J and del \x7f", "c1 csi \\u009b2J and del \\u007f"),
        ("nul \x00 bs \x08 vt \x0b ff \x0c", "nul \\u0000 bs \\u0008 vt \\u000b ff \\u000c"),
        ("lines\nand\ttabs", "lines\nand\ttabs"),
        ("crlf\r\nkept", "crlf\r\nkept"),
        ("ls\rrm -rf ~", "ls\\u000drm -rf ~"),
        ("end\r", "end\\u000d"),
        ("\x85 next line, \xa0 no-break space", "\\u0085 next line, \xa0 no-break space"),
    ],
)
def test_multi_line(text: str, shown: str) -> None:
    assert safe_text(text) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\u000ab"),
        ("a\r\nb", "a\\u000d\\u000ab"),
        ("tab\tstays", "tab\tstays"),
        (OSC52, "\\u001b]52;c;ZWNobyBwd25lZA==\\u0007"),
    ],
)
def test_single_line(text: str, shown: str) -> None:
    assert safe_text(text, single_line=True) == shown


def test_spans_mark_the_escapes() -> None:
    assert safe_spans("a\x1b[2Jb\x07") == [
        ("a", False),
        ("\\u001b", True),
        ("[2Jb", False),
        ("\\u0007", True),
    ]
    assert safe_spans("") == [("", False)]
    assert safe_spans("plain") == [("plain", False)]


def test_json_stays_exact_json() -> None:
    value = {"\x1b]0;k\x07": "v\x9b2J\x7f", "n": [1, "\u0085"]}
    shown = safe_text(json.dumps(value, ensure_ascii=False, indent=2))
    assert not any(is_control(c) for c in shown if c != "\n")
    assert json.loads(shown) == value


@given(st.text(), st.booleans())
def test_no_control_character_survives(text: str, single_line: bool) -> None:
    shown = safe_text(text, single_line=single_line)
    allowed = "\t" if single_line else "\t\n"
    for index, char in enumerate(shown):
        if is_control(char) and char not in allowed:
            assert char == "\r" and not single_line and shown[index + 1 : index + 2] == "\n"
    assert "".join(piece for piece, _ in safe_spans(text, single_line=single_line)) == shown
    if not any(is_control(c) for c in text):
        assert shown == text


def test_safe_message_writes_repr_escapes_in_the_same_notation() -> None:
    from tui.core.safe_text import safe_message

    quoted = repr("a\x1b]0;T\x07 c\x9b d\\x1b e\n")  # a literal backslash-x1b stays text
    assert safe_message(f"url {quoted} is bad") == "url 'a\\u001b]0;T\\u0007 c\\u009b d\\\\x1b e\\n' is bad"
    assert safe_message("raw \x1b[2J here") == "raw \\u001b[2J here"
