"""The response as a tree that builds children only when a node expands, a page at a time.

Labels are `rich.text.Text`, never markup strings: a response key such as `[bold]x[/]` is
shown literally. Wide containers show the first PAGE children and a "… N more" node that
loads the next page. There is deliberately no expand-all.

`reveal(path)` opens the way to any node (find jumps there): it expands the ancestors and
loads only the page that holds the node, so a "… N more" node may then stand for a gap
between two loaded pages; Enter on it loads the gap's next page in place.

While a big body decodes, `show_preview` shows its top levels as far as finished
(`tree_preview`); the document then replaces the preview, the cursor kept on its path.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.app.safe import safe
from tui.app.widgets.tree_nodes import PAGE, NodeData, is_container, node_label
from tui.app.widgets.tree_preview import Preview
from tui.core.partial import Partial
from tui.core.paths import ParsedSegment, describe_kind, join_path, parse_path


class ResponseTree(Tree[NodeData]):
    """A lazily built, paged tree of a JSON or XML document."""

    BINDINGS = [
        Binding("a", "add_row", "Add as variable"),
        Binding("c", "copy_path", "Copy path"),
        Binding("y", "copy_value", "Copy value"),
    ]

    class PathPicked(Message):
        """A node was selected (click or Enter): its path and value."""

        def __init__(self, path: str, value: Any) -> None:
            super().__init__()
            self.path = path
            self.value = value

    class PendingHighlighted(Message):
        """The cursor is on a member still being decoded: it has a path but no value yet."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    class ActionRequested(Message):
        """A key on the tree asked to act on the node under the cursor: add/copy_path/copy_value."""

        def __init__(self, action: str, path: str, value: Any) -> None:
            super().__init__()
            self.action = action
            self.path = path
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("(no response yet)"), id=id)
        self.show_root = True
        self.guide_depth = 2
        self._preview: Preview | None = None

    @property
    def previewing(self) -> bool:
        """A decode's unfinished document is shown."""
        return self._preview is not None

    def show_preview(self, partial: Partial | None, label: str, fraction: float) -> None:
        """Show (or bring up to date) the document being decoded: finished members and
        placeholders for what is still being read."""
        if self._preview is None:
            self._reset()
            self._preview = Preview(self, label)
            self.move_cursor(self.root)
        self._preview.update(partial, fraction)

    def load(self, document: Any, label: str = "response") -> None:
        """Show `document`; only its top level is built now (and, after a preview, the way to
        the node the cursor was on)."""
        cursor = self.cursor_node.data if self._preview is not None and self.cursor_node is not None else None
        self._reset()
        self.root.set_label(Text(f"{label}  {describe_kind(document)}", style="bold"))
        self.root.data = NodeData("", document)
        if is_container(document):
            self.root.allow_expand = True
            self._add_page(self.root, document, "", 0)
            self.root.expand()
        else:
            self.root.allow_expand = False
            self.root.set_label(node_label("response", document))
        self.move_cursor(self.root)  # cursor and path bar agree from the start
        if cursor is not None and cursor.path and cursor.more_from is None:
            self.reveal(cursor.path)

    def show_message(self, message: str) -> None:
        """Empty the tree and show why there is nothing to browse."""
        self._reset()
        self.root.data = None
        self.root.set_label(safe(message))

    def _reset(self) -> None:
        """Empty the tree. The old nodes' values are let go of now: nodes form cycles that
        only the collector frees, and a big document must not wait for it (`bulk`)."""
        self._preview = None
        stack = [self.root]
        while stack:
            node = stack.pop()
            node.data = None
            stack.extend(node.children)
        self.clear()

    @on(Tree.NodeExpanded)
    def _expand(self, event: Tree.NodeExpanded[NodeData]) -> None:
        node = event.node
        data = node.data
        if data is None or data.pending or node.children or data.more_from is not None:
            return
        self._add_page(node, data.value, data.path, 0)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        """The path bar follows the cursor, so what a person reads is what a/c/y act on."""
        data = event.node.data
        if data is not None and data.pending:
            self.post_message(self.PendingHighlighted(data.path))
        elif data is not None and data.more_from is None:
            self.post_message(self.PathPicked(data.path, data.value))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        event.stop()
        data = event.node.data
        if data is None or data.pending:
            return
        if data.more_from is not None:
            self._fill_gap(event.node, data.more_from)
            return
        self.post_message(self.PathPicked(data.path, data.value))

    def _add_page(
        self,
        node: TreeNode[NodeData],
        value: Any,
        path: str,
        start: int,
        end: int | None = None,
        *,
        before: TreeNode[NodeData] | None = None,
    ) -> None:
        """Add children start … start+PAGE (slicing, never copying a 300k-item container),
        and a "… N more" node for the rest up to `end`; all of it before `before` if given."""
        end = len(value) if end is None else end
        stop = min(start + PAGE, end)
        if isinstance(value, dict):
            page: Any = islice(value.items(), start, stop)
        else:
            page = zip(range(start, stop), value[start:stop])
        for key, child in page:
            data = NodeData(join_path(path, key), child)
            if is_container(child) and child:
                node.add(node_label(key, child), data=data, before=before)
            else:
                node.add_leaf(node_label(key, child), data=data, before=before)
        if end > stop:
            self._add_more(node, path, stop, end, before=before)

    def _add_more(
        self, node: TreeNode[NodeData], path: str, start: int, end: int, *, before: TreeNode[NodeData] | None
    ) -> None:
        rest = end - start
        node.add_leaf(
            Text(f"… {rest} more (Enter to load {min(rest, PAGE)})", style="italic"),
            data=NodeData(path, None, more_from=start, more_to=end),
            before=before,
        )

    def _fill_gap(self, more: TreeNode[NodeData], start: int) -> None:
        """Replace a "… N more" node by the page from `start` (and what is left either side)."""
        parent, data = more.parent, more.data
        if parent is None or parent.data is None or data is None or data.more_from is None:
            return
        siblings = list(parent.children)
        if more not in siblings:  # replaced already: Enter pressed twice before the first was handled
            return
        position = siblings.index(more)
        following = siblings[position + 1] if position + 1 < len(siblings) else None
        more.remove()
        if start > data.more_from:
            self._add_more(parent, data.path, data.more_from, start, before=following)
        self._add_page(parent, parent.data.value, parent.data.path, start, data.more_to, before=following)

    # --- jumping to a path (find) --------------------------------------------------------------

    def reveal(self, path: str) -> TreeNode[NodeData] | None:
        """Expand the way to the node at `path`, load its page, put the cursor on it and scroll
        it into view. None when the shown document has no such node."""
        node = self.root
        for segment in parse_path(path):
            data = node.data
            if data is None or data.more_from is not None:
                return None
            index = _position(data.value, segment)
            if index is None:
                return None
            if not node.children:
                self._add_page(node, data.value, data.path, 0)
            node.expand()
            child = self._child_at(node, index)
            if child is None:
                return None
            node = child
        _ = self.last_line  # node lines are numbered when the tree's lines are rebuilt: now
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)
        return node

    def _child_at(self, node: TreeNode[NodeData], index: int) -> TreeNode[NodeData] | None:
        """The child for item `index`, loading its page if a "… N more" node stands for it."""
        position = 0
        for child in node.children:
            data = child.data
            if data is None:
                continue
            if data.more_from is None:
                if position == index:
                    return child
                position += 1
            elif data.more_from <= index < data.more_to:
                self._fill_gap(child, data.more_from + (index - data.more_from) // PAGE * PAGE)
                return self._child_at(node, index)
            else:
                position = data.more_to
        return None

    def _cursor_data(self) -> NodeData | None:
        node = self.cursor_node
        if node is None or node.data is None or node.data.more_from is not None or node.data.pending:
            return None
        return node.data

    def _request(self, action: str) -> None:
        data = self._cursor_data()
        if data is not None:
            self.post_message(self.ActionRequested(action, data.path, data.value))
        elif self.previewing:
            self.notify(
                "Still being decoded: pick a finished node, or wait for the decode.", severity="warning"
            )
        else:
            self.notify("No value here: send first (ctrl+r), then pick a node.", severity="warning")

    def action_add_row(self) -> None:
        self._request("add")

    def action_copy_path(self) -> None:
        self._request("copy_path")

    def action_copy_value(self) -> None:
        self._request("copy_value")


def _position(value: Any, segment: ParsedSegment) -> int | None:
    """Where the child a segment names sits among the container's children."""
    if isinstance(value, dict):
        if segment.text not in value:
            return None
        return next(i for i, key in enumerate(value) if key == segment.text)
    if isinstance(value, list) and segment.is_digits and int(segment.text) < len(value):
        return int(segment.text)
    return None
