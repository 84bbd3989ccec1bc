"""JSON to Python values the way `json.loads` builds them, without holding the GIL for seconds.

`json.loads` of a 48 MB body is one C call: a UI thread waits for all of it. Here big
containers are cut into runs of siblings, each parsed by json's own C scanner in one call
of at most ~256 KB, so the parse yields the GIL between runs, can be cancelled, and reports
how far it got. Values, key order, duplicate keys and error messages (`JSONDecodeError`
with its line and column) are those of `json.loads`; a property test checks it.

A run is the text from the next sibling to a comma some way ahead, parsed as `[run]` (or
`{run}`). That parses only when the comma ends a sibling of this container: a comma inside a
string or a nested value leaves a bracket or a quote open. A run that does not parse (the
comma was inside, or the text is malformed) is retried shorter, and a value larger than a
run is walked the same way, one level down. Errors are raised by the scanner on the whole
text, so their positions are exact.

The containers being walked are kept in `open`, outermost first, with the key being read in
each: the `Progress` snapshots them for a preview, and a cancelled walk frees them from there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import JSONDecodeError, scanstring  # type: ignore[attr-defined]
from json.scanner import make_scanner
from typing import Any

from tui.core.bulk import dismantle
from tui.core.partial import json_partial
from tui.core.progress import Cancelled, Progress

SMALL = 1 << 20
"""Texts shorter than this go to `json.loads` whole: a few milliseconds at most."""

_FIRST_RUN = 1 << 16
_MAX_RUN = 1 << 18
_MIN_RUN = 1 << 11
_WINDOW = 1 << 12  # a single value is first tried from a copy of this many characters
_WS = re.compile(r"[ \t\n\r]*")
_scan_once: Callable[[str, int], tuple[Any, int]] = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
_PROBE_FAILS = (StopIteration, JSONDecodeError, RecursionError, ValueError)
# Where a sibling may end: after the character the previous sibling ended with, then a comma.
_ENDS = {end: re.compile(re.escape(end) + r"[ \t\n\r]*,") for end in ("}", "]", '"')}
_ANY_COMMA = re.compile(",")
_CLOSES = {"{": "}", "[": "]", '"': '"'}
_TRIES = 3


class TooDeep(ValueError):
    """Nesting past what the interpreter's recursion limit allows (as json.loads refuses it)."""

    def __init__(self) -> None:
        super().__init__("nested too deeply")


def parse_json_text(text: str, *, progress: Progress | None = None) -> Any:
    """`json.loads(text)`; raises JSONDecodeError, TooDeep, ValueError (e.g. a number with
    too many digits) or `progress`'s Cancelled."""
    try:
        if len(text) < SMALL:
            return json.loads(text)
        return _Walker(text, progress).document()
    except RecursionError as exc:
        raise TooDeep from exc


def _ws(text: str, index: int) -> int:
    return _WS.match(text, index).end()  # type: ignore[union-attr]


