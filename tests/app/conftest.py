"""Helpers for Pilot tests: open the app on a profile against the real sandbox, click tree nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets.tree import TreeNode

from tui.app.app import HookbenchApp
from tui.app.widgets.response_tree import ResponseTree
from tui.core.variables import Variables
from tui.sandbox import Sandbox

PROFILES = Path(__file__).resolve().parents[2] / "profiles"


@pytest.fixture
def make_app(fresh_sandbox: Sandbox):
    """Build an app on `folder`, optionally opening `profile`, with base_url → the sandbox."""

    def build(folder: Path, profile: Path | None = None, **overrides: str) -> HookbenchApp:
        variables = Variables(overrides={"base_url": fresh_sandbox.base_url, **overrides})
        return HookbenchApp(folder, profile_path=profile, variables=variables)

    return build


async def send_and_wait(pilot: Pilot, key: str = "ctrl+r") -> None:
    """Press the send key and wait for the send worker (and its follow-up) to finish."""
    await pilot.press(key)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def find_node(tree: ResponseTree, path: str) -> TreeNode | None:
    """The tree node whose data carries `path` (only among nodes already built)."""
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.data is not None and node.data.path == path and node.data.more_from is None:
            return node
        stack.extend(node.children)
    return None


async def click_node(pilot: Pilot, tree: ResponseTree, node: TreeNode) -> None:
    """Click the node's label as a person would (it must be scrolled into view)."""
    tree.scroll_to_line(node.line, animate=False)
    await pilot.pause()
    depth = 0
    parent = node.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    x = depth * 2 + 4
    y = node.line - int(tree.scroll_offset.y)
    await pilot.click(tree, offset=(x, y))
    await pilot.pause()
