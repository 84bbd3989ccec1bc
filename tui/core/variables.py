"""Where `{{placeholder}}` values come from, lowest to highest precedence:

profile `[variables]` → `--vars-file` → values published by earlier steps → `--env-file`
(for `env.*`) → the process environment (for `env.*`) → `--var NAME=VALUE`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tui.core.errors import TemplateError
from tui.core.names import control_problem, shown
from tui.core.toml_lines import line_of

ENV_PREFIX = "env."


@dataclass(frozen=True)
class Variables:
    """An immutable chain of value sources; `lookup` answers one placeholder name."""

    defaults: Mapping[str, str] = field(default_factory=dict)
    vars_file: Mapping[str, str] = field(default_factory=dict)
    published: Mapping[str, str] = field(default_factory=dict)
    env_file: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    overrides: Mapping[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> str | None:
        """The value of `name`, or None when no source has it."""
        if name in self.overrides:
            return self.overrides[name]
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX) :]
            if key in self.environ:
                return self.environ[key]
            if key in self.env_file:
                return self.env_file[key]
        for layer in (self.published, self.vars_file, self.defaults):
            if name in layer:
                return layer[name]
        return None

    def with_defaults(self, defaults: Mapping[str, str] | tuple[tuple[str, str], ...]) -> Variables:
        """The same chain with a module's own `[variables]` at the bottom."""
        return replace(self, defaults=dict(defaults))

    def with_published(self, values: Mapping[str, str]) -> Variables:
        """The same chain with values set by an earlier step (or typed in the app) added."""
        return replace(self, published={**self.published, **values})

    def with_overrides(self, values: Mapping[str, str]) -> Variables:
        """The same chain with `--var`-level values added on top."""
        return replace(self, overrides={**self.overrides, **values})


def parse_assignment(text: str) -> tuple[str, str]:
    """`NAME=VALUE` from `--var`; the value may itself contain `=`."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise TemplateError(f"--var {text!r}: expected NAME=VALUE")
    problem = control_problem(name.strip(" "))
    if problem:
        raise TemplateError(f"--var: {problem}")
    return name.strip(), value


def read_vars_file(path: Path) -> dict[str, str]:
    """A TOML file of values; nested tables give dotted names (`[source] email` → source.email)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise TemplateError(f"--vars-file {path}: cannot read: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"--vars-file {path}: invalid TOML: {exc}") from exc
    values = flatten_values(data)
    for name in values:
        problem = control_problem(name)
        if problem:
            line = line_of(text.split("\n"), name)
            where = f" (line {line})" if line else ""
            raise TemplateError(f"--vars-file {path}: {shown(name)}: {problem}{where}")
    return values


def flatten_values(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten nested tables to dotted names; scalars become text as a template sees them."""
    flat: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, Mapping):
            flat.update(flatten_values(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = as_text(value)
    return flat


def as_text(value: Any) -> str:
    """How a value reads inside a template: JSON spelling for true/false/null and containers."""
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


_ENV_LINE = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*")


_QUOTED = re.compile(r"""(["'])(.*?)(?<!\\)\1\s*(?:#.*)?""")


def _env_value(raw: str) -> str:
    """`"a b" # note` → `a b`; `plain # note` → `plain`; `\\n` and `\\"` unescaped in double quotes."""
    quoted = _QUOTED.fullmatch(raw)
    if quoted is None:
        return re.sub(r"\s+#.*", "", raw)
    quote, value = quoted.groups()
    if quote == '"':
        value = value.replace("\\n", "\n").replace('\\"', '"')
    return value


def read_env_file(path: Path) -> dict[str, str]:
    """A `.env` file: `NAME=value` lines, optional `export`, quotes and `#` comments.

    Lines end at `\\n` (or `\\r\\n`) only, as in an editor: a stray `\\r`, form feed or other
    control character inside a line is part of it, so a name holding one is refused.
    """
    try:
        text = Path(path).read_bytes().decode("utf-8")  # no newline translation: a lone \r stays
    except OSError as exc:
        raise TemplateError(f"--env-file {path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"--env-file {path}: not a UTF-8 text file ({exc.reason})") from exc
    values: dict[str, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name_part = line.partition("=")[0].strip(" \t").removeprefix("export").strip(" \t")
        problem = control_problem(name_part)
        if problem:
            raise TemplateError(f"--env-file {path}: line {number}: {problem}")
        match = _ENV_LINE.fullmatch(line)
        if match is None:
            raise TemplateError(f"--env-file {path}: line {number}: expected NAME=value")
        name, value = match.groups()
        values[name] = _env_value(value)
    return values
