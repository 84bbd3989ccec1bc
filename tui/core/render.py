"""Turn a Module plus variables into the exact request to send (or to show in --dry-run).

Rendering is where every "nothing is sent" error happens: unknown placeholders, a JSON or
XML body that is not well-formed after replacement, a missing multipart attachment.
"""

from __future__ import annotations

import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.parsers import expat

from tui.core.auth import RenderedAuth, render_auth
from tui.core.errors import BodyError, TemplateError
from tui.core.model import Module
from tui.core.names import control_problem
from tui.core.secrets import MASK, mask_text
from tui.core.template import (
    encode_for_header,
    encode_for_json,
    encode_for_url,
    encode_for_xml,
    render,
)
from tui.core.variables import ENV_PREFIX, Variables

MEDIA_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "form": "application/x-www-form-urlencoded",
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
    timeout: float = 10.0
    follow_redirects: bool = True
    verify_tls: bool = True
    secrets: frozenset[str] = frozenset()
    auth: RenderedAuth | None = None  # applied as the request goes out (tui.core.auth_flows)

    def header(self, name: str) -> str | None:
        """A header's value, matched case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def body_text(self) -> str:
        """The body as a person reads it: text, or multipart fields with `@file (N bytes)`."""
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

    def __call__(self, name: str) -> str | None:
        value = self.variables.lookup(name)
        if value and name.startswith(ENV_PREFIX):
            self.secrets.add(value)
        return value


def render_request(module: Module, variables: Variables, *, base_dir: Path | None = None) -> RenderedRequest:
    """Fill every placeholder and build the body; raises TemplateError or BodyError."""
    request = module.request
    lookup = _RecordingLookup(variables.with_defaults(module.variables))
    url = render(request.url, lookup, where="url", encode=encode_for_url)
    _check_url(url, lookup.secrets)
    headers = tuple(
        (
            render(name, lookup, where=f"header name {name!r}"),
            render(value, lookup, where=f"header {name!r}", encode=encode_for_header),
        )
        for name, value in request.headers
    )
    _check_headers(headers)
    content_type = content = None
    fields: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    if request.sends_body and request.body is not None:
        body = request.body
        content_type = body.content_type
        if body.content_type in ("json", "xml"):
            content = _render_text_body(body.content_type, body.text, lookup)
        else:
            fields, attachments = _render_fields(body.content_type, body.fields, lookup, base_dir)
            if body.content_type == "form":
                content = urlencode(fields).encode("utf-8")
                fields = ()
        if content_type in MEDIA_TYPES and not any(k.lower() == "content-type" for k, _ in headers):
            headers += (("Content-Type", MEDIA_TYPES[content_type]),)
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
        timeout=request.timeout,
        follow_redirects=request.follow_redirects,
        verify_tls=request.verify_tls,
        secrets=frozenset(secrets),
        auth=auth,
    )


def _check_headers(headers: tuple[tuple[str, str], ...]) -> None:
    """HTTP headers are ASCII; a mask (••••••) left from a history record is the usual culprit.

    A header name filled from a placeholder is checked again: a line break in it would forge a header.
    """
    for name, value in headers:
        problem = control_problem(name)
        if problem:
            raise TemplateError(f"header {problem}")
        if not value.isascii():
            hint = " — a masked secret: type it again or use {{env.NAME}}" if MASK in value else ""
            raise TemplateError(
                f"header {name!r} holds non-ASCII text, which HTTP headers cannot carry{hint}"
            )


def _check_url(url: str, secrets: set[str]) -> None:
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # a bracketed host that is not an IP address, e.g. http://[x]/
        raise TemplateError(f"url {mask_text(url, secrets)!r} is not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TemplateError(f"url {mask_text(url, secrets)!r} is not an http:// or https:// URL")


def _render_text_body(kind: str, text: str, lookup: _RecordingLookup) -> bytes:
    if kind == "json":
        rendered = render(text, lookup, where="JSON body", encode=encode_for_json)
        check_json(rendered)
    else:
        rendered = render(text, lookup, where="XML body", encode=encode_for_xml)
        check_xml(rendered)
    return rendered.encode("utf-8")


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
