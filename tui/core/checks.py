"""Validating a TOML file a person wrote: typed reads that name the key and its line, and
warnings for keys hookbench does not know (a typo must not quietly change what is sent).

Used for profiles, environment files and auth tables alike, so every message reads
`FILE: KEY: problem (line N)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tui.core.errors import HookbenchError, ProfileError
from tui.core.names import control_problem, shown
from tui.core.toml_lines import line_of

FREE = "free"
"""In a key schema: a table whose keys are the user's own (headers, variables, fields)."""

Schema = Mapping[str, Any]
"""Known keys of a table: key → None (a value), a nested Schema, FREE, [Schema] (an array of
tables), or a function from the table to its Schema (keys that depend on a `type`)."""


class Checker:
    """Validates one file's data, naming the file, the key and (where found) the line."""

    def __init__(self, source: str, text: str, *, error: type[HookbenchError] = ProfileError) -> None:
        self.source = source
        self.lines = text.split("\n")  # TOML's lines: not split at form feeds or U+2028
        self.error = error
        self.warnings: list[str] = []

    def fail(self, key: str, message: str) -> HookbenchError:
        """The error to raise for `key`, with its line when it can be found."""
        return self.error(self._at(key, message))

    def warn(self, key: str, message: str) -> None:
        """Note a problem that does not stop the file from loading."""
        self.warnings.append(self._at(key, message))

    def _at(self, key: str, message: str) -> str:
        line = line_of(self.lines, key)
        where = f" (line {line})" if line else ""
        return f"{self.source}: {shown(key)}: {message}{where}"

    def name(self, name: str, dotted: str) -> str:
        """`name` when it is one line of printable text; an error at `dotted` when not."""
        problem = control_problem(name)
        if problem:
            raise self.fail(dotted, problem)
        return name

    def unknown_keys(self, data: Mapping[str, Any], schema: Schema, prefix: str = "") -> None:
        """Warn about each key of `data` that `schema` does not know, with the nearest known one."""
        for key, value in data.items():
            dotted = f"{prefix}{key}"
            if key not in schema:
                import difflib  # only on a typo

                near = difflib.get_close_matches(str(key), [str(k) for k in schema], n=1, cutoff=0.6)
                hint = f"; did you mean {near[0]}?" if near else ""
                self.warn(dotted, f"unknown key, kept but not used{hint}")
                continue
            known = schema[key]
            if callable(known) and isinstance(value, Mapping):
                known = known(value)
            if isinstance(known, Mapping) and isinstance(value, Mapping):
                self.unknown_keys(value, known, f"{dotted}.")
            elif isinstance(known, list) and isinstance(value, list):
                for index, row in enumerate(value):
                    if isinstance(row, Mapping):
                        self.unknown_keys(row, known[0], f"{dotted}[{index}].")

    def table(self, data: Mapping[str, Any], key: str, dotted: str) -> Mapping[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, Mapping):
            raise self.fail(dotted, f"must be a table, not {kind_of(value)}")
        return value

    def string(
        self, data: Mapping[str, Any], key: str, dotted: str, default: str | None = None
    ) -> str | None:
        value = data.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(dotted, f"must be a string, not {kind_of(value)}")
        return value

    def boolean(self, data: Mapping[str, Any], key: str, dotted: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(dotted, f"must be true or false, not {kind_of(value)}")
        return value

    def string_table(self, data: Mapping[str, Any], key: str, dotted: str) -> tuple[tuple[str, str], ...]:
        table = self.table(data, key, dotted)
        pairs = []
        for name, value in table.items():
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                raise self.fail(f"{dotted}.{name}", f"must be a string, not {kind_of(value)}")
            pairs.append((self.name(str(name), f"{dotted}.{name}"), str(value)))
        return tuple(pairs)

    def flat_values(
        self, table: Mapping[str, Any], dotted: str, prefix: str = ""
    ) -> tuple[tuple[str, str], ...]:
        """`[variables]` may nest (`[variables.source] email = …`): flatten to `source.email`."""
        pairs: list[tuple[str, str]] = []
        for name, value in table.items():
            full = f"{prefix}{self.name(name, f'{dotted}.{name}')}"
            if isinstance(value, Mapping):
                pairs.extend(self.flat_values(value, f"{dotted}.{name}", f"{full}."))
            elif isinstance(value, bool):
                pairs.append((full, "true" if value else "false"))
            elif isinstance(value, (str, int, float)):
                pairs.append((full, str(value)))
            else:
                raise self.fail(f"{dotted}.{name}", f"must be a string or number, not {kind_of(value)}")
        return tuple(pairs)


def kind_of(value: object) -> str:
    """`a string`, `an integer`, `a table` … for messages."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a table" if isinstance(value, Mapping) else type(value).__name__
