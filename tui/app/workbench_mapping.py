"""Mapping, routed for the workbench: a node picked in the response tree becomes a Set Variables
row of the current module, under a variable name not taken yet."""

from __future__ import annotations

from typing import Any

from tui.app.widgets.lazy_parts import part
from tui.app.widgets.set_variables import SetVariablesPanel
from tui.core.catalogue import suggest_target
from tui.core.model import SetVariable
from tui.core.paths import parse_path

# `Workbench` below is the workbench screen, typed Any: it imports this module (no cycle).
Workbench = Any


async def add_row(screen: Workbench, path: str) -> None:
    """Map `path` (a dot path of the shown response); a warning says why when it cannot be."""
    if screen.shown_step:
        screen.notify(
            f"This response is from the flow step {screen.shown_step}: open that profile to map it.",
            severity="warning",
        )
        return
    if not path:
        screen.notify("The root is the whole response: pick a value inside it.", severity="warning")
        return
    segments = parse_path(path)
    key = next((s.text for s in reversed(segments) if not s.text.isdigit() or s.quoted), "value")
    panel = await part(screen, SetVariablesPanel)
    existing = next((row for row in panel.rows if row.name == path), None)
    if existing is not None:
        screen.notify(f"{path} is mapped already, to {{{{{existing.publishes}}}}}.", severity="warning")
        return
    taken = {row.target for row in panel.rows}
    target = suggest_target(key)
    base, n = target, 2
    while target in taken:
        target, n = f"{base}_{n}", n + 1
    panel.add_row(SetVariable(name=path, type="variable", target=target))
    await screen.refresh_derived()
    screen.notify(f"Added Set Variables row: {path} → {{{{{target}}}}}", title="Mapped")
