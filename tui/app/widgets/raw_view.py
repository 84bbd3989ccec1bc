"""A virtual, line-oriented text view: renders only visible lines, highlights them lazily.

A 45 MB body is millions of lines; a TextArea holding it all takes tens of seconds.
Here the text is split into lines once, and each visible line is highlighted with pygments
on first render and cached, so scrolling costs the lines on screen, not the document.
Find works the same way: `highlight(query)` marks occurrences only as lines are drawn.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.safe import ESCAPE_STYLE
from tui.core.safe_text import safe_spans, safe_text

_MAX_WIDTH = 2000  # cells; longer lines are cut on screen (the text itself is kept whole)
_MATCH = Style(color="black", bgcolor="yellow")
_CURRENT = Style(color="black", bgcolor="bright_green", bold=True)


class RawView(ScrollView, can_focus=True):
    """Shows a body's text; `load(text, kind)` replaces it."""

    BINDINGS = [
        ("home", "scroll_home", "Top"),
        ("end", "scroll_end", "Bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[str] = []
        self._lexer: Any = None  # a pygments lexer; None for plain text
        self._cache: dict[int, Strip] = {}
        self._find = ""  # lower-cased query whose occurrences are highlighted
        self._current: tuple[int, int] | None = None  # (line, column) of the current match

    @property
    def line_count(self) -> int:
        return len(self._lines)

    @property
    def text(self) -> str:
        return "\n".join(self._lines)

    @property
    def lines(self) -> list[str]:
        """The lines shown (read-only: a finder walks them in a thread)."""
        return self._lines

    def highlight(self, query: str) -> None:
        """Mark the occurrences of `query` (case-insensitive) in the lines drawn; "" marks none."""
        self._find = query.lower()
        self._current = None
        self._cache.clear()
        self.refresh()

    def show_match(self, line: int, column: int) -> None:
        """Make the occurrence at (line, column) the current one and scroll it into view."""
        self._current = (line, column)
        self._cache.clear()
        height, width = self.scrollable_content_region.height, self.scrollable_content_region.width
        x, y = self.scroll_offset
        if not y <= line < y + height:
            y = max(0, line - height // 3)
        if not x <= column < x + width - len(self._find):
            x = max(0, column - width // 4)
        self.scroll_to(x, y, animate=False)
        self.refresh()

    def load(self, text: str | list[str], kind: str = "text") -> None:
        """Replace the content; `kind` picks the highlighter (json, xml, anything else plain).

        A big body should arrive as lines already split (in a worker thread): splitting
        tens of megabytes here would block input.
        """
        self._lines = (split_lines(text) if isinstance(text, str) else text) or [""]
        self._lexer = _lexer_for(kind)
        self._cache.clear()
        self._current = None
        width = min(_MAX_WIDTH, max((len(line) for line in self._lines[:5000]), default=0))
        self.virtual_size = Size(width, len(self._lines))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._highlight(index)
            if len(self._cache) > 4000:
                self._cache.clear()
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _highlight(self, index: int) -> Strip:
        """One line, highlighted; control characters in it shown as dim escapes, never sent raw."""
        line = self._lines[index].removesuffix("\r")[:_MAX_WIDTH].expandtabs(4)
        text = Text(no_wrap=True, end="")
        if self._lexer is None:
            tokens: Any = [(None, line)]
        else:
            tokens = self._lexer.get_tokens(line)
        for token_type, value in tokens:
            style = _style_for(token_type) if token_type is not None else None
            for piece, escaped in safe_spans(value.rstrip("\n"), single_line=True):
                text.append(piece, ESCAPE_STYLE if escaped else style)
        if self._find:
            self._mark(text, index)
        segments = [
            Segment(s.text, self.rich_style + s.style if s.style else self.rich_style)
            for s in text.render(self.app.console)
        ]
        return Strip(segments)

    def _mark(self, text: Text, index: int) -> None:
        """Highlight the query's occurrences in one line being drawn.

        The current match's column counts characters of the line as received; on screen,
        tabs are expanded and control characters escaped, so it is converted first.
        """
        lowered, size = text.plain.lower(), len(self._find)
        current_column = None
        if self._current is not None and self._current[0] == index:
            received = self._lines[index][: self._current[1]].expandtabs(4)
            current_column = len(safe_text(received, single_line=True))
        column = lowered.find(self._find)
        while column >= 0:
            text.stylize(_CURRENT if column == current_column else _MATCH, column, column + size)
            column = lowered.find(self._find, column + size)


def split_lines(text: str) -> list[str]:
    """Lines as a terminal would end them: at `\\n` only (a CRLF's `\\r` is dropped when drawn).

    `str.splitlines` also breaks at a lone `\\r`, form feed, `\\x1c`–`\\x1e` and U+0085;
    here those stay in the line and are drawn as visible escapes, so Raw hides nothing.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _lexer_for(kind: str) -> Any:
    """pygments is imported on first use: it is not needed for the first screen."""
    if kind == "json":
        from pygments.lexers.data import JsonLexer

        return JsonLexer()
    if kind == "xml":
        from pygments.lexers.html import XmlLexer

        return XmlLexer()
    return None


@lru_cache(maxsize=256)
def _style_for(token_type: Any) -> Style:
    return _theme().get_style_for_token(token_type)


@lru_cache(maxsize=1)
def _theme() -> Any:
    from rich.syntax import PygmentsSyntaxTheme

    return PygmentsSyntaxTheme("monokai")
