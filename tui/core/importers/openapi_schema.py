"""OpenAPI documents: local `$ref`s resolved, and sample values made from schemas.

Only references inside the document (`#/components/schemas/User`) are followed. A schema that
refers to itself, directly or through others, is walked once per path: the second visit
yields nothing (an empty list or the property left out), so the walk always ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.errors import ImportSourceError

_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "aGVsbG8=",
    "password": "secret",
}
_MAX_DEPTH = 12
_MISSING = object()


class Resolver:
    """Follows `$ref`s within one document; each pointer resolved once."""

    def __init__(self, document: Mapping[str, Any], source: str) -> None:
        self.document = document
        self.source = source
        self.cache: dict[str, Any] = {}

    def target(self, ref: str) -> Any:
        """The node `ref` points at; ImportSourceError for an outside or broken reference."""
        found = self.cache.get(ref, _MISSING)
        if found is not _MISSING:
            return found
        if not ref.startswith("#"):
            raise ImportSourceError(
                f"{self.source}: $ref {ref!r} points outside the document; only local references are read"
            )
        node: Any = self.document
        for part in ref[1:].lstrip("/").split("/") if ref not in ("#", "#/") else []:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise ImportSourceError(f"{self.source}: $ref {ref!r} points at nothing ({key!r} not found)")
        self.cache[ref] = node
        return node

    def deref(self, node: Any, seen: frozenset[str] = frozenset()) -> tuple[Any, frozenset[str]]:
        """`node` with its `$ref` chain followed; the refs crossed are added to `seen`.

        A reference already in `seen` (a loop) gives None.
        """
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return None, seen
            seen = seen | {ref}
            node = self.target(ref)
        return node, seen

    def sample(self, schema: Any, seen: frozenset[str] = frozenset(), depth: int = 0) -> Any:
        """A value the schema accepts: its example, default, first enum value, or one built
        from its type (objects with their required properties)."""
        schema, seen = self.deref(schema, seen)
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return None
        for key in ("example", "default", "const"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema["allOf"], seen, depth)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self.sample(schema[key][0], seen, depth + 1)
        kind = _type_of(schema)
        if kind == "object":
            return self._object(schema, seen, depth)
        if kind == "array":
            item = self.sample(schema.get("items", {}), seen, depth + 1)
            return [] if item is None else [item]
        if kind == "string":
            return _FORMATS.get(str(schema.get("format")), "string")
        if kind == "integer":
            return int(schema.get("minimum", 0))
        if kind == "number":
            return float(schema.get("minimum", 0))
        if kind == "boolean":
            return True
        return None

    def _object(self, schema: Mapping[str, Any], seen: frozenset[str], depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = schema.get("required") or []
        result: dict[str, Any] = {}
        for name in required if isinstance(required, list) else []:
            if name not in properties:
                continue
            value = self.sample(properties[name], seen, depth + 1)
            if value is not None or _type_of(self.deref(properties[name], seen)[0] or {}) == "null":
                result[name] = value
        return result

    def _all_of(self, parts: list[Any], seen: frozenset[str], depth: int) -> Any:
        merged: dict[str, Any] = {}
        for part in parts:
            value = self.sample(part, seen, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
            elif value is not None and not merged:
                return value
        return merged

    def properties(self, schema: Any) -> list[tuple[str, Any, bool]]:
        """(name, property schema, required) of an object schema (allOf parts merged)."""
        schema, seen = self.deref(schema)
        if not isinstance(schema, Mapping):
            return []
        found: list[tuple[str, Any, bool]] = []
        for part in schema.get("allOf") or []:
            found.extend(self.properties(part))
        required = set(schema.get("required") or [])
        for name, prop in (schema.get("properties") or {}).items():
            resolved, _ = self.deref(prop, seen)
            found.append((str(name), resolved, name in required))
        return found


def _type_of(schema: Mapping[str, Any]) -> str | None:
    """The schema's type; 3.1 lists (`[string, "null"]`) give their first non-null one."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None and "properties" in schema:
        return "object"
    if kind is None and "items" in schema:
        return "array"
    return kind if isinstance(kind, str) else None
