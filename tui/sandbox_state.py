"""The sandbox's data: subscribers by id, sent e-mails, sessions, the drift switch, auth state.

`ApiError` is how any part of the sandbox answers `{"error": message}` with a status.
"""

from __future__ import annotations

import copy
import itertools
import threading
from datetime import UTC, datetime
from typing import Any

from tui.sandbox_auth import AuthState

Json = dict[str, Any]


_INITIAL_SUBSCRIBERS: tuple[Json, ...] = (
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
_BLANK_SUBSCRIBER: Json = {"first_name": "", "last_name": "", "phone": "", "tags": []}
USERS: tuple[Json, ...] = (
    {"id": 1, "title": "Ms", "name": "Ada Lovelace", "email": "ada@example.com"},
    {"id": 2, "title": "Dr", "name": "Grace Hopper", "email": "grace@example.com"},
)


class ApiError(Exception):
    """Answered as `{"error": message}` with `status` (and `headers`)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class SandboxState:
    """The in-memory data: `subscribers` by id and `emails_sent`. Writers hold `lock`."""

    subscribers: dict[str, Json]
    emails_sent: list[Json]
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

    def find(self, email: str | None) -> list[Json]:
        """Subscribers whose e-mail matches case-insensitively; all of them for `None`."""
        with self.lock:
            return copy.deepcopy(
                [
                    s
                    for s in self.subscribers.values()
                    if email is None or s["email"].casefold() == email.strip().casefold()
                ]
            )

    def get(self, subscriber_id: str) -> Json:
        """A copy of one subscriber; 404 if unknown."""
        with self.lock:
            return copy.deepcopy(self._existing(subscriber_id))

    def create(self, fields: Json) -> Json:
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

    def update(self, subscriber_id: str, fields: Json, *, replace: bool) -> Json:
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

    def queue_email(self, email: str, code: str) -> Json:
        """Record a discount e-mail as sent and return its record."""
        with self.lock:
            mail = {"id": f"mail_{len(self.emails_sent) + 1}", "email": email, "code": code}
            self.emails_sent.append(mail)
            return dict(mail)

    def _existing(self, subscriber_id: str) -> Json:
        try:
            return self.subscribers[subscriber_id]
        except KeyError:
            raise ApiError(404, f"no subscriber with id {subscriber_id}") from None

    def _check_unique(self, email: str, ignore: str | None = None) -> None:
        for subscriber in self.subscribers.values():
            if subscriber["email"].casefold() == email.casefold() and subscriber["id"] != ignore:
                raise ApiError(409, f"a subscriber with email {email} exists: {subscriber['id']}")
