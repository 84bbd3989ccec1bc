"""The Set Variables catalogue of the product we model: each type and its targets.

Targets are stored as slugs (lower case, spaces → `_`); `LABELS` maps a slug back to the
name a person sees. `variable` and `advanced` take any name.
"""

from __future__ import annotations

import re

FREE_TYPES = ("variable", "advanced")

_CATALOGUE: dict[str, tuple[str, ...]] = {
    "source": ("Phone Number", "Email", "Person Id", "Person Device ID", "Person Session ID"),
    "details": (
        "Tags",
        "Comm Type",
        "Recordings",
        "Agent Recording",
        "Caller Recording",
        "Result",
        "Notes",
        "Points",
        "Type",
        "Queue",
        "Contact Card URL",
        "User Email Address",
        "User First Name",
        "User Last Name",
        "User Full Name",
        "Salesforce User Id",
        "Zendesk User Id",
    ),
    "routing": ("Inbound Number", "Inbound Number Name", "Channel Key", "Email", "Comm Type"),
    "linked_id": ("Salesforce", "Zendesk", "Custom Database"),
}

TYPES: tuple[str, ...] = ("variable", "source", "details", "routing", "linked_id", "advanced")

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def slug(label: str) -> str:
    """`Person Device ID` → `person_device_id`."""
    return label.strip().lower().replace(" ", "_")


TARGETS: dict[str, tuple[str, ...]] = {
    kind: tuple(slug(label) for label in labels) for kind, labels in _CATALOGUE.items()
}
LABELS: dict[str, str] = {slug(label): label for labels in _CATALOGUE.values() for label in labels}


def targets_for(kind: str) -> tuple[str, ...]:
    """The fixed targets of a type; empty for the free-text types."""
    return TARGETS.get(kind, ())


def target_problem(kind: str, target: str) -> str | None:
    """Why `target` is not valid for `kind`, or None when it is."""
    if kind not in TYPES:
        return f"unknown type {kind!r}; expected one of {', '.join(TYPES)}"
    if kind in FREE_TYPES:
        if not _NAME_RE.fullmatch(target):
            return (
                f"target {target!r} is not a usable variable name "
                "(letters, digits, _ and -, not starting with a digit)"
            )
        return None
    if target not in TARGETS[kind]:
        return f"unknown {kind} target {target!r}; expected one of {', '.join(TARGETS[kind])}"
    return None


def published_name(kind: str, target: str) -> str:
    """The placeholder a row fills: `{{target}}` for `variable`, `{{type.target}}` otherwise."""
    return target if kind == "variable" else f"{kind}.{target}"


def suggest_target(key: str) -> str:
    """A variable name suggested from a response key: `first-name` → `first_name`."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", key.lstrip("@#")).strip("_").lower()
    if not name:
        return "value"
    return f"v_{name}" if name[0].isdigit() else name
