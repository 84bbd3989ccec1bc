"""What a response tree's node stands for, and its label: shared by the tree and its preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text

from tui.app.safe import safe
from tui.core.paths import describe_kind
from tui.core.safe_text import safe_json

PAGE = 200
"""Children added at a time under a wide container."""

_PREVIEW = 60


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: its dot path and value (or a "more" placeholder)."""

    path: str
    value: Any
    more_from: int | None = None  # set on a "… N more" node: index of the next child to load
    more_to: int = 0  # … and the index after the last child it stands for
    pending: bool = False  # a member still being decoded: no value yet, nothing to map


def is_container(value: Any) -> bool:
    return isinstance(value, (dict, list))


def key_label(key: Any) -> Text:
    """A member's key (or a list item's index), safe to show."""
    return safe(str(key), "bold cyan" if isinstance(key, str) else "magenta")


def node_label(key: Any, value: Any) -> Text:
    """`key: value` for a leaf, `key  object (3 keys)` for a container, as plain, safe Text."""
    name = key_label(key)
    if isinstance(value, (dict, list)):
        return name + Text(f"  {describe_kind(value)}", style="dim")
    # Only the start of a long string is escaped: a 100 MB value would hold the screen for seconds.
    preview = safe_json(value[:_PREVIEW] + "…" if isinstance(value, str) and len(value) > _PREVIEW else value)
    if len(preview) > _PREVIEW:
        preview = preview[: _PREVIEW - 1] + "…"
    return name + Text(": ") + Text(preview, style="green" if isinstance(value, str) else "yellow")
