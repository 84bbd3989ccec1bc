"""Turn a Module plus variables into the exact request to send (or to show in --dry-run).

Rendering is where every "nothing is sent" error happens: unknown placeholders, a URL the
URL parser or IDNA rejects, a JSON, XML or GraphQL body that is not well-formed after
replacement, a missing attachment, body file, CA bundle or client certificate.
"""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.parsers import expat

from tui.core.auth import RenderedAuth, render_auth
from tui.core.connection import Connection, check_proxy_url, proxy_secrets
from tui.core.errors import BodyError, SettingsError, TemplateError
from tui.core.model import SYSTEM_TRUST, Body, Module, Request
from tui.core.names import control_problem
from tui.core.secrets import MASK, mask_text
from tui.core.template import (
    encode_for_header,
    encode_for_json,
    encode_for_url,
    encode_for_xml,
    header_value_problem,
    render,
)
from tui.core.variables import ENV_PREFIX, Variables

MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "form": "application/x-www-form-urlencoded",
    "text": "text/plain; charset=utf-8",
    "graphql": "application/json",
}


@dataclass(frozen=True)
class Attachment:
    """A multipart file part, read at render time so a missing file fails before sending."""

    field: str
    filename: str
    content: bytes
    media_type: str
    path: str = ""  # where it was read from, for a curl command that reads it again


@dataclass(frozen=True)
class RenderedRequest:
    """The request exactly as it will go on the wire."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    content_type: str | None = None
    content: bytes | None = None
    fields: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    file: Path | None = None
    timeout: float = 10.0
    follow_redirects: bool = True
    connection: Connection = Connection()
    secrets: frozenset[str] = frozenset()
    env_values: tuple[tuple[str, str], ...] = ()
    """(NAME, value) of each `{{env.NAME}}` filled, wherever the value came from (.env or process)."""
    auth: RenderedAuth | None = None  # applied as the request goes out (tui.core.auth_flows)

    def header(self, name: str) -> str | None:
        """A header's value, matched case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def body_text(self) -> str:
        """The body as a person reads it: text, `@file (N bytes)`, or multipart fields."""
        if self.file is not None:
            return f"@{self.file} ({_file_size(self.file)} bytes, {self.header('content-type')})"
        if self.content is not None:
            return self.content.decode("utf-8", errors="replace")
        lines = [f"{name}={value}" for name, value in self.fields]
        lines += [
            f"{a.field}=@{a.filename} ({len(a.content)} bytes, {a.media_type})" for a in self.attachments
        ]
        return "\n".join(lines)


class _RecordingLookup:
    """Looks values up and remembers the ones that came from `{{env.*}}` (they are secrets)."""

    def __init__(self, variables: Variables) -> None:
        self.variables = variables
        self.secrets: set[str] = set()
        self.env_values: dict[str, str] = {}

    def __call__(self, name: str) -> str | None:
        value = self.variables.lookup(name)
        if value and name.startswith(ENV_PREFIX):
            self.secrets.add(value)
            self.env_values[name[len(ENV_PREFIX) :]] = value
        return value


def render_request(module: Module, variables: Variables, *, base_dir: Path | None = None) -> RenderedRequest:
    """Fill every placeholder and build the body; raises TemplateError, BodyError or SettingsError."""
    request = module.request
    lookup = _RecordingLookup(variables.with_defaults(module.variables))
    url = render(request.url, lookup, where="url", encode=encode_for_url)
    check_url(url, lookup.secrets)
    headers = tuple(
        (
            render(name, lookup, where=f"header name {name!r}"),
            render(value, lookup, where=f"header {name!r}", encode=encode_for_header),
        )
        for name, value in request.headers
    )
    _check_headers(headers)
    connection = _render_connection(request, lookup, base_dir)
    content_type = content = file = None
    fields: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    if request.sends_body and request.body is not None:
        body = request.body
        content_type = body.content_type
        if body.content_type in ("json", "xml", "text"):
            content = _render_text_body(body.content_type, body.text, lookup)
        elif body.content_type == "graphql":
            content = _render_graphql(body, lookup)
        elif body.content_type == "file":
            file = _body_file(body, lookup, base_dir)
        else:
            fields, attachments = _render_fields(body.content_type, body.fields, lookup, base_dir)
            if body.content_type == "form":
                content = urlencode(fields).encode("utf-8")
                fields = ()
        headers += _default_content_type(headers, content_type, file)
    auth = render_auth(request.auth, lookup) if request.auth is not None else None
    secrets = lookup.secrets | (auth.secrets if auth is not None else frozenset())
    return RenderedRequest(
        method=request.method,
        url=url,
        headers=headers,
        content_type=content_type,
        content=content,
        fields=fields,
        attachments=attachments,
        file=file,
        timeout=request.timeout,
        follow_redirects=request.follow_redirects,
        connection=connection,
        secrets=frozenset(secrets),
        env_values=tuple(lookup.env_values.items()),
        auth=auth,
    )


