"""Secrets a history record masked, taken back from the profile it was recorded from.

A record never holds a secret in clear (a header, an auth value, the client key password, a
proxy password), so replaying it needs those values from somewhere: the source profile, with
the active environment's `[auth]` and `proxy` defaults applied as a send would apply them.
Each value is taken as written there, placeholders and all, so `{{env.*}}` renders with the
value the variables hold now. Every value taken gets a note saying what came from where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from tui.core.environments import Environment, with_environment
from tui.core.model import Auth, Module
from tui.core.secrets import MASK
from tui.core.template import names_in


@dataclass(frozen=True)
class Recovered:
    """The module with what could be taken back, the places taken (named as `masked_places`
    names them) and one note for each."""

    module: Module
    taken: frozenset[str]
    notes: tuple[str, ...]


def recover_masked(
    module: Module, source: Module, *, profile: Path, environment: Environment | None = None
) -> Recovered:
    """Fill every masked value of `module` that `source` (the profile at `profile`) still has."""
    own = source.request
    merged = with_environment(source, environment).request
    taken: dict[str, tuple[str, Path]] = {}  # place → (value as written, file it came from)

    def take(place: str, value: str, where: Path) -> str:
        taken[place] = (value, where)
        return value

    request = module.request
    by_name = {name.lower(): value for name, value in own.headers if MASK not in value}
    headers = tuple(
        (name, take(f"header {name!r}", by_name[name.lower()], profile))
        if MASK in value and name.lower() in by_name
        else (name, value)
        for name, value in request.headers
    )
    auth = request.auth
    if auth is not None and merged.auth is not None and merged.auth.type == auth.type:
        where = profile if own.auth is not None or environment is None else environment.path
        auth = _recover_auth(auth, merged.auth, lambda place, value: take(place, value, where))
    password = request.client_key_password
    if MASK in password and own.client_key_password and MASK not in own.client_key_password:
        password = take("client_key_password", own.client_key_password, profile)
    proxy = request.proxy
    if MASK in proxy and merged.proxy and MASK not in merged.proxy:
        where = profile if own.proxy or environment is None else environment.path
        proxy = take("proxy", merged.proxy, where)
    request = replace(request, headers=headers, auth=auth, client_key_password=password, proxy=proxy)
    notes = tuple(_note(place, value, where) for place, (value, where) in taken.items())
    return Recovered(replace(module, request=request), frozenset(taken), notes)


def _recover_auth(auth: Auth, source: Auth, take: Callable[[str, str], str]) -> Auth:
    """Masked auth values (and oauth2 params) from the source's table of the same scheme."""
    values = tuple(
        (key, take(f"auth {key!r}", source.get(key)))
        if MASK in value and source.get(key) and MASK not in source.get(key)
        else (key, value)
        for key, value in auth.values
    )
    params_source = dict(source.params)
    params = tuple(
        (key, take(f"auth 'params.{key}'", params_source[key]))
        if MASK in value and params_source.get(key) and MASK not in params_source[key]
        else (key, value)
        for key, value in auth.params
    )
    return replace(auth, values=values, params=params)


def _note(place: str, value: str, where: Path) -> str:
    """`auth 'password' taken from profiles/x.toml (it is masked in the record)`, naming the
    `{{env.*}}` read now when the value holds one."""
    env = [f"{{{{{name}}}}}" for name in names_in(value) if name.startswith("env.")]
    now = f" as {', '.join(env)}, its value now" if env else ""
    return f"{place} taken from {where}{now} (it is masked in the record)"
