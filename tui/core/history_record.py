"""What a history record holds: the request as sent, secrets masked, plus the run's result.

The record is a profile (so `read_module` reads it and it replays as is) with a `[result]`
table. Secrets never reach it in clear: credential headers are masked by name, every value that
came from `{{env.*}}` (and every credential found in a header) is masked wherever it appears,
request, response and variables alike. Where an `{{env.NAME}}` value can be traced back to its
name, the request keeps the placeholder instead of a mask, so the record still replays.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote

from tui.core.auth import is_secret_key
from tui.core.history_toml import dumps
from tui.core.secrets import MASK, is_secret_header, mask_header, mask_text
from tui.core.template import names_in

if TYPE_CHECKING:
    from tui.core.auth import RenderedAuth
    from tui.core.model import Auth, Module, Request
    from tui.core.render import RenderedRequest
    from tui.core.run import RunResult

HEADER_PREFIX = "# hookbench-record v1 "
MAX_LOGGED_BODY = 1024 * 1024
_ONLY_ENV = re.compile(r"(?:[A-Za-z][A-Za-z0-9_-]*\s+)?(?:\{\{\s*env\.[A-Za-z_][A-Za-z0-9_.\-]*\s*\}\})+")
_MIN_SECRET = 3  # mask_text ignores shorter values: masking "a" would shred the record


@dataclass(frozen=True)
class Masker:
    """Knows the run's secrets; hides them in what is stored, restoring `{{env.*}}` where it can."""

    secrets: frozenset[str]
    env_names: tuple[tuple[str, str], ...] = ()  # (value, placeholder), longest value first

    def hide(self, text: str) -> str:
        """For result text (never replayed): every secret becomes the mask."""
        return mask_text(text, self.secrets) if self.secrets and text else text

    def restore(self, text: str, forms: str) -> str:
        """For request text: env values back to `{{env.NAME}}`, other secrets masked.

        `forms` says how render encoded values where this text lands ("url", "json", "xml",
        "raw"), so the restored placeholder renders to the very same bytes on replay.
        """
        for secret, placeholder in self.env_names:
            for form in _rendered_forms(secret, forms):
                text = text.replace(form, placeholder)
        return self.hide(text)


def _rendered_forms(secret: str, where: str) -> list[str]:
    if where == "url":
        forms = [quote(secret, safe=""), secret]
    elif where == "json":
        forms = [json.dumps(secret, ensure_ascii=False)[1:-1], secret]
    elif where == "xml":
        from tui.core.template import xml_escape

        forms = [xml_escape(secret)]
    else:
        forms = [secret]
    return list(dict.fromkeys(forms))


def header_secrets(name: str, value: str) -> set[str]:
    """The credential parts of a secret request header, to mask wherever else they turn up.

    `Bearer abc` gives `abc` too; a Cookie header gives each `name=value` pair and value.
    """
    if not is_secret_header(name):
        return set()
    value = value.strip()
    found = {value}
    scheme, sep, rest = value.partition(" ")
    if sep and scheme.isalpha():
        found.add(rest.strip())
    if name.lower() == "cookie":
        for pair in (part.strip() for part in value.split(";")):
            found |= {pair, pair.partition("=")[2].strip()}
    return {s for s in found if len(s) >= _MIN_SECRET}


def response_header_secrets(name: str, value: str) -> set[str]:
    """A secret response header's value; for Set-Cookie the cookie itself, not its attributes.

    (`Domain=api.example.com` is no secret, and masking it would mask the URL.)
    """
    if not is_secret_header(name):
        return set()
    found = {value.strip()}
    if name.lower() == "set-cookie":
        pair = value.split(";", 1)[0].strip()
        found |= {pair, pair.partition("=")[2].strip()}
    return {s for s in found if len(s) >= _MIN_SECRET}


def masker_for(module: Module, result: RunResult, environ: Any = None) -> tuple[Masker, Masker]:
    """Maskers for the request and for the result.

    Both hide `{{env.*}}` values and the credentials sent; the result's also hides credentials
    the server sent back (Set-Cookie), which never touch the replayable request.
    """
    rendered = result.request
    secrets: set[str] = {s for s in rendered.secrets if len(s) >= _MIN_SECRET}
    for name, value in rendered.headers:
        secrets |= header_secrets(name, value)
    received: set[str] = set()
    if result.exchange is not None:
        for name, value in result.exchange.headers:
            received |= response_header_secrets(name, value)
        for name, value in result.exchange.request_headers:  # what the client added: jar cookies
            received |= header_secrets(name, value)
    environ = os.environ if environ is None else environ
    filled = dict(rendered.env_values)  # from a .env file as well as from the process
    env_names = {}
    for name in _env_names_in(module.request):
        value = filled.get(name) or environ.get(name)
        if value and value in rendered.secrets and len(value) >= _MIN_SECRET:
            env_names[value] = "{{env." + name + "}}"
    ordered = tuple(sorted(env_names.items(), key=lambda item: len(item[0]), reverse=True))
    return Masker(frozenset(secrets), ordered), Masker(frozenset(secrets | received))


