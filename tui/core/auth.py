"""`[request.auth]`: the schemes hookbench knows, checking a table, filling its placeholders.

Auth is applied when the request goes out (`tui.core.auth_flows`), never baked into the
rendered headers: a history record keeps `[request.auth]` with its `{{env.*}}` placeholders
(so it replays), and a credential never sits in a header the screen shows. This module is
light (no httpx): `--dry-run`, the profile reader and the app's editor use it as they are.

The same checker reads a profile's `[request.auth]` and an environment's `[auth]` default.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.checks import FREE, Schema
from tui.core.errors import ProfileError, TemplateError
from tui.core.model import Auth
from tui.core.secrets import MASK
from tui.core.template import Lookup, encode_for_header, encode_for_url, header_value_problem, render

AUTH_TYPES: tuple[str, ...] = ("basic", "bearer", "api_key", "digest", "oauth2")
GRANTS: tuple[str, ...] = ("client_credentials", "password", "refresh_token")

# Every key each scheme knows, in the order an editor shows them.
AUTH_KEYS: dict[str, tuple[str, ...]] = {
    "basic": ("username", "password"),
    "bearer": ("token",),
    "api_key": ("name", "value", "in"),
    "digest": ("username", "password"),
    "oauth2": (
        "grant",
        "token_url",
        "client_id",
        "client_secret",
        "scope",
        "audience",
        "username",
        "password",
        "refresh_token",
        "client_auth",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "basic": ("username", "password"),
    "bearer": ("token",),
    "api_key": ("name", "value"),
    "digest": ("username", "password"),
    "oauth2": ("token_url", "client_id"),
}
# What each oauth2 grant needs on top of token_url and client_id.
GRANT_NEEDS: dict[str, tuple[str, ...]] = {
    "client_credentials": ("client_secret",),
    "password": ("username", "password"),
    "refresh_token": ("refresh_token",),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "in": ("header", "query"),
    "grant": GRANTS,
    "client_auth": ("basic", "body"),
}
DEFAULTS: dict[str, str] = {"in": "header", "grant": "client_credentials", "client_auth": "basic"}


def auth_schema(table: Mapping[str, Any]) -> Schema:
    """The keys an auth table of its `type` may hold, for unknown-key warnings
    (every scheme's keys while the type is unknown)."""
    kind = table.get("type")
    keys = AUTH_KEYS.get(kind) if isinstance(kind, str) else None
    if keys is None:
        keys = tuple(dict.fromkeys(key for known in AUTH_KEYS.values() for key in known))
    schema: dict[str, Any] = {"type": None, **dict.fromkeys(keys)}
    if kind not in AUTH_KEYS or kind == "oauth2":
        schema["params"] = FREE
    return schema


# The credentials. The other keys (type, grant, in, name, token_url, scope, audience,
# client_auth) are settings a person needs to see to understand a failure, and masking a
# word like "read" everywhere would shred every text it appears in. Every params value is
# a secret (a client assertion, a resource key): see `is_secret_key`.
SECRET_KEYS: frozenset[str] = frozenset(
    {"username", "password", "token", "value", "client_id", "client_secret", "refresh_token"}
)

Fail = Callable[[str, str], Exception]


def is_secret_key(key: str) -> bool:
    """Whether an auth value under `key` (or `params.NAME`) is a credential."""
    return key in SECRET_KEYS or key.startswith("params.")


def _default_fail(key: str, message: str) -> Exception:
    return ProfileError(f"{key}: {message}")


def parse_auth(data: object, *, key: str = "request.auth", fail: Fail = _default_fail) -> Auth:
    """Check one auth table (a profile's `[request.auth]`, an environment's `[auth]`) into an Auth.

    `key` is the table's dotted address for messages; `fail(dotted_key, message)` builds the
    error to raise (the profile reader passes its own, which adds the file and the line).
    Keys no scheme knows are not errors here: they are kept on save and warned about.
    """
    if not isinstance(data, Mapping):
        raise fail(key, f"must be a table, not {_kind(data)}")
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        raise fail(f"{key}.type", f"is missing; choose one of {', '.join(AUTH_TYPES)}")
    if kind not in AUTH_TYPES:
        raise fail(f"{key}.type", f"unknown auth type {kind!r}; {_expected(kind, AUTH_TYPES)}")
    values = []
    for name in AUTH_KEYS[kind]:
        if name in data:
            values.append((name, _text(data[name], f"{key}.{name}", fail)))
    params: list[tuple[str, str]] = []
    if kind == "oauth2" and "params" in data:
        table = data["params"]
        if not isinstance(table, Mapping):
            raise fail(f"{key}.params", f"must be a table, not {_kind(table)}")
        params = [(str(name), _text(value, f"{key}.params.{name}", fail)) for name, value in table.items()]
    auth = Auth(type=kind, values=tuple(values), params=tuple(params))
    problem = auth_problem(auth)
    if problem is not None:
        raise fail(f"{key}.{problem[0]}", problem[1])
    return auth


def auth_problem(auth: Auth) -> tuple[str, str] | None:
    """(key, message) for the first thing wrong with `auth` as written, or None.

    Used by `parse_auth` and by the app's Auth tab before it saves or sends.
    """
    if auth.type not in AUTH_TYPES:
        return "type", f"unknown auth type {auth.type!r}; {_expected(auth.type, AUTH_TYPES)}"
    present = {name for name, _ in auth.values}
    for name in REQUIRED[auth.type]:
        if name not in present or (name in ("token_url", "name") and not auth.get(name).strip()):
            return name, f"is missing; {auth.type} auth needs {_listing(REQUIRED[auth.type])}"
    for name, choices in CHOICES.items():
        value = auth.get(name, DEFAULTS[name])
        if name in AUTH_KEYS[auth.type] and value not in choices:
            return name, f"must be {_listing(choices, 'or')}, not {value!r}"
    if auth.type == "oauth2":
        grant = auth.get("grant", DEFAULTS["grant"])
        for name in GRANT_NEEDS[grant]:
            if name not in present:
                return name, f"is missing; the {grant} grant needs {_listing(GRANT_NEEDS[grant])}"
    return None


def editable_keys(kind: str, grant: str = DEFAULTS["grant"]) -> tuple[str, ...]:
    """The keys an editor offers for `kind` (for oauth2: those its `grant` uses), in order."""
    keys = AUTH_KEYS.get(kind, ())
    if kind != "oauth2":
        return keys
    unused = {"username", "password", "refresh_token"} - set(GRANT_NEEDS.get(grant, ()))
    return tuple(key for key in keys if key not in unused)


def _text(value: Any, dotted: str, fail: Fail) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a numeric client id
    raise fail(dotted, f"must be a string, not {_kind(value)}")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "a table"
    names = {int: "an integer", float: "a number", str: "a string", list: "an array"}
    return next((name for kind, name in names.items() if isinstance(value, kind)), type(value).__name__)


def _expected(value: str, choices: tuple[str, ...]) -> str:
    import difflib  # only on a mistake: `hookbench run` does not pay for it

    close = difflib.get_close_matches(value, choices, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"expected one of {', '.join(choices)}{hint}"


def _listing(names: tuple[str, ...], last: str = "and") -> str:
    quoted = [f"{name!r}" if last == "or" else name for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {last} {quoted[-1]}"


# --- rendering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedAuth:
    """An auth table with its placeholders filled: what goes out, and how it is shown."""

    type: str
    values: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str:
        """A value, or the scheme's default (`in = "header"`, `grant = "client_credentials"`, …)."""
        return next((value for name, value in self.values if name == key), DEFAULTS.get(key, ""))

    @property
    def secrets(self) -> frozenset[str]:
        """Every credential value: masked wherever hookbench shows or stores text."""
        found = {value for name, value in self.values if is_secret_key(name)}
        found |= {value for _, value in self.params}
        return frozenset(value for value in found if value)

    def describe(self, *, mask: bool = True) -> str:
        """One line for `--dry-run` and the screen: `basic · username •••••• · password ••••••`."""
        parts = [self.type]
        if self.type == "oauth2":
            parts = [f"oauth2 {self.get('grant')} via {self.get('token_url')}"]
        for name, value in self.values:
            if name in ("grant", "token_url"):
                continue
            parts.append(f"{name} {_shown(name, value, mask)}")
        parts += [f"{name} {_shown('params.' + name, value, mask)}" for name, value in self.params]
        return " · ".join(parts)


def _shown(key: str, value: str, mask: bool) -> str:
    if not value:
        return "''"
    return MASK if mask and is_secret_key(key) else value


def render_auth(auth: Auth, lookup: Lookup) -> RenderedAuth:
    """Fill every placeholder of `auth`; an unknown one raises TemplateError naming the key."""
    # Values that go into a header as they are (basic's are base64-encoded, oauth2's go in a form).
    header_bound = {"bearer": ("token",), "api_key": ("name", "value"), "digest": ("username",)}.get(
        auth.type, ()
    )
    values = []
    for name, template in auth.values:
        where = f"auth {name!r}"
        if name == "token_url":
            values.append((name, render(template, lookup, where=where, encode=encode_for_url)))
        elif name in header_bound and not (auth.type == "api_key" and auth.get("in") == "query"):
            value = render(template, lookup, where=where, encode=encode_for_header)
            problem = header_value_problem(value)
            if problem:  # a literal value, not only a placeholder's
                raise TemplateError(f"request.auth.{name} {problem}")
            values.append((name, value))
        else:
            values.append((name, render(template, lookup, where=where)))
    params = tuple(
        (name, render(template, lookup, where=f"auth param {name!r}")) for name, template in auth.params
    )
    return RenderedAuth(type=auth.type, values=tuple(values), params=params)


def token_form(auth: RenderedAuth, refresh_token: str | None = None) -> dict[str, str]:
    """The form of an oauth2 token request for the configured grant, client credentials aside.

    `refresh_token` (one the server rotated) beats the one written in the profile.
    """
    grant = auth.get("grant")
    form = {"grant_type": grant}
    if grant == "password":
        form |= {"username": auth.get("username"), "password": auth.get("password")}
    elif grant == "refresh_token":
        form["refresh_token"] = refresh_token or auth.get("refresh_token")
    for name in ("scope", "audience"):
        if auth.get(name):
            form[name] = auth.get(name)
    return form | dict(auth.params)


def client_in_body(auth: RenderedAuth) -> bool:
    """Whether the client id (and secret) go in the token request's form rather than Basic."""
    return auth.get("client_auth") == "body" or not auth.get("client_secret")
