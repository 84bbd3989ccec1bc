"""What changed between two responses: shape first, then values, then the rows it broke.

Shape level: paths (list indices collapsed to `*`, see `tui.core.shape`) added, removed,
or whose type changed. Lists that only grew or shrank have the same shape. For XML, an
element that occurs once or many times is the same field (see `shape.fold_repeats`).
Value level (asked for): every leaf, by its full path, that changed, appeared or went.
Rows: the Set Variables rows that resolve in A and no longer in B — what a vendor's
change just broke in a module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.bulk import gc_paused
from tui.core.errors import PathError
from tui.core.paths import iter_leaves, lookup, resolve
from tui.core.shape import PathShape, fold_repeats, shape_of

if TYPE_CHECKING:
    from tui.core.model import SetVariable

__all__ = ["BrokenRow", "ShapeDiff", "TypeChange", "ValueChange", "broken_rows", "diff_documents"]

CHANGED, ADDED, REMOVED = "changed", "added", "removed"


@dataclass(frozen=True)
class TypeChange:
    """A collapsed path found in both, holding other types in B."""

    path: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class ValueChange:
    """A leaf (full path) whose value changed, or that only one side has (`kind`)."""

    path: str
    kind: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class BrokenRow:
    """A Set Variables row that resolves in A but not in B, with why it stops in B."""

    row: SetVariable
    problem: str


@dataclass(frozen=True)
class ShapeDiff:
    """A against B. `drifted` is what `diff` and `check` exit 3 on."""

    added: tuple[tuple[str, PathShape], ...] = ()
    removed: tuple[tuple[str, PathShape], ...] = ()
    type_changed: tuple[TypeChange, ...] = ()
    broken: tuple[BrokenRow, ...] = ()
    values: tuple[ValueChange, ...] | None = None

    @property
    def same_shape(self) -> bool:
        return not (self.added or self.removed or self.type_changed)

    @property
    def drifted(self) -> bool:
        """The shape changed, or a row that resolved no longer does (an index past a shorter list)."""
        return not self.same_shape or bool(self.broken)

    def to_json(self) -> dict[str, Any]:
        """The `--json` object of `diff` and `check`."""
        data: dict[str, Any] = {
            "same_shape": self.same_shape,
            "added": [_shape_json(path, entry) for path, entry in self.added],
            "removed": [_shape_json(path, entry) for path, entry in self.removed],
            "type_changed": [
                {"path": c.path, "before": list(c.before), "after": list(c.after)} for c in self.type_changed
            ],
            "broken_rows": [
                {"path": b.row.name, "publishes": b.row.publishes, "problem": b.problem} for b in self.broken
            ],
        }
        if self.values is not None:
            data["values"] = [
                {"path": v.path, "kind": v.kind, "before": v.before, "after": v.after} for v in self.values
            ]
        return data


def _shape_json(path: str, entry: PathShape) -> dict[str, Any]:
    return {"path": path, "types": list(entry.types), "count": entry.count}


def diff_documents(
    a: Any,
    b: Any,
    *,
    rows: Iterable[SetVariable] = (),
    values: bool = False,
    xml: bool = False,
) -> ShapeDiff:
    """Compare two parsed documents; `xml` folds repeated elements, `values` adds leaf changes."""
    shape_a, shape_b = shape_of(a), shape_of(b)
    if xml:
        shape_a, shape_b = fold_repeats(shape_a), fold_repeats(shape_b)
    added, removed, changed = compare_shapes(shape_a, shape_b)
    return ShapeDiff(
        added=added,
        removed=removed,
        type_changed=changed,
        broken=broken_rows(rows, a, b),
        values=value_changes(a, b) if values else None,
    )


def compare_shapes(
    a: Mapping[str, PathShape], b: Mapping[str, PathShape]
) -> tuple[tuple[tuple[str, PathShape], ...], tuple[tuple[str, PathShape], ...], tuple[TypeChange, ...]]:
    """(added, removed, type changed), each in document order. Counts never matter."""
    added = tuple((path, entry) for path, entry in b.items() if path not in a)
    removed = tuple((path, entry) for path, entry in a.items() if path not in b)
    changed = tuple(
        TypeChange(path, entry.types, b[path].types)
        for path, entry in a.items()
        if path in b and b[path].types != entry.types
    )
    return added, removed, changed


def value_changes(a: Any, b: Any) -> tuple[ValueChange, ...]:
    """Leaves whose value (or JSON type: 1 is not true) differs, then leaves only one side has."""
    with gc_paused():
        return _value_changes(a, b)


def _value_changes(a: Any, b: Any) -> tuple[ValueChange, ...]:
    before: dict[str, Any] = dict(iter_leaves(a))
    after: dict[str, Any] = dict(iter_leaves(b))
    changes: list[ValueChange] = []
    for path, old in before.items():
        if path not in after:
            changes.append(ValueChange(path, REMOVED, before=old))
            continue
        new = after[path]
        if type(old) is not type(new) or old != new:
            changes.append(ValueChange(path, CHANGED, before=old, after=new))
    changes += [ValueChange(path, ADDED, after=new) for path, new in after.items() if path not in before]
    return tuple(changes)


def broken_rows(rows: Iterable[SetVariable], a: Any, b: Any) -> tuple[BrokenRow, ...]:
    """Rows whose path resolves in `a` and not in `b`; a malformed path is nobody's drift."""
    broken = []
    for row in rows:
        found = False
        try:
            found, _ = lookup(a, row.name)
            if not found:
                continue
            resolve(b, row.name)
        except PathError as exc:
            if found:
                broken.append(BrokenRow(row, str(exc)))
    return tuple(broken)
