"""Split a pasted command line into words, as the shell that would run it does.

Two dialects arrive: a POSIX shell line from API docs or a browser's "Copy as cURL (bash)",
and the Windows cmd form a browser copies ("Copy as cURL (cmd)"), where `^` escapes and
continues lines and the C runtime then splits the words. An unquoted or double-quoted
`$NAME` / `${NAME}` (cmd: `%NAME%`) is a reference to the environment: it becomes `{{env.NAME}}`, so a
command that reads its credentials from the shell imports as a profile that reads them
from hookbench's environment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tui.core.errors import ImportSourceError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CMD_VARIABLE = re.compile(r"%([A-Za-z_][A-Za-z0-9_]*)%")
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
    """cmd's form: `^"` quoting, lines continued by a trailing `^`, or `curl.exe`."""
    return '^"' in text or bool(re.search(r"\^\r?\n|\A\s*curl\.exe\s", text, re.IGNORECASE))


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

    def until(self, closer: str, unclosed: str, read: Callable[[str], str]) -> str:
        """The text up to `closer` (consumed), each piece read by `read` from its first character."""
        parts: list[str] = []
        while True:
            if self.at >= len(self.text):
                raise ImportSourceError(unclosed)
            char = self.text[self.at]
            if char == closer:
                self.at += 1
                return "".join(parts)
            parts.append(read(char))

    def double_quoted(self) -> str:
        self.at += 1
        return self.until('"', 'a double quote (") is never closed', self.in_double_quotes)

    def in_double_quotes(self, char: str) -> str:
        """One piece inside double quotes: `\\"`-style escapes, `$NAME`, a substitution, a character."""
        text = self.text
        if char == "\\" and text[self.at + 1 : self.at + 2] in ('"', "\\", "$", "`", "\n"):
            self.at += 2
            return "" if text[self.at - 1] == "\n" else text[self.at - 1]
        if char == "$":
            return self.dollar()
        if char == "`":
            return self.substitution("`", "`")
        self.at += 1
        return char

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
        self.at += 2
        return self.until("'", "a $'…' quote is never closed", self.in_ansi_c)

    def in_ansi_c(self, char: str) -> str:
        """One character or C escape inside `$'…'`."""
        text = self.text
        if char != "\\":
            self.at += 1
            return char
        code = text[self.at + 1 : self.at + 2]
        self.at += 2
        if code in _ANSI_C:
            return _ANSI_C[code]
        if code in ("x", "u", "U"):
            width = {"x": 2, "u": 4, "U": 8}[code]
            digits = re.match(f"[0-9A-Fa-f]{{1,{width}}}", text[self.at :])
            if digits is None:
                return "\\" + code
            self.at += digits.end()
            return chr(int(digits.group(0), 16))
        if code.isdigit() and code < "8":
            digits = re.match(r"[0-7]{0,2}", text[self.at :])
            assert digits is not None
            self.at += digits.end()
            return chr(int(code + digits.group(0), 8))
        return "\\" + code


def split_windows(text: str) -> Words:
    """cmd.exe's layers (`%NAME%`, then `^` escapes and `^`-newline continuations), then the C
    runtime's word rules."""
    return Words(tuple(_crt_words(_cmd_layer(_cmd_variables(text)))))


def _cmd_variables(text: str) -> str:
    """cmd expands `%NAME%` before anything else (quotes do not stop it): an env reference, as
    `$NAME` is in POSIX form. Two hex digits (`%E2%82`) are a percent-encoded byte, not a name."""

    def reference(found: re.Match[str]) -> str:
        name = found.group(1)
        return found.group(0) if re.fullmatch(r"[0-9A-Fa-f]{2}", name) else env_reference(name)

    return _CMD_VARIABLE.sub(reference, text)


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