def _default_content_type(
    headers: tuple[tuple[str, str], ...], content_type: str | None, file: Path | None
) -> tuple[tuple[str, str], ...]:
    """Content-Type from the body kind (a file's from its name) unless a header sets it."""
    if any(k.lower() == "content-type" for k, _ in headers):
        return ()
    if file is not None:
        return (("Content-Type", mimetypes.guess_type(file.name)[0] or "application/octet-stream"),)
    if content_type in MEDIA_TYPES:
        return (("Content-Type", MEDIA_TYPES[content_type]),)
    return ()


def _render_connection(request: Request, lookup: _RecordingLookup, base_dir: Path | None) -> Connection:
    """Trust, client certificate and proxy with placeholders filled and paths made absolute."""
    verify: bool | str = request.verify_tls
    if isinstance(verify, str) and verify != SYSTEM_TRUST:
        verify = str(_existing_file("verify_tls", render(verify, lookup, where="verify_tls"), base_dir))
    cert = key = ""
    if request.client_cert:
        cert = str(
            _existing_file("client_cert", render(request.client_cert, lookup, where="client_cert"), base_dir)
        )
    elif request.client_key:
        raise SettingsError(
            "client_key is set without client_cert: give both (or one PEM file as client_cert)"
        )
    if request.client_key:
        key = str(
            _existing_file("client_key", render(request.client_key, lookup, where="client_key"), base_dir)
        )
    password = render(request.client_key_password, lookup, where="client_key_password")
    if password:
        lookup.secrets.add(password)
    proxy = render(request.proxy, lookup, where="proxy").strip()
    if proxy:
        lookup.secrets.update(proxy_secrets(proxy))
        check_proxy_url(proxy, lookup.secrets)
    return Connection(
        verify=verify, client_cert=cert, client_key=key, client_key_password=password, proxy=proxy
    )


def _existing_file(key: str, relative: str, base_dir: Path | None) -> Path:
    """`relative` to the profile's folder (an absolute path is kept); it must be a readable file."""
    path = (base_dir or Path.cwd()) / Path(relative).expanduser()
    if not path.is_file():
        problem = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise SettingsError(f"{key}: {relative!r} {problem} ({path})")
    return path.resolve()


def _check_headers(headers: tuple[tuple[str, str], ...]) -> None:
    """HTTP headers are ASCII; a mask (••••••) left from a history record is the usual culprit.

    A header name filled from a placeholder is checked again: a line break in it would forge a header.
    """
    for name, value in headers:
        problem = control_problem(name)
        if problem:
            raise TemplateError(f"header {problem}")
        problem = header_value_problem(value)
        if problem:
            hint = " — a masked secret: type it again or use {{env.NAME}}" if MASK in value else ""
            raise TemplateError(f"header {name!r} {problem}{hint}")


def check_url(url: str, secrets: set[str] | frozenset[str] = frozenset()) -> None:
    """Raise TemplateError for a URL that the URL parser or IDNA would reject when sending."""
    shown = mask_text(url, secrets)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range or not a number
    except ValueError as exc:
        raise TemplateError(f"url {shown!r} is not a valid URL: {_url_problem(exc)}") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TemplateError(f"url {shown!r} is not an http:// or https:// URL")
    host = parts.hostname or ""
    if not host:
        raise TemplateError(f"url {shown!r} has no host")
    if host.isascii() and not re.fullmatch(r"[A-Za-z0-9_.~!$&'()*+,;=%:\-]+", host):
        raise TemplateError(f"url {shown!r}: {host!r} is not a valid host name")
    _check_idna(host, shown)


