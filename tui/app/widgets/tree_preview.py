"""A decode's unfinished document in the response tree, refreshed as the decode goes on.

Each open container of the `Partial` (outermost first) is a node: the root for the top
level, then the node of the member being read in the level above. Under it come its
finished members as ordinary nodes (the first PAGE; a person can open and pick them, their
values are final), a count of the finished ones beyond, and the member still being read as
a placeholder that cannot be mapped. An update adds what finished since the last one and
leaves alone the nodes a person may be looking at, unless what they stand for changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.widgets.tree_nodes import PAGE, NodeData, is_container, key_label, node_label
from tui.core.partial import Level, Partial
from tui.core.paths import join_path


@dataclass
class _Shown:
    """What one level's node holds now."""

    node: TreeNode[NodeData]
    path: str
    keys: list[Any] = field(default_factory=list)  # finished members shown, in order
    more: TreeNode[NodeData] | None = None  # "… N more finished so far"
    pending_key: Any = None
    pending: TreeNode[NodeData] | None = None


class Preview:
    """Keeps a tree showing a decode's partial document; `update` with each new snapshot."""

    def __init__(self, tree: Tree[NodeData], kind: str) -> None:
        self.tree = tree
        self.kind = kind
        self.shown: list[_Shown] = []
        self._partial: Partial | None = None
        tree.root.data = NodeData("", None, pending=True)
        tree.root.allow_expand = True
        tree.root.expand()

    def update(self, partial: Partial | None, fraction: float) -> None:
        top = partial[0].value if partial else None
        kind = "" if top is None else "list " if isinstance(top, list) else "object "
        self.tree.root.set_label(Text(f"{self.kind}  {kind}(decoding {fraction:.0%} …)", style="bold"))
        if partial is None or partial is self._partial:
            return
        self._partial = partial
        for index, level in enumerate(partial):
            if index == 0:
                node, path = self.tree.root, ""
            else:
                above = self.shown[index - 1]
                if above.pending is None:
                    break
                node, path = above.pending, join_path(above.path, above.pending_key)
            if index < len(self.shown) and self.shown[index].node is node and self.shown[index].path == path:
                shown = self.shown[index]
            else:
                del self.shown[index:]
                shown = _Shown(node, path)
                self.shown.append(shown)
            self._members(shown, level)
            self._pending(shown, level, partial[index + 1] if index + 1 < len(partial) else None)
        del self.shown[len(partial) :]

    def _members(self, shown: _Shown, level: Level) -> None:
        """Add the members that finished since the last update (the first PAGE of them)."""
        value: Any = level.value
        if not value:
            return
        keys: list[Any] = list(value) if isinstance(value, dict) else []
        if keys and keys[: len(shown.keys)] != shown.keys:  # an XML group finished mid-way: redo
            for child in list(shown.node.children):
                if child is not shown.pending:
                    child.remove()
            shown.keys, shown.more = [], None
        start, stop = len(shown.keys), min(len(value), PAGE)
        for position in range(start, stop):
            key = keys[position] if keys else position
            child = value[key]
            data = NodeData(join_path(shown.path, key), child)
            if is_container(child) and child:
                shown.node.add(node_label(key, child), data=data, before=shown.pending)
            else:
                shown.node.add_leaf(node_label(key, child), data=data, before=shown.pending)
            shown.keys.append(key)
        rest = len(value) - len(shown.keys)
        if rest > 0:
            label = Text(f"… {rest:,} more finished so far (browsable when the decode ends)", style="italic")
            if shown.more is None:
                shown.more = shown.node.add_leaf(label, before=shown.pending)
            else:
                shown.more.set_label(label)

    def _pending(self, shown: _Shown, level: Level, inner: Level | None) -> None:
        """The member being read: a placeholder whose children are the next level's."""
        key = level.pending
        if key != shown.pending_key or (key is None) != (shown.pending is None):
            if shown.pending is not None:
                shown.pending.remove()
                shown.pending = None
            shown.pending_key = key
            if key is not None:
                data = NodeData(join_path(shown.path, key), None, pending=True)
                shown.pending = shown.node.add(_pending_label(key, inner), data=data)
                if inner is not None and isinstance(inner.value, dict):
                    shown.pending.expand()  # an object being read: its finished keys are few
        if shown.pending is not None:
            shown.pending.set_label(_pending_label(key, inner))
            shown.pending.allow_expand = inner is not None and bool(inner.value or inner.pending is not None)


def _pending_label(key: Any, inner: Level | None) -> Text:
    """`subscribers  list (≥ 123,400 items so far, decoding…)`."""
    if inner is None or inner.value is None:
        return key_label(key) + Text("  (being read…)", style="dim italic")
    count = len(inner.value) + (inner.pending is not None)  # the member being read is known too
    kind, unit = ("list", "item") if isinstance(inner.value, list) else ("object", "key")
    return key_label(key) + Text(
        f"  {kind} (≥ {count:,} {unit}{'' if count == 1 else 's'} so far, decoding…)", style="dim italic"
    )
