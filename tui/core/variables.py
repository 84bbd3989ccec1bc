"""Where `{{placeholder}}` values come from, lowest to highest precedence:

profile `[variables]` → environment `[variables]` → `--vars-file` → values published by
earlier steps → `.env` files (for `env.*`: `profiles/.env`, the environment's `dotenv`, then
`--env-file`) → the process environment (for `env.*`) → `--var NAME=VALUE`.

The environment's two layers can be swapped (`with_environment`): the workbench switches
environments without rebuilding the rest.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import TemplateError
from tui.core.names import control_problem, shown
from tui.core.toml_lines import line_of

if TYPE_CHECKING:
    from tui.core.environments import Environment

ENV_PREFIX = "env."


@dataclass(frozen=True)
class Variables:
    """An immutable chain of value sources; `lookup` answers one placeholder name."""

    defaults: Mapping[str, str] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)
    vars_file: Mapping[str, str] = field(default_factory=dict)
    published: Mapping[str, str] = field(default_factory=dict)
    dotenv: Mapping[str, str] = field(default_factory=dict)  # profiles/.env
    environment_dotenv: Mapping[str, str] = field(default_factory=dict)
    env_file: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    overrides: Mapping[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> str | None:
        """The value of `name`, or None when no source has it."""
        if name in self.overrides:
            return self.overrides[name]
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX) :]
            for values in (self.environ, self.env_file, self.environment_dotenv, self.dotenv):
                if key in values:
                    return values[key]
        for layer in (self.published, self.vars_file, self.environment, self.defaults):
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

    def with_environment(self, environment: Environment | None) -> Variables:
        """The same chain with `environment`'s variables and dotenv (none: without any)."""
        if environment is None:
            return replace(self, environment={}, environment_dotenv={})
        dotenv = environment.dotenv
        return replace(
            self,
            environment=dict(environment.variables),
            environment_dotenv=read_env_file(dotenv, f"environment {environment.name!r}: dotenv")
            if dotenv
            else {},
        )


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


def read_env_file(path: Path, what: str = "--env-file") -> dict[str, str]:
    """A `.env` file read with python-dotenv: `NAME=value`, `export`, quotes, `#` comments.

    Values are taken as written (no `${VAR}` expansion: a secret may hold a `$`); a line that
    is not an assignment, or a name holding a control character (a stray `\r` included: lines
    end at `\n` or `\r\n` only, as in an editor), is an error naming `what`, the file and the line.
    """
    import io

    from dotenv.parser import parse_stream

    label = f"{what} {path}".strip()
    try:
        text = Path(path).read_bytes().decode("utf-8")  # no newline translation: a lone \r stays
    except OSError as exc:
        raise TemplateError(f"{label}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"{label}: not a UTF-8 text file ({exc.reason})") from exc
    values: dict[str, str] = {}
    for binding in parse_stream(io.StringIO(text)):
        if not binding.error and binding.key is None:
            continue  # a comment or a blank line
        statement = binding.original.string.lstrip("\n")  # may start with the blank lines before it
        line = binding.original.line + binding.original.string.count("\n") - statement.count("\n")
        first = statement.split("\n", 1)[0].removesuffix("\r") if "\n" in statement else statement
        name = first.partition("=")[0].strip(" \t").removeprefix("export").strip(" \t")
        problem = control_problem(binding.key or "") or control_problem(name)
        if problem:
            raise TemplateError(f"{label}: line {line}: {problem}")
        if binding.error or binding.key is None or binding.value is None:
            raise TemplateError(f"{label}: line {line}: expected NAME=value")
        values[binding.key] = binding.value
    return values


def build_variables(
    folder: Path | None,
    *,
    environment: Environment | None = None,
    vars_file: Path | None = None,
    env_file: Path | None = None,
    assignments: Iterable[str] = (),
) -> Variables:
    """The chain for a profiles folder: its `.env` (read when present), the environment's
    variables and dotenv, then what the command line gave."""
    folder_env = Path(folder) / ".env" if folder is not None else None
    return Variables(
        vars_file=read_vars_file(vars_file) if vars_file else {},
        dotenv=read_env_file(folder_env, "") if folder_env is not None and folder_env.is_file() else {},
        env_file=read_env_file(env_file) if env_file else {},
        overrides=dict(parse_assignment(item) for item in assignments),
    ).with_environment(environment)