class _Walker:
    def __init__(self, text: str, progress: Progress | None) -> None:
        self.text = text
        self.progress = progress
        self.size = len(text)
        self.open: list[list[Any]] = []  # [container, key or index being read (None between)]
        if progress is not None:
            progress.snapshot = lambda: json_partial(self.open)

    def document(self) -> Any:
        text = self.text
        try:
            value, end = self.value(_ws(text, 0))
        except Cancelled:
            dismantle(*[frame[0] for frame in reversed(self.open)])  # not one long stretch
            self.open.clear()
            if self.progress is not None:
                self.progress.stopped.set()
            raise
        end = _ws(text, end)
        if end != len(text):
            raise JSONDecodeError("Extra data", text, end)
        self.advance(end)
        return value

    def advance(self, index: int) -> None:
        if self.progress is not None:
            self.progress.advance(index / self.size)

    def value(self, index: int) -> tuple[Any, int]:
        """The value at `index` and where it ends."""
        text = self.text
        char = text[index : index + 1]
        if char == "{" or char == "[":
            probe = text[index : index + _WINDOW]
            try:
                value, end = _scan_once(probe, 0)
            except _PROBE_FAILS:
                return self.object(index) if char == "{" else self.array(index)
            return value, index + end
        try:
            return _scan_once(text, index)
        except StopIteration as exc:
            raise JSONDecodeError("Expecting value", text, exc.value) from None

    def object(self, start: int) -> tuple[dict[str, Any], int]:
        text = self.text
        result: dict[str, Any] = {}
        index = _ws(text, start + 1)
        if text[index : index + 1] == "}":
            return result, index + 1
        run = _FIRST_RUN
        ends = ""  # learnt from the last member parsed alone
        frame: list[Any] = [result, None]
        self.open.append(frame)
        while True:
            batch, index, run = self.siblings("{", index, run, ends)
            if batch is not None:
                result.update(batch)
                continue
            if text[index : index + 1] != '"':
                self.fail(start)
            key, index = scanstring(text, index + 1)
            index = _ws(text, index)
            if text[index : index + 1] != ":":
                self.fail(start)
            frame[1] = key
            result[key], index = self.value(_ws(text, index + 1))
            frame[1] = None
            ends = text[index - 1]
            index = _ws(text, index)
            char = text[index : index + 1]
            if char == "}":
                self.open.pop()
                return result, index + 1
            if char != ",":
                self.fail(start)
            index = _ws(text, index + 1)

    def array(self, start: int) -> tuple[list[Any], int]:
        text = self.text
        result: list[Any] = []
        index = _ws(text, start + 1)
        if text[index : index + 1] == "]":
            return result, index + 1
        run = _FIRST_RUN
        frame: list[Any] = [result, None]
        self.open.append(frame)
        while True:
            if text[index : index + 1] == "]":  # after a comma: json words that per version
                self.fail(start)  # (3.13: "Illegal trailing comma before end of array")
            batch, index, run = self.siblings("[", index, run, _CLOSES.get(text[index : index + 1], ""))
            if batch is not None:
                result.extend(batch)
                continue
            frame[1] = len(result)
            item, index = self.value(index)
            result.append(item)
            frame[1] = None
            index = _ws(text, index)
            char = text[index : index + 1]
            if char == "]":
                self.open.pop()
                return result, index + 1
            if char != ",":
                self.fail(start)
            index = _ws(text, index + 1)

    def siblings(self, opener: str, index: int, run: int, ends: str) -> tuple[Any, int, int]:
        """(a run of siblings from `index` as one container, or None; where to go on; the
        next run's length). After a run that does not parse, the caller parses one sibling
        alone (learning `ends`), and runs are tried again after it."""
        if run < _MIN_RUN:
            return None, index, _MIN_RUN
        batch, comma = self.run(opener, index, run, ends)
        if batch is None:
            return None, index, run // 2
        return batch, _ws(self.text, comma + 1), min(_MAX_RUN, run * 2)

    def run(self, opener: str, index: int, length: int, ends: str) -> tuple[Any, int]:
        """(the siblings from `index` to a comma about `length` on, as one container, that
        comma) or (None, -1) when no such run parses. `ends` is the character siblings
        likely end with ("}" for records): commas right after it are tried first."""
        text = self.text
        pattern = _ENDS.get(ends, _ANY_COMMA)
        at = index + length
        for _ in range(_TRIES):
            found = pattern.search(text, at)
            if found is None:
                return None, -1
            comma = found.end() - 1
            probe = opener + text[index:comma] + _CLOSES[opener]
            try:
                value, end = _scan_once(probe, 0)
            except _PROBE_FAILS:
                at = comma + 1
                continue
            if end == len(probe):
                self.advance(comma)
                return value, comma
            at = comma + 1
        return None, -1

    def fail(self, start: int) -> None:
        """Raise json's own error for the malformed container at `start` (exact position)."""
        try:
            _scan_once(self.text, start)
        except StopIteration as exc:
            raise JSONDecodeError("Expecting value", self.text, exc.value) from None
        raise JSONDecodeError("Expecting value", self.text, start)  # not reached: it is malformed
