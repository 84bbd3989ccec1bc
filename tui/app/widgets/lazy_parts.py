"""Finding panes that `Lazy` mounts after the first frame (hidden tabs come up later)."""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual.dom import DOMNode
from textual.widget import Widget

PartT = TypeVar("PartT", bound=Widget)


def mounted(node: DOMNode, kind: type[PartT]) -> PartT | None:
    """The pane under `node` once it and its children are mounted; None while Lazy is still at it."""
    found = node.query(kind)
    if not found:
        return None
    widget = found.first()
    return widget if widget.is_mounted else None


async def part(node: DOMNode, kind: type[PartT]) -> PartT:
    """The pane under `node`, waiting for Lazy to mount it (the first instants after start)."""
    for _ in range(200):
        widget = mounted(node, kind)
        if widget is not None:
            return widget
        await asyncio.sleep(0.01)
    return node.query_one(kind)
