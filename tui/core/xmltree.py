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

from collections.abc import Callable
from typing import Any
from xml.parsers import expat

from tui.core.progress import Progress

_SLICE = 1 << 20  # characters fed to expat per call: ~10 ms of parsing

MAX_DEPTH = 1000
"""Deeper documents are refused, as json.loads refuses deeper JSON: every consumer of the tree
(copying a value, formatting it) would hit the interpreter's recursion limit."""

MAX_ATTRIBUTES = 100_000
"""More attributes on one element are refused: a million take ~20× their size in memory."""

MAX_MARKUP = 8 << 20
"""A single tag, comment or declaration longer than this (bytes) is refused: expat reads it
in one C call that holds the GIL (a tag of a million attributes: seconds)."""


class TooBig(ValueError):
    """Past MAX_DEPTH or MAX_ATTRIBUTES; the message says which."""


class EntitiesRefused(ValueError):
    """The document declares entities (an XML bomb could expand); xmltodict says the same."""

    def __init__(self) -> None:
        super().__init__("entities are disabled")


def parse_xml_tree(text: str, *, progress: Progress | None = None) -> Any:
    """The xmltodict tree of `text`; raises expat.ExpatError, EntitiesRefused, TooBig or
    Cancelled."""
    parser = expat.ParserCreate("utf-8")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.EntityDeclHandler = _refuse_entities
    result = _attach_builder(parser)
    data = text.encode("utf-8")
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
    return result()


def _refuse_entities(*_args: Any) -> None:
    raise EntitiesRefused


def _attach_builder(parser: Any) -> Callable[[], Any]:
    """Set the parser's handlers; the returned function gives the tree once parsed.

    State lives in closure cells, not attributes: these run once per element and per text
    chunk, and cell access is the cheapest Python has. `item` is the open element's dict
    (None until it has attributes or children), `data` its text: None, one chunk, or a list.
    """
    stack: list[tuple[Any, Any]] = []
    push = stack.append
    pop = stack.pop
    item: Any = None
    data: Any = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal item, data
        push((item, data))
        if len(stack) > MAX_DEPTH:
            raise TooBig(f"nested more than {MAX_DEPTH} levels deep")
        if attrs and len(attrs) > MAX_ATTRIBUTES:
            raise TooBig(f"<{name}> has {len(attrs):,} attributes (at most {MAX_ATTRIBUTES:,} are read)")
        item = {"@" + key: value for key, value in attrs.items()} if attrs else None
        data = None

    def characters(chunk: str) -> None:
        nonlocal data
        if data is None:
            data = chunk
        elif type(data) is list:
            data.append(chunk)
        else:
            data = [data, chunk]

    def end(name: str) -> None:
        nonlocal item, data
        if data is None:
            text = None
        elif type(data) is str:
            text = data.strip() or None
        else:
            text = "".join(data).strip() or None
        value = item
        if value is None:
            value = text
        elif text:
            value["#text"] = text
        item, data = pop()
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
    parser.CharacterDataHandler = characters
    return lambda: item
