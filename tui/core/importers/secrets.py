"""An import never writes a secret into a profile: literal credentials move to `profiles/.env`.

Authorization, cookie and api-key headers, api-key query parameters, secret-named form
fields, a client key's password and a proxy's password are replaced by `{{env.HOOKBENCH_<PROFILE>_<WHAT>}}`; the values go to the dotenv
file under those names. A name already holding the same value is reused (importing the same
command twice adds nothing); one holding another value gets a `_2`, `_3`… suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, unquote_plus, urlsplit, urlunsplit

from tui.core.auth import is_secret_key
from tui.core.model import Auth, Body, Module, Request
from tui.core.secrets import is_secret_header
from tui.core.variables import ENV_PREFIX

_Swap = Callable[[str, str, str], str]  # (value, name suffix, where) → the reference replacing it
DOTENV = ".env"
"""Where imported secrets go, beside the profiles (0600, ignored by git)."""

_SCHEMES = re.compile(r"(?i)(Bearer|Basic|Token|Digest|Bot|OAuth|ApiKey|Key|SSWS|Splunk)\s+(\S.*)")


@dataclass(frozen=True)
class MovedSecret:
    """One value moved to the dotenv file: where it was, and the name it now has."""

    profile: str
    where: str
    name: str


@dataclass
class SecretStore:
    """The dotenv names and values: those already in the file, and those this import adds."""

    existing: Mapping[str, str] = field(default_factory=dict)
    added: dict[str, str] = field(default_factory=dict)

    def name_for(self, base: str, value: str) -> str:
        """`base`, or `base_2`… : a name holding `value` already, or a free one (then added)."""
        known = {**self.existing, **self.added}
        for attempt in range(1, 1000):
            name = base if attempt == 1 else f"{base}_{attempt}"
            if name not in known:
                self.added[name] = value
                return name
            if known[name] == value:
                return name
        raise AssertionError("a thousand names taken")  # pragma: no cover


def env_prefix(stem: str) -> str:
    """`stripe-charges` → `HOOKBENCH_STRIPE_CHARGES`."""
    return "HOOKBENCH_" + (re.sub(r"[^A-Za-z0-9]+", "_", stem).strip("_").upper() or "PROFILE")


def is_secret_name(name: str) -> bool:
    """A query parameter or form field named like a credential (api_key, access_token, secret…)."""
    return is_secret_header(name) or name.lower() in ("sig", "signature", "apikey", "pass")


def move_secrets(
    module: Module, *, profile: str, prefix: str, store: SecretStore
) -> tuple[Module, list[MovedSecret]]:
    """`module` with every literal secret replaced by an `{{env.NAME}}` reference."""
    moved: list[MovedSecret] = []

    def swap(value: str, what: str, where: str) -> str:
        name = store.name_for(f"{prefix}_{what}", value)
        moved.append(MovedSecret(profile=profile, where=where, name=name))
        return "{{" + ENV_PREFIX + name + "}}"

    request = module.request
    headers = tuple((name, _header(name, value, swap)) for name, value in request.headers)
    url = _url(request.url, swap)
    body = request.body
    if body is not None and body.content_type in ("form", "multipart"):
        body = replace(body, fields=_fields(body, swap))
    auth = _auth(request.auth, swap) if request.auth is not None else None
    password = request.client_key_password
    if _literal(password):
        password = swap(password, "KEY_PASSWORD", "client key password")
    new_request: Request = replace(
        request,
        headers=headers,
        url=url,
        body=body,
        auth=auth,
        client_key_password=password,
        proxy=_proxy(request.proxy, swap),
    )
    return replace(module, request=new_request), moved


def _literal(value: str) -> bool:
    return bool(value.strip()) and "{{" not in value


def _suffix(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


def _header(name: str, value: str, swap: _Swap) -> str:
    if not is_secret_header(name) or not _literal(value):
        return value
    lowered = name.lower()
    where = f"header {name}"
    if lowered in ("authorization", "proxy-authorization"):
        scheme = _SCHEMES.fullmatch(value.strip())
        what = "PROXY_TOKEN" if lowered.startswith("proxy") else "TOKEN"
        if scheme:
            return f"{scheme.group(1)} {swap(scheme.group(2), what, where)}"
        return swap(value, what, where)
    if lowered == "cookie":
        return swap(value, "COOKIE", where)
    return swap(value, _suffix(name), where)


def _url(url: str, swap: _Swap) -> str:
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(is_secret_name(name) and _literal(value) for name, value in pairs):
        return url
    pieces = []
    for piece in parts.query.split("&"):
        name, equals, value = piece.partition("=")
        plain = unquote_plus(value)
        if equals and is_secret_name(unquote_plus(name)) and _literal(plain):
            pieces.append(
                f"{name}={swap(plain, _suffix(unquote_plus(name)), f'query parameter {unquote_plus(name)}')}"
            )
        else:
            pieces.append(piece)
    return urlunsplit(parts._replace(query="&".join(pieces)))


_PROXY_USER = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:@/]*:)(?P<password>[^@/]*)(?P<tail>@.*)")


def _proxy(proxy: str, swap: _Swap) -> str:
    """The password of `http://user:password@proxy:3128`, as the URL holds it (percent-encoded)."""
    found = _PROXY_USER.fullmatch(proxy)
    if found is None or not _literal(found["password"]):
        return proxy
    return found["head"] + swap(found["password"], "PROXY_PASSWORD", "proxy password") + found["tail"]


_AUTH_NAMES = {"password": "PASSWORD", "token": "TOKEN", "value": "API_KEY"}


def _auth(auth: Auth, swap: _Swap) -> Auth:
    """Passwords, tokens, key values and client secrets; a username only when the password is
    empty (an API key given as the user name, as `curl -u sk_test_…:` does)."""
    keyed = auth.get("password") == "" and auth.type in ("basic", "digest")

    def moved(key: str, value: str) -> str:
        if not _literal(value) or not is_secret_key(key) or key == "client_id":
            return value
        if key == "username" and not keyed:
            return value
        what = "TOKEN" if key == "username" else _AUTH_NAMES.get(key, _suffix(key))
        where = f"{auth.type} auth {key}" + (
            " (the password is empty: the user name is the key)" if key == "username" else ""
        )
        return swap(value, what, where)

    return replace(
        auth,
        values=tuple((key, moved(key, value)) for key, value in auth.values),
        params=tuple((key, moved(f"params.{key}", value)) for key, value in auth.params),
    )


def _fields(body: Body, swap: _Swap) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, swap(value, _suffix(name), f"{body.content_type} field {name}"))
        if is_secret_name(name) and _literal(value) and not value.startswith("@")
        else (name, value)
        for name, value in body.fields
    )


def dotenv_line(name: str, value: str) -> str:
    """`NAME=value`, quoted so that a dotenv reader gives back exactly `value`."""
    if re.fullmatch(r"[A-Za-z0-9_.\-+/=:~@,]*", value):
        return f"{name}={value}"
    if "'" not in value and "\\\\" not in value and "\n" not in value:
        return f"{name}='{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'{name}="{escaped}"'
