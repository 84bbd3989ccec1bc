"""A module as one curl command line: for a shell, a ticket or a bug report.

`export_curl` renders the module as it would be sent, except that each `{{env.NAME}}` value is
written as the shell reference `"$NAME"`, and each other auth credential as
`"$HOOKBENCH_AUTH_KEY"` (unless revealed): the command reproduces the request where the same
environment is set, and carries no credential itself. `hookbench export curl`
and the workbench's "Copy as curl" both use it; `tui.core.importers.curl` reads it back.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlencode

from tui.core.auth import RenderedAuth, client_in_body, is_secret_key, token_form
from tui.core.connection import proxy_secrets
from tui.core.errors import TemplateError
from tui.core.model import SYSTEM_TRUST, Module
from tui.core.render import RenderedRequest, render_request
from tui.core.secrets import mask_header, mask_text
from tui.core.template import render
from tui.core.variables import ENV_PREFIX, Variables

# A stand-in is a URL, so that `{{env.BASE}}/v1` still renders as an http URL; in a URL's path
# or query it arrives percent-encoded.
_REFERENCE = re.compile(r"https(?::|%3A)(?:/|%2F){2}hookbench-env-ref-(\d+)\.invalid")
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ONE_ENV = re.compile(r"\{\{\s*env\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}")
_TOKEN_FROM_JSON = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"


@dataclass(frozen=True)
class _Referencing(Variables):
    """Variables whose `{{env.NAME}}` values are stand-ins that survive every encoding
    (URL, JSON, XML, form), so the finished command can put `"$NAME"` where each one landed."""

    names: list[str] = field(default_factory=list)

    def lookup(self, name: str) -> str | None:
        if not name.startswith(ENV_PREFIX) or name in self.overrides:
            return super().lookup(name)
        shell_name = name[len(ENV_PREFIX) :]
        if not _SHELL_NAME.fullmatch(shell_name):
            raise TemplateError(
                f"{{{{{name}}}}}: {shell_name!r} cannot be a shell variable; export with --reveal"
            )
        if shell_name not in self.names:
            self.names.append(shell_name)
        return f"https://hookbench-env-ref-{self.names.index(shell_name)}.invalid"


def export_curl(
    module: Module,
    variables: Variables,
    *,
    base_dir: Path | None = None,
    reveal: bool = False,
    mask_secrets: bool = False,
) -> str:
    """The curl command for `module`; `{{env.*}}` as `"$NAME"` unless `reveal`.

    `mask_secrets` is for putting the command on screen: literal credentials become ••••••.
    """
    if reveal:
        return to_curl(render_request(module, variables, base_dir=base_dir), mask_secrets=mask_secrets)
    module, _ = auth_references(module)
    referencing = _Referencing(**{f.name: getattr(variables, f.name) for f in fields(variables)})
    # A stand-in (itself a URL) cannot stand inside the proxy's URL: the proxy is filled on its own.
    proxy = render(module.request.proxy, referencing.lookup, where="proxy").strip()
    module = replace(module, request=replace(module.request, proxy=""))
    rendered = render_request(module, referencing, base_dir=base_dir)
    return to_curl(rendered, references=tuple(referencing.names), mask_secrets=mask_secrets, proxy=proxy)


def auth_references(module: Module) -> tuple[Module, tuple[tuple[str, str], ...]]:
    """`module` with each auth credential not written as one `{{env.NAME}}` (a literal, or text
    mixing other variables) replaced by `{{env.HOOKBENCH_AUTH_KEY}}`, so an exported command
    carries no credential; and (shell name, auth key) of each, for saying what to set."""
    auth = module.request.auth
    if auth is None:
        return module, ()
    names: list[tuple[str, str]] = []

    def referenced(key: str, template: str) -> str:
        if not template or not is_secret_key(key) or _ONE_ENV.fullmatch(template):
            return template
        shell = "HOOKBENCH_AUTH_" + re.sub(r"[^A-Za-z0-9]+", "_", key).upper()
        names.append((shell, f"request.auth.{key}"))
        return f"{{{{{ENV_PREFIX}{shell}}}}}"

    values = tuple((name, referenced(name, value)) for name, value in auth.values)
    params = tuple((name, referenced(f"params.{name}", value)) for name, value in auth.params)
    request = replace(module.request, auth=replace(auth, values=values, params=params))
    return replace(module, request=request), tuple(names)


def to_curl(
    request: RenderedRequest,
    *,
    references: tuple[str, ...] = (),
    mask_secrets: bool = False,
    proxy: str | None = None,
) -> str:
    """`curl URL -X … -H … --data-binary …`: every option the request needs, nothing else.

    `proxy`, when given, replaces the request's (a proxy URL holding shell references).
    An oauth2 request becomes two commands: the token request, then the call using its token.
    """
    proxy = request.connection.proxy if proxy is None else proxy
    secrets = request.secrets | proxy_secrets(proxy) if mask_secrets else frozenset()

    def arg(text: str, *, header: str | None = None) -> str:
        return _quoted(text, references, secrets, header if mask_secrets else None)

    parts = ["curl"]
    implied = (
        "POST"
        if request.content is not None or request.file is not None or request.fields or request.attachments
        else "GET"
    )
    if request.method == "HEAD":
        parts.append("-I")
    elif request.method != implied:
        parts += ["-X", request.method]
    url = request.url
    auth = request.auth
    if auth is not None and auth.type == "api_key" and auth.get("in") == "query":
        url += ("&" if "?" in url else "?") + urlencode({auth.get("name"): auth.get("value")})
    parts.append(arg(url))
    for name, value in request.headers:
        parts += ["-H", arg(f"{name}: {value}", header=name)]
    prefix = ""
    if auth is not None:
        if auth.type == "oauth2":
            prefix = f"TOKEN=$({_token_command(auth, arg)}) && "
        parts += _auth_args(auth, arg)
    if request.content is not None:
        text = request.content.decode("utf-8", errors="replace")
        if request.content_type == "form":
            for name, value in parse_qsl(text, keep_blank_values=True):
                parts += ["--data-urlencode", arg(f"{quote_plus(name)}={value}")]
        else:
            parts += ["--data-binary", arg(text)]
    if request.file is not None:
        parts += ["--data-binary", arg(f"@{request.file}")]
    for name, value in request.fields:
        plain = not value.startswith(("@", "<")) and ";" not in value and not _REFERENCE.search(value)
        parts += ["-F" if plain else "--form-string", arg(f"{name}={value}")]
    for attachment in request.attachments:
        parts += ["-F", arg(f"{attachment.field}=@{attachment.path};type={attachment.media_type}")]
    if request.follow_redirects:
        parts.append("-L")
    connection = request.connection
    if connection.verify is False:
        parts.append("-k")
    elif isinstance(connection.verify, str) and connection.verify != SYSTEM_TRUST:
        parts += ["--cacert", arg(connection.verify)]
    if connection.client_cert:
        parts += ["--cert", arg(_cert_name(connection.client_cert))]
    if connection.client_key:
        parts += ["--key", arg(connection.client_key)]
    if connection.client_key_password:
        parts += ["--pass", arg(connection.client_key_password)]
    if proxy:
        parts += ["--proxy", arg(proxy)]
    parts += ["--max-time", f"{request.timeout:g}"]
    return prefix + " ".join(parts)


def _cert_name(path: str) -> str:
    """curl reads `--cert FILE:PASSWORD`: a colon in the file name (not a drive's) is escaped."""
    drive = path[:2] if re.match(r"[A-Za-z]:[\\/]", path) else ""
    return drive + path[len(drive) :].replace(":", "\\:")


def _auth_args(auth: RenderedAuth, arg: Callable[[str], str]) -> list[str]:
    """`[request.auth]` as curl options (curl speaks basic, digest, bearer headers and api keys)."""
    if auth.type in ("basic", "digest"):
        user = arg(f"{auth.get('username')}:{auth.get('password')}")
        return ["--digest", "-u", user] if auth.type == "digest" else ["-u", user]
    if auth.type == "bearer":
        return ["-H", arg(f"Authorization: Bearer {auth.get('token')}")]
    if auth.type == "api_key" and auth.get("in") == "header":
        return ["-H", arg(f"{auth.get('name')}: {auth.get('value')}")]
    if auth.type == "oauth2":
        return ["-H", '"Authorization: Bearer $TOKEN"']
    return []


def _token_command(auth: RenderedAuth, arg: Callable[[str], str]) -> str:
    """The token request as curl, printing the access token (read with python3, always at hand)."""
    form = token_form(auth)
    parts = ["curl", "-sS", "-X", "POST", arg(auth.get("token_url"))]
    if client_in_body(auth):
        form["client_id"] = auth.get("client_id")
        if auth.get("client_secret"):
            form["client_secret"] = auth.get("client_secret")
    else:
        parts += ["-u", arg(f"{auth.get('client_id')}:{auth.get('client_secret')}")]
    for name, value in form.items():
        parts += ["--data-urlencode", arg(f"{name}={value}")]
    return " ".join(parts) + " | " + _TOKEN_FROM_JSON


def _quoted(text: str, references: tuple[str, ...], secrets: frozenset[str], header: str | None) -> str:
    """One shell word: literal runs single-quoted, each stand-in as `"$NAME"`; masked when asked."""
    if header is not None:
        name, _, value = text.partition(": ")
        text = f"{name}: {mask_header(name, value)}"
    pieces: list[str] = []
    at = 0
    for found in _REFERENCE.finditer(text):
        if found.start() > at:
            pieces.append(shlex.quote(mask_text(text[at : found.start()], secrets)))
        pieces.append(f'"${references[int(found.group(1))]}"')
        at = found.end()
    if at < len(text) or not pieces:
        pieces.append(shlex.quote(mask_text(text[at:], secrets)))
    return "".join(pieces)
