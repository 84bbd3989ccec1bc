"""Split a pasted command line into words, as the shell that would run it does.

Two dialects arrive: a POSIX shell line from API docs or a browser's "Copy as cURL (bash)",
and the Windows cmd form a browser copies ("Copy as cURL (cmd)"), where `^` escapes and
continues lines and the C runtime then splits the words. An unquoted or double-quoted
`$NAME` / `${NAME}` is a reference to the environment: it becomes `{{env.NAME}}`, so a
command that reads its credentials from the shell imports as a profile that reads them
from hookbench's environment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.errors import ImportSourceError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENDS = frozenset(";|&")
_ANSI_C = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


@dataclass(frozen=True)
class Words:
    """The words of the first command on the line, and what the splitter left out."""

    words: tuple[str, ...]
    notes: tuple[str, ...] = ()


def env_reference(name: str) -> str:
    """How a shell variable reads in a hookbench template."""
    return "{{env." + name + "}}"


def is_windows_form(text: str) -> bool:
    """cmd's form: `^"` quoting or lines continued by a trailing `^`."""
    return '^"' in text or bool(re.search(r"\^\r?\n", text))


def split_command(text: str) -> Words:
    """Words of `text` in whichever dialect it is written."""
    return split_windows(text) if is_windows_form(text) else split_posix(text)


def split_posix(text: str) -> Words:
    """POSIX shell words: quotes, `$'…'`, backslash escapes and continuations, `$VAR`.

    Stops at the end of the first command (`;`, `|`, `&`), noting what followed.
    """
    return _PosixSplitter(text).run()


class _PosixSplitter:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.words: list[str] = []
        self.notes: list[str] = []

    def run(self) -> Words:
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char in " \t\r\n":
                self.at += 1
            elif char == "\\" and text[self.at + 1 : self.at + 2] == "\n":
                self.at += 2
            elif char == "#":
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end
            elif char in _ENDS:
                rest = text[self.at :].strip()
                if rest.strip(";&| \t\r\n"):
                    self.notes.append(f"ignored what follows the command: {_short(rest)}")
                break
            else:
                self.words.append(self.word())
        return Words(tuple(self.words), tuple(self.notes))

    def word(self) -> str:
        text = self.text
        parts: list[str] = []
        while self.at < len(text):
            char = text[self.at]
            if char in " \t\r\n" or char in _ENDS:
                break
            if char == "\\":
                following = text[self.at + 1 : self.at + 2]
                if not following:
                    raise ImportSourceError("the command ends with a lone backslash")
                self.at += 2
                if following != "\n":
                    parts.append(following)
            elif char == "'":
                end = text.find("'", self.at + 1)
                if end < 0:
                    raise ImportSourceError("a single quote (') is never closed")
                parts.append(text[self.at + 1 : end])
                self.at = end + 1
            elif char == '"':
                parts.append(self.double_quoted())
            elif char == "$" and text[self.at + 1 : self.at + 2] == "'":
                parts.append(self.ansi_c())
            elif char == "$":
                parts.append(self.dollar())
            elif char == "`":
                parts.append(self.substitution("`", "`"))
            else:
                parts.append(char)
                self.at += 1
        return "".join(parts)

    def double_quoted(self) -> str:
        text = self.text
        self.at += 1
        parts: list[str] = []
        while True:
            if self.at >= len(text):
                raise ImportSourceError('a double quote (") is never closed')
            char = text[self.at]
            if char == '"':
                self.at += 1
                return "".join(parts)
            if char == "\\" and text[self.at + 1 : self.at + 2] in ('"', "\\", "$", "`", "\n"):
                if text[self.at + 1] != "\n":
                    parts.append(text[self.at + 1])
                self.at += 2
            elif char == "$":
                parts.append(self.dollar())
            elif char == "`":
                parts.append(self.substitution("`", "`"))
            else:
                parts.append(char)
                self.at += 1

    def dollar(self) -> str:
        """`$NAME`, `${NAME}` → an env reference; `$(…)` is kept as text with a note."""
        text = self.text
        rest = text[self.at + 1 :]
        if rest.startswith("("):
            return self.substitution("$(", ")")
        if rest.startswith("{"):
            end = rest.find("}")
            name = rest[1:end] if end > 0 else ""
            if _NAME.fullmatch(name):
                self.at += end + 2
                return env_reference(name)
        found = _NAME.match(rest)
        if found:
            self.at += 1 + found.end()
            return env_reference(found.group(0))
        self.at += 1
        return "$"

    def substitution(self, opener: str, closer: str) -> str:
        """A command substitution cannot be run here: kept as written, and noted."""
        end = self.text.find(closer, self.at + len(opener))
        if end < 0:
            raise ImportSourceError(f"a command substitution {opener}… is never closed")
        written = self.text[self.at : end + 1]
        self.at = end + 1
        self.notes.append(f"command substitution {_short(written)} is not run; kept as text")
        return written

    def ansi_c(self) -> str:
        """`$'…'`: bash's quoting with C escapes (`\\n`, `\\x41`, `\\u00e9`, `\\'`)."""
        text = self.text
        self.at += 2
        parts: list[str] = []
        while True:
            if self.at >= len(text):
                raise ImportSourceError("a $'…' quote is never closed")
            char = text[self.at]
            if char == "'":
                self.at += 1
                return "".join(parts)
            if char != "\\":
                parts.append(char)
                self.at += 1
                continue
            code = text[self.at + 1 : self.at + 2]
            self.at += 2
            if code in _ANSI_C:
                parts.append(_ANSI_C[code])
            elif code in ("x", "u", "U"):
                width = {"x": 2, "u": 4, "U": 8}[code]
                digits = re.match(f"[0-9A-Fa-f]{{1,{width}}}", text[self.at :])
                if digits is None:
                    parts.append("\\" + code)
                else:
                    parts.append(chr(int(digits.group(0), 16)))
                    self.at += digits.end()
            elif code.isdigit() and code < "8":
                digits = re.match(r"[0-7]{0,2}", text[self.at :])
                assert digits is not None
                parts.append(chr(int(code + digits.group(0), 8)))
                self.at += digits.end()
            else:
                parts.append("\\" + code)