def _env_names_in(request: Request) -> list[str]:
    """The NAME of every `{{env.NAME}}` the request fills."""
    return [name[4:] for name in names_in(*request.template_texts()) if name.startswith("env.")]


@dataclass(frozen=True)
class RecordSummary:
    """What the history list shows for one record, read from its first line."""

    id: str
    time: str
    method: str
    url: str
    status: int | None
    route: str
    elapsed_ms: float | None
    profile: str
    name: str = ""
    reason: str = ""

    def matches(self, query: str) -> bool:
        """Every word of `query` appears (case-insensitively) in the URL, profile, status or route."""
        haystack = " ".join(
            [self.url, self.profile, self.name, str(self.status or ""), self.route, self.method]
        ).casefold()
        return all(word in haystack for word in query.casefold().split())

    def to_json(self) -> dict[str, Any]:
        """The `hookbench history --json` object."""
        return {
            "id": self.id,
            "time": self.time,
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "route": self.route,
            "elapsed_ms": self.elapsed_ms,
            "profile": self.profile,
            "name": self.name,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordSummary:
        """Build from a summary line; raises ValueError/TypeError when a field is the wrong kind."""
        status, elapsed = data.get("status"), data.get("elapsed_ms")
        if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
            raise TypeError("status is not a number")
        if elapsed is not None and (isinstance(elapsed, bool) or not isinstance(elapsed, (int, float))):
            raise TypeError("elapsed_ms is not a number")
        texts = {key: data[key] for key in ("id", "time", "method", "url", "route")}
        if not all(isinstance(v, str) for v in texts.values()):
            raise TypeError("a text field is not text")
        return cls(
            **texts,
            status=status,
            elapsed_ms=float(elapsed) if elapsed is not None else None,
            profile=str(data.get("profile") or ""),
            name=str(data.get("name") or ""),
            reason=str(data.get("reason") or ""),
        )


# --- the record ---------------------------------------------------------------------------


def build_record(
    module: Module,
    result: RunResult,
    *,
    record_id: str,
    time: str,
    profile: str,
    base_dir: Path | None,
    max_body: int = MAX_LOGGED_BODY,
    environ: Any = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record as plain data, and the one-line summary the history list reads."""
    masker, result_masker = masker_for(module, result, environ)
    request = _request_table(module, result.request, masker, base_dir)
    data: dict[str, Any] = {"name": module.name, "profile": profile}
    if module.description:
        data["description"] = module.description
    data["request"] = request
    if module.set_variables:
        data["set_variables"] = [
            {"name": r.name, "type": r.type, "target": r.target} for r in module.set_variables
        ]
    if module.failure_variable or module.failure_value is not None:
        data["on_failure"] = {"variable": module.failure_variable, "value": module.failure_value}
    routes = {"success": module.route_success, "failure": module.route_failure, "expect": module.expect}
    if any(v is not None for v in routes.values()):
        data["routes"] = routes
    data["result"] = _result_table(module, result, result_masker, time=time, max_body=max_body)
    summary = {
        "id": record_id,
        "time": time,
        "method": request["method"],
        "url": request["url"],
        "status": result.status,
        "route": result.route,
        "elapsed_ms": data["result"].get("elapsed_ms"),
        "profile": profile,
        "name": module.name,
        "reason": data["result"]["reason"],
    }
    return data, summary


def record_text(data: dict[str, Any], summary: dict[str, Any]) -> str:
    """The file's text: the summary line, a comment for the reader, then the TOML record.

    The summary carries the byte length of everything after it, so the list can tell an
    intact record from a truncated one with one `fstat`, without parsing the TOML.
    """
    body = (
        "# A run recorded by hookbench: the request as sent (secrets masked) and its result.\n"
        "# Replay: hookbench history replay ID · promote: save it as a profile from the workbench.\n"
        + dumps(data)
    )
    summary = {**summary, "bytes": len(body.encode("utf-8"))}
    line = json.dumps(summary, ensure_ascii=True, separators=(",", ":")).replace("\x7f", "\\u007f")
    return f"{HEADER_PREFIX}{line}\n{body}"


def _request_table(
    module: Module, rendered: RenderedRequest, masker: Masker, base_dir: Path | None
) -> dict[str, Any]:
    source = module.request
    table: dict[str, Any] = {
        "method": rendered.method,
        "url": masker.restore(rendered.url, "url"),
        "timeout": rendered.timeout,
        "log_request_body": source.log_request_body,
        "log_response_body": source.log_response_body,
    }
    if source.success_statuses is not None:
        table["success_statuses"] = list(source.success_statuses)
    for key, default in (("follow_redirects", True), ("fail_on_missing", False)):
        if getattr(source, key) != default:
            table[key] = getattr(source, key)
    table.update(_connection_table(source, rendered, masker))
    templates = [value for _, value in source.headers] + [None] * len(rendered.headers)
    headers = {}
    for (name, value), template in zip(rendered.headers, templates):
        headers[masker.hide(name)] = _stored_header(name, value, template, masker)
    if headers:
        table["headers"] = headers
    if source.auth is not None and rendered.auth is not None:
        table["auth"] = _stored_auth(source.auth, rendered.auth, masker)
    if source.sends_body and source.body is not None:
        table["body"] = _request_body(module, rendered, masker, base_dir)
    return table


def _stored_auth(source: Auth, rendered: RenderedAuth, masker: Masker) -> dict[str, Any]:
    """`[request.auth]` as used: a credential keeps its `{{env.NAME}}`, or is masked outright."""
    templates = dict(source.values) | {f"params.{k}": v for k, v in source.params}

    def stored(key: str, value: str) -> str:
        template = templates.get(key, "")
        if is_secret_key(key) and _ONLY_ENV.match(template.strip()):
            return template.strip()
        return masker.restore(value, "url" if key == "token_url" else "raw")

    table: dict[str, Any] = {"type": rendered.type}
    table |= {key: stored(key, value) for key, value in rendered.values}
    if rendered.params:
        table["params"] = {key: stored(f"params.{key}", value) for key, value in rendered.params}
    return table


def _connection_table(source: Request, rendered: RenderedRequest, masker: Masker) -> dict[str, Any]:
    """Trust, client certificate (absolute paths) and proxy as used; the key password as its
    `{{env.NAME}}` template or masked."""
    connection = rendered.connection
    table: dict[str, Any] = {}
    if connection.verify is not True:
        table["verify_tls"] = connection.verify
    if connection.client_cert:
        table["client_cert"] = connection.client_cert
    if connection.client_key:
        table["client_key"] = connection.client_key
    if connection.client_key_password:
        template = source.client_key_password.strip()
        table["client_key_password"] = template if _ONLY_ENV.match(template) else MASK
    if connection.proxy:
        table["proxy"] = masker.restore(connection.proxy, "raw")
    return table


def _stored_header(name: str, value: str, template: str | None, masker: Masker) -> str:
    """A credential header keeps its `Bearer {{env.TOKEN}}` template, or is masked outright."""
    if not is_secret_header(name):
        return masker.restore(value, "raw")
    if template is not None and _ONLY_ENV.fullmatch(template.strip()):
        return template.strip()
    restored = masker.restore(value, "raw")
    if _ONLY_ENV.fullmatch(restored.strip()):
        return restored.strip()
    return masker.hide(mask_header(name, value))


def _request_body(
    module: Module, rendered: RenderedRequest, masker: Masker, base_dir: Path | None
) -> dict[str, Any]:
    """The body only when the module logs it; otherwise just its type and a note that it was left out."""
    source = module.request
    assert source.body is not None
    body: dict[str, Any] = {"content_type": source.body.content_type}
    if not source.log_request_body:
        body["omitted"] = True
        return body
    kind = source.body.content_type
    if kind in ("json", "xml"):
        body["text"] = masker.restore(rendered.body_text(), kind)
    elif kind == "text":
        body["text"] = masker.restore(rendered.body_text(), "raw")
    elif kind == "graphql":
        document = json.loads(rendered.content or b"{}")
        body["query"] = masker.restore(document["query"], "raw")
        if "variables" in document:
            text = json.dumps(document["variables"], ensure_ascii=False, indent=2)
            body["variables"] = masker.restore(text, "json")
    elif kind == "file":
        body["file"] = _attachment_path(source.body.file, "", base_dir)
    elif kind == "form":
        pairs = parse_qsl((rendered.content or b"").decode("utf-8", "replace"), keep_blank_values=True)
        body["fields"] = {masker.hide(k): masker.restore(v, "raw") for k, v in pairs}
    else:
        fields = {masker.hide(k): masker.restore(v, "raw") for k, v in rendered.fields}
        templates = dict(source.body.fields)
        for attachment in rendered.attachments:
            fields[attachment.field] = "@" + _attachment_path(
                templates.get(attachment.field, ""), attachment.filename, base_dir
            )
        body["fields"] = fields
    return body


def _attachment_path(template: str, filename: str, base_dir: Path | None) -> str:
    """An absolute path, so the replay finds the file wherever it runs from."""
    relative = template[1:] if template.startswith("@") else (template or filename)
    if "{{" in relative:
        return relative  # kept as written: its placeholders render again on replay
    return str(((base_dir or Path.cwd()) / relative).resolve())


def _result_table(
    module: Module, result: RunResult, masker: Masker, *, time: str, max_body: int
) -> dict[str, Any]:
    table: dict[str, Any] = {"time": time, "route": result.route, "reason": masker.hide(result.reason)}
    exchange = result.exchange
    if exchange is not None:
        table["status"] = exchange.status
        table["elapsed_ms"] = round(exchange.elapsed_ms, 3)
        table["response_size"] = len(exchange.body)
        table["response_truncated"] = exchange.truncated
        table["http_version"] = exchange.http_version
        table["final_url"] = masker.hide(exchange.url)
        table["headers"] = _response_headers(exchange.headers, masker)
        if exchange.timings_ms:
            table["timings_ms"] = dict(exchange.timings_ms)
    variables = {}
    missing = {}
    for row in result.rows:
        if row.missing:
            missing[row.row.publishes] = masker.hide(row.problem or "missing")
        else:
            variables[row.row.publishes] = masker.hide(_as_text(row.value))
    for name, value in result.published.items():
        if name not in variables and name not in missing:
            variables[name] = masker.hide(value)
    table["variables"] = variables
    if missing:
        table["missing"] = missing
    if exchange is not None and exchange.body and module.request.log_response_body:
        table["body"] = _response_body(exchange.body, result, masker, max_body)
    elif exchange is not None and exchange.body:
        table["body"] = {"omitted": True}
    return table


def _response_headers(headers: Iterable[tuple[str, str]], masker: Masker) -> dict[str, str]:
    """Repeated headers are joined with `, ` (as HTTP allows); names compared case-insensitively."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for name, value in headers:
        shown = mask_header(name, value) if is_secret_header(name) else masker.hide(value)
        merged.setdefault(name.lower(), (name, []))[1].append(shown)
    return {name: ", ".join(values) for name, values in merged.values()}


def _response_body(raw: bytes, result: RunResult, masker: Masker, max_body: int) -> dict[str, Any]:
    """Masked first, then capped, so a cut can never leave half of a secret behind."""
    kind = result.body.kind if result.body is not None else "text"
    if kind == "binary":
        return {"binary": True, "size": len(raw)}
    decoded = result.body.text if result.body is not None else None  # honours the charset
    text = masker.hide(decoded if decoded is not None else raw.decode("utf-8", "replace"))
    encoded = text.encode("utf-8")
    body: dict[str, Any] = {"size": len(raw)}
    if len(encoded) > max_body:
        text = encoded[:max_body].decode("utf-8", "ignore")
        body["truncated"] = True
        body["kept_bytes"] = max_body
    body["text"] = text
    return body


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def masked_places(data: dict[str, Any]) -> list[str]:
    """Where a record's request holds a mask: a replay would send `••••••` there."""
    request = data.get("request", {})
    places = []
    if MASK in str(request.get("url", "")):
        places.append("url")
    for name, value in (request.get("headers") or {}).items():
        if MASK in str(value) or MASK in str(name):
            places.append(f"header {name!r}")
    for key in ("client_key_password", "proxy"):
        if MASK in str(request.get(key, "")):
            places.append(key)
    body = request.get("body") or {}
    texts = [str(body.get(key, "")) for key in ("text", "query", "variables", "file")]
    if any(MASK in text for text in texts) or any(
        MASK in str(v) for v in (body.get("fields") or {}).values()
    ):
        places.append("body")
    auth = request.get("auth") or {}
    params = {f"params.{name}": value for name, value in (auth.get("params") or {}).items()}
    for name, value in [*auth.items(), *params.items()]:
        if isinstance(value, str) and MASK in value:
            places.append(f"auth {name!r}")
    return places
