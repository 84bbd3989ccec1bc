"""XML to the tree xmltodict gives, at expat speed, with entities refused.

xmltodict's mapping is the contract (attributes `@name`, stripped text as `#text` beside
attributes or children, a single element as an object, repeated siblings as a list, prefixes
as written, comments and processing instructions dropped). Its generic SAX handler costs
about three times the parse itself; these callbacks do only what that mapping needs.
A property test checks both give the same tree on random documents.

`parse_xml_tree` feeds expat a slice at a time and reports to a `Progress` between slices,
which can cancel it; the callbacks are Python, so a UI thread gets the GIL meanwhile.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from tui.core.bulk import dismantle
from tui.core.partial import xml_partial
from tui.core.progress import Cancelled, Progress

_SLICE = 1 << 20  # bytes fed to expat per call: Progress hears of it (and can cancel) this often
_HEAD = 4096  # bytes searched for an XML declaration

MAX_DEPTH = 1000
"""Deeper documents are refused, as json.loads refuses deeper JSON: every consumer of the tree
(copying a value, formatting it) would hit the interpreter's recursion limit."""

MAX_ATTRIBUTES = 100_000
"""More attributes on one element are refused: a million take ~20× their size in memory."""

MAX_MARKUP = 1 << 20
"""A single tag, comment or declaration longer than this (bytes) is refused: expat reads it
in one C call that holds the GIL (8 MB of attributes: 1.5 s of a frozen screen; 1 MB: ~0.15 s)."""


class TooBig(ValueError):
    """Past MAX_DEPTH or MAX_ATTRIBUTES; the message says which."""


class EntitiesRefused(ValueError):
    """The document declares entities (an XML bomb could expand); xmltodict says the same."""

    def __init__(self) -> None:
        super().__init__("entities are disabled")


def parse_xml_tree(source: bytes | str, *, progress: Progress | None = None) -> Any:
    """The xmltodict tree of `source`: UTF-8 bytes (whatever encoding the document
    declares) or text; raises expat.ExpatError, EntitiesRefused, TooBig or Cancelled.

    Bytes are fed as they are (no copy): a response body that is UTF-8 needs no round trip
    through str. A leading XML declaration is skipped, blanks before it allowed."""
    data = memoryview(source.encode("utf-8") if isinstance(source, str) else source)
    data = data[_prolog_end(data) :]
    parser = expat.ParserCreate("utf-8")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.EntityDeclHandler = _refuse_entities
    result, state = _attach_builder(parser)
    if progress is not None:
        progress.snapshot = lambda: xml_partial(state)
    try:
        _feed(parser, data, progress)
    except Cancelled:
        stack, item = state()
        dismantle(item, *[entry[0] for entry in reversed(stack)])  # not one long stretch
        stack.clear()
        progress.stopped.set()  # type: ignore[union-attr]  # only a Progress cancels
        raise
    return result()


def _feed(parser: Any, data: memoryview, progress: Progress | None) -> None:
    total = len(data)
    for start in range(0, total, _SLICE):
        parser.Parse(data[start : start + _SLICE], False)
        fed = min(total, start + _SLICE)
        if fed - max(parser.CurrentByteIndex, 0) > MAX_MARKUP:
            raise TooBig(
                f"a single tag or comment near byte {max(parser.CurrentByteIndex, 0)} is longer than {MAX_MARKUP >> 20} MB"
            )
        if progress is not None:
            progress.advance(fed / total)
    parser.Parse(b"", True)


def _prolog_end(data: memoryview) -> int:
    """Where the document proper starts: after a UTF-8 byte order mark and an XML
    declaration (with the blanks before it); 0 when there is no declaration."""
    head = bytes(data[:_HEAD])
    skipped = 3 if head.startswith(codecs.BOM_UTF8) else 0
    rest = head[skipped:].lstrip()
    if not rest.startswith(b"<?xml"):
        return 0
    end = rest.find(b"?>")
    if end < 0:
        return 0
    return len(head) - len(rest) + end + 2


def _refuse_entities(*_args: Any) -> None:
    raise EntitiesRefused


def _attach_builder(parser: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """Set the parser's handlers; the returned functions give the tree once parsed, and
    the state of the tree being built (for a preview, or to free it): the stack of
    `(parent's item, parent's text mark, name)` per open element and the innermost one's item.

    Text goes straight into `texts` (list.append is C: no Python frame per chunk); an open
    element's text is what was appended since its start (`mark`) and is not a child's, which
    its end already took. `item` is the open element's dict (None until it has attributes or
    children). State lives in closure cells, the cheapest access Python has: these run once
    per element. Attribute keys `@name` are made once per name and shared.
    """
    stack: list[tuple[Any, int, str]] = []
    push = stack.append
    pop = stack.pop
    texts: list[str] = []
    keys: dict[str, str] = {}
    item: Any = None
    mark = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal item, mark
        push((item, mark, name))
        mark = len(texts)
        if len(stack) > MAX_DEPTH:
            raise TooBig(f"nested more than {MAX_DEPTH} levels deep")
        if attrs:
            if len(attrs) > MAX_ATTRIBUTES:
                raise TooBig(f"<{name}> has {len(attrs):,} attributes (at most {MAX_ATTRIBUTES:,} are read)")
            item = {}
            for key in attrs:
                item[keys.get(key) or keys.setdefault(key, "@" + key)] = attrs[key]
        else:
            item = None

    def end(name: str) -> None:
        nonlocal item, mark
        count = len(texts) - mark
        if not count:
            text = None
        elif count == 1:
            text = texts.pop().strip() or None
        else:
            text = "".join(texts[mark:]).strip() or None
            del texts[mark:]
        value = item
        if value is None:
            value = text
        elif text:
            value["#text"] = text
        item, mark, _ = pop()
        if item is None:
            item = {name: value}
        elif name in item:
            existing = item[name]
            if type(existing) is list:
                existing.append(value)
            else:
                item[name] = [existing, value]
        else:
            item[name] = value

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = texts.append
    return (lambda: item), (lambda: (stack, item))