def split_windows(text: str) -> Words:
    """cmd.exe's layer (`^` escapes, `^`-newline continuations), then the C runtime's word rules."""
    return Words(tuple(_crt_words(_cmd_layer(text))))


def _cmd_layer(text: str) -> list[tuple[str, bool]]:
    """Characters after cmd.exe: each with whether it was escaped by `^` (a `^"` still quotes for
    the C runtime, so only the caret goes). Inside cmd's own double quotes `^` is literal."""
    out: list[tuple[str, bool]] = []
    quoted = False
    at = 0
    while at < len(text):
        char = text[at]
        if char == "^" and not quoted:
            following = text[at + 1 : at + 2]
            if following == "\r" and text[at + 2 : at + 3] == "\n":
                at += 1
                following = "\n"
            if following == "\n":  # a continuation: the first character of the next line is literal
                at += 2
                if at < len(text):
                    out.append((text[at], True))
                    at += 1
                continue
            if following:
                out.append((following, True))
                at += 2
                continue
        if char == '"':
            quoted = not quoted
        out.append((char, False))
        at += 1
    return out


def _crt_words(chars: list[tuple[str, bool]]) -> list[str]:
    """Microsoft C runtime argument rules: `"` toggles quoting, `\\"` is a quote, `2n` backslashes
    before a quote are `n` backslashes."""
    words: list[str] = []
    current: list[str] = []
    in_word = quoted = False
    at = 0
    while at < len(chars):
        char, escaped = chars[at]
        if char in " \t\r\n" and not quoted:
            if char == "\n" and escaped:
                current.append(char)
                in_word = True
            elif in_word:
                words.append("".join(current))
                current, in_word = [], False
            at += 1
            continue
        in_word = True
        if char == "\\":
            run = 0
            while at + run < len(chars) and chars[at + run][0] == "\\":
                run += 1
            if at + run < len(chars) and chars[at + run][0] == '"':
                current.append("\\" * (run // 2))
                at += run
                if run % 2:
                    current.append('"')
                    at += 1
                continue
            current.append("\\" * run)
            at += run
            continue
        if char == '"':
            quoted = not quoted
        else:
            current.append(char)
        at += 1
    if quoted:
        raise ImportSourceError('a double quote (") is never closed')
    if in_word:
        words.append("".join(current))
    return words


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
