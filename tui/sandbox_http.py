"""The sandbox's request and response values, shared by every endpoint module."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, NamedTuple
from urllib.parse import parse_qs

from tui.sandbox_state import ApiError, SandboxState


class Stream(NamedTuple):
    """A body written chunk by chunk after a Content-Length of `length`."""

    length: int
    chunks: Iterable[bytes]


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes | Stream = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    abort: bool = False  # close the connection after the body, whatever the length promised
    reason: str | None = None  # the status line's reason phrase (default: the standard one)


@dataclass(frozen=True)
class Request:
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


Endpoint = Callable[[Request], Response]


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(payload).encode(), headers=headers or {})


def number_arg(request: Request, name: str, default: float, *, maximum: float) -> float:
    raw = request.arg(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, f"{name!r} must be a number, got {raw!r}") from None
    if not 0 <= value <= maximum:
        raise ApiError(400, f"{name!r} must be between 0 and {maximum:g}, got {raw}")
    return value
