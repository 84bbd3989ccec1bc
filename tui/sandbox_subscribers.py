"""The subscriber database's endpoints: subscribers (JSON, XML, form or multipart bodies), users,
discount e-mails, and the admin switches (reset, drift).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl
from xml.parsers.expat import ExpatError

import xmltodict

from tui.sandbox_http import Request, Response, json_response
from tui.sandbox_state import USERS, ApiError, Json

DEFAULT_DISCOUNT_CODE = "WELCOME10"
_TEXT_FIELDS = ("email", "first_name", "last_name", "phone")


# --- request bodies ------------------------------------------------------------------------


def _body_fields(request: Request) -> tuple[Json, list[Json]]:
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
    raise ApiError(
        415, f"unsupported content type {kind or '(none)'!r}: send JSON, XML, form or multipart data"
    )


def _json_fields(body: bytes) -> Json:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ApiError(400, f"malformed JSON body: {exc}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "JSON body must be an object")
    return data


def _xml_fields(body: bytes) -> Json:
    try:
        root = next(iter(xmltodict.parse(body).values()))
    except (ExpatError, ValueError) as exc:
        raise ApiError(400, f"malformed XML body: {exc}") from None
    if not isinstance(root, dict):
        raise ApiError(
            400,
            "XML body must be one element with child elements, "
            "e.g. <subscriber><email>…</email></subscriber>",
        )
    return root


def _multipart_fields(content_type: str, body: bytes) -> tuple[Json, list[Json]]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(EmailMessage, policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ApiError(400, "malformed multipart body (is the boundary missing?)")
    pairs: list[tuple[str, str]] = []
    attachments: list[Json] = []
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


def _collapse(pairs: Iterable[tuple[str, str]]) -> Json:
    """Form pairs as fields; a repeated name becomes a list."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


def _subscriber_fields(raw: Json, attachments: list[Json], *, require_email: bool) -> Json:
    """The known subscriber fields of a parsed body, checked; 400 on a bad value."""
    fields: Json = {name: _text(raw, name) for name in _TEXT_FIELDS if name in raw}
    if require_email or "email" in fields:
        fields["email"] = _valid_email(fields.get("email"))
    if "tags" in raw:
        fields["tags"] = _tags(raw["tags"])
    if attachments:
        fields["attachments"] = attachments
    return fields


def _text(raw: Json, name: str) -> str:
    value = raw[name]
    if value is None:  # an empty XML element
        return ""
    if not isinstance(value, str):
        raise ApiError(400, f"field {name!r} must be a string, got {value!r}")
    return value.strip()


def _valid_email(value: Any) -> str:
    if not value:
        raise ApiError(400, "the 'email' field is required")
    if not isinstance(value, str) or "@" not in value:
        raise ApiError(400, f"'email' must be an e-mail address, got {value!r}")
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
        raise ApiError(400, "'tags' must be a list of strings or a comma-separated string")
    return [tag.strip() for tag in value if tag.strip()]


# --- subscribers, users, e-mail ------------------------------------------------------------


def list_subscribers(request: Request) -> Response:
    email = request.arg("email")
    found = request.state.find(email)
    if email is not None and not found:
        return json_response(404, {"subscribers": [], "error": f"no subscriber with email {email}"})
    if request.state.drift:
        found = [_drifted_subscriber(s) for s in found]
    return json_response(200, {"subscribers": found})


def _drifted_subscriber(subscriber: Json) -> Json:
    """The names moved under `name`, tags became objects: what a vendor's v2 might send."""
    drifted = {k: v for k, v in subscriber.items() if k not in ("first_name", "last_name", "tags")}
    drifted["name"] = {"first": subscriber["first_name"], "last": subscriber["last_name"]}
    drifted["tags"] = [{"label": tag} for tag in subscriber["tags"]]
    return drifted


def get_subscriber(request: Request) -> Response:
    return json_response(200, request.state.get(request.params[0]))


def create_subscriber(request: Request) -> Response:
    raw, attachments = _body_fields(request)
    subscriber = request.state.create(_subscriber_fields(raw, attachments, require_email=True))
    return json_response(201, subscriber, {"Location": f"/subscribers/{subscriber['id']}"})


def update_subscriber(request: Request, *, replace: bool) -> Response:
    raw, attachments = _body_fields(request)
    fields = _subscriber_fields(raw, attachments, require_email=replace)
    return json_response(200, request.state.update(request.params[0], fields, replace=replace))


def delete_subscriber(request: Request) -> Response:
    request.state.delete(request.params[0])
    return Response(204)


def list_users(request: Request) -> Response:
    if request.state.drift:  # `title` renamed, ids as strings, a paging object
        users = [
            {**{k: v for k, v in u.items() if k != "title"}, "id": str(u["id"]), "salutation": u["title"]}
            for u in USERS
        ]
        return json_response(200, {"users": users, "page": {"next": None}})
    return json_response(200, {"users": USERS})


def send_discount(request: Request) -> Response:
    raw, _ = _body_fields(request)
    code = raw.get("code") or DEFAULT_DISCOUNT_CODE
    if not isinstance(code, str):
        raise ApiError(400, f"'code' must be a string, got {code!r}")
    mail = request.state.queue_email(_valid_email(raw.get("email")), code)
    return json_response(202, {"queued": True, **mail})


def admin_reset(request: Request) -> Response:
    request.state.reset()
    return json_response(200, {"reset": True})


def admin_drift(request: Request) -> Response:
    """`POST /admin/drift?on=true|false`: switch the changed response shapes on or off."""
    value = (request.arg("on") or "true").strip().lower()
    if value not in ("true", "false", "1", "0", "on", "off"):
        raise ApiError(400, f"on must be true or false, not {value!r}")
    request.state.drift = value in ("true", "1", "on")
    return json_response(200, {"drift": request.state.drift})