def _check_idna(host: str, shown: str) -> None:
    """A non-ASCII host, or an ASCII one with a punycode (`xn--`) label, must pass IDNA.

    httpx encodes or decodes such hosts with idna while sending; a malformed one (`xn--a`,
    `xn--zz-`) would raise there, outside any reason a person can read.
    """
    labels = host.split(".")
    if host.isascii():
        labels = [label for label in labels if label[:4].lower() == "xn--"]
        if not labels:
            return
    import idna

    try:
        if host.isascii():
            for label in labels:
                idna.decode(label)
        else:
            idna.encode(host)
    except (idna.IDNAError, UnicodeError) as exc:
        raise TemplateError(
            f"url {shown!r}: {host!r} is not a valid internationalised host name ({exc})"
        ) from exc


def _url_problem(exc: ValueError) -> str:
    text = str(exc)
    if "IPv6" in text or "IPv4" in text:
        return "the [address] is not a valid IPv6 address (an unclosed '[' or bad digits)"
    if "Port" in text or "port" in text:
        return "the port must be a number from 0 to 65535"
    return text


def _render_text_body(kind: str, text: str, lookup: _RecordingLookup) -> bytes:
    if kind == "json":
        rendered = render(text, lookup, where="JSON body", encode=encode_for_json)
        check_json(rendered)
    elif kind == "xml":
        rendered = render(text, lookup, where="XML body", encode=encode_for_xml)
        check_xml(rendered)
    else:  # text: sent as is, whatever it is (CSV, NDJSON, SOAP with an odd type …)
        rendered = render(text, lookup, where="text body")
    return rendered.encode("utf-8")


def _render_graphql(body: Body, lookup: _RecordingLookup) -> bytes:
    """`{"query": …, "variables": …}`; the variables text must be a JSON object after rendering."""
    query = render(body.query, lookup, where="GraphQL query")
    if not query.strip():
        raise BodyError("GraphQL body: the query is empty")
    document: dict[str, object] = {"query": query}
    if body.variables.strip():
        text = render(body.variables, lookup, where="GraphQL variables", encode=encode_for_json)
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BodyError(
                f"GraphQL variables are not valid JSON after rendering: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from exc
        if not isinstance(values, dict):
            raise BodyError("GraphQL variables must be a JSON object ({...})")
        document["variables"] = values
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _body_file(body: Body, lookup: _RecordingLookup, base_dir: Path | None) -> Path:
    if not body.file.strip():
        raise BodyError("file body: no file given (request.body.file)")
    path = (base_dir or Path.cwd()) / Path(render(body.file, lookup, where="body file")).expanduser()
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise BodyError(f"file body: cannot read {body.file!r}: {exc.strerror or exc} ({path})") from exc
    return path.resolve()


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_json(text: str) -> None:
    """Raise BodyError with line and column when `text` is not one JSON document."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise BodyError(
            f"JSON body is not valid after rendering: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc


def check_xml(text: str) -> None:
    """Raise BodyError with line and column when `text` is not well-formed XML."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise BodyError(
            f"XML body is not well-formed after rendering: {message} at line {exc.lineno}, column {exc.offset + 1}"
        ) from exc


def _render_fields(
    kind: str, fields: tuple[tuple[str, str], ...], lookup: _RecordingLookup, base_dir: Path | None
) -> tuple[tuple[tuple[str, str], ...], tuple[Attachment, ...]]:
    values: list[tuple[str, str]] = []
    files: list[Attachment] = []
    for name, template in fields:
        if kind == "multipart" and template.startswith("@"):
            # Decided on the profile's text, never on a variable's value: a value cannot
            # turn a text field into a file upload.
            path = render(template[1:], lookup, where=f"body field {name!r}")
            files.append(_attachment(name, path, base_dir))
        else:
            values.append((name, render(template, lookup, where=f"body field {name!r}")))
    return tuple(values), tuple(files)


def _attachment(field: str, relative: str, base_dir: Path | None) -> Attachment:
    """Read `relative` (to the profile's folder; an absolute path, as history records hold, is kept)."""
    path = (base_dir or Path.cwd()) / relative
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise BodyError(
            f"body field {field!r}: cannot attach {relative!r}: {exc.strerror or exc} ({path})"
        ) from exc
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(field=field, filename=path.name, content=content, media_type=media_type, path=str(path))


def render_url(template: str, variables: Variables) -> tuple[str, frozenset[str]]:
    """Only a URL, filled as `render_request` fills it, and the `{{env.*}}` values it used.

    Offline flows match history records by method and URL, and need no credentials for it.
    """
    lookup = _RecordingLookup(variables)
    return render(template, lookup, where="url", encode=encode_for_url), frozenset(lookup.secrets)
