"""Environments: `environments/NAME.toml` in a profiles folder, so one profile can target
staging or production without being edited.

An environment holds `[variables]` (above the profile's own), an optional `dotenv` file of
secrets for `{{env.*}}`, an optional `[auth]` default for profiles without one, an optional
`proxy`, and `protected = true` for production-like targets: there, anything but GET and
HEAD needs a confirmation (`--yes` headless, a question in the workbench).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.auth import auth_schema, parse_auth
from tui.core.checks import FREE, Checker, Schema
from tui.core.errors import SettingsError

if TYPE_CHECKING:
    from tui.core.model import Auth, Module

ENV_VARIABLE = "HOOKBENCH_ENV"
FOLDER = "environments"
SAFE_METHODS = frozenset({"GET", "HEAD"})
ENVIRONMENT_KEYS: Schema = {
    "variables": FREE,
    "dotenv": None,
    "auth": auth_schema,
    "proxy": None,
    "protected": None,
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Environment:
    """One environment file, validated. `dotenv` is resolved against the profiles folder."""

    name: str
    path: Path
    variables: tuple[tuple[str, str], ...] = ()
    dotenv: Path | None = None
    auth: Auth | None = None
    proxy: str = ""
    protected: bool = False
    warnings: tuple[str, ...] = ()


def environment_names(folder: Path) -> list[str]:
    """The environments of a profiles folder, sorted (empty when it has none)."""
    try:
        return sorted(p.stem for p in (Path(folder) / FOLDER).glob("*.toml") if _NAME.match(p.stem))
    except OSError:
        return []


def chosen_name(name: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """`--env NAME` if given, else `$HOOKBENCH_ENV`, else None (no environment)."""
    if name:
        return name
    return (os.environ if environ is None else environ).get(ENV_VARIABLE) or None


def load_environment(folder: Path, name: str) -> Environment:
    """Read `folder/environments/NAME.toml`; SettingsError names the file, key and line."""
    if not _NAME.match(name):
        raise SettingsError(f"environment {name!r}: a name is letters, digits, '.', '_' and '-'")
    path = Path(folder) / FOLDER / f"{name}.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        available = environment_names(folder)
        known = f"; available: {', '.join(available)}" if available else f"; {Path(folder) / FOLDER} has none"
        raise SettingsError(f"environment {name!r}: no such file {path}{known}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from exc
    return environment_from_data(data, name=name, path=path, folder=Path(folder), text=text)


def environment_from_data(
    data: Mapping[str, Any], *, name: str, path: Path, folder: Path, text: str = ""
) -> Environment:
    """Validate an environment file's parsed data."""
    check = Checker(str(path), text, error=SettingsError)
    check.unknown_keys(data, ENVIRONMENT_KEYS)
    dotenv = check.string(data, "dotenv", "dotenv")
    return Environment(
        name=name,
        path=path,
        variables=check.flat_values(check.table(data, "variables", "variables"), "variables"),
        dotenv=(folder / dotenv) if dotenv else None,
        auth=parse_auth(data["auth"], key="auth", fail=check.fail) if "auth" in data else None,
        proxy=check.string(data, "proxy", "proxy", "") or "",
        protected=check.boolean(data, "protected", "protected", False),
        warnings=tuple(check.warnings),
    )


def with_environment(module: Module, environment: Environment | None) -> Module:
    """`module` with the environment's defaults where the profile sets none: `[auth]`, `proxy`."""
    if environment is None:
        return module
    request = module.request
    if request.auth is None and environment.auth is not None:
        request = replace(request, auth=environment.auth)
    if not request.proxy and environment.proxy:
        request = replace(request, proxy=environment.proxy)
    return module if request is module.request else replace(module, request=request)


def needs_confirmation(environment: Environment | None, requests: Iterable[tuple[str, str]]) -> list[str]:
    """`METHOD what` for each request a protected environment sends only once confirmed
    (anything but GET/HEAD); empty elsewhere. `requests` are (method, what) pairs."""
    if environment is None or not environment.protected:
        return []
    return [f"{method} {what}".rstrip() for method, what in requests if method.upper() not in SAFE_METHODS]


def guard_protected(environment: Environment | None, requests: Iterable[tuple[str, str]]) -> None:
    """Refuse sending anything but GET/HEAD in a protected environment.

    `requests` are (method, what) pairs, `what` naming the profile for the message.
    The caller decides whether a confirmation (`--yes`) lets them through.
    """
    unsafe = needs_confirmation(environment, requests)
    if unsafe and environment is not None:
        raise ProtectedError(
            f"environment {environment.name!r} is protected: not sending {', '.join(unsafe)} "
            "without confirmation (add --yes to send it)"
        )


class ProtectedError(SettingsError):
    """A request that changes things was about to go to a protected environment unconfirmed."""
