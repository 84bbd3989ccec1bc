"""OAuth2 access tokens kept between requests: in memory, and across processes in the state folder.

One 0600 JSON file per token in `$XDG_STATE_HOME/hookbench/tokens/` (a 0700 folder), named by
a hash of everything that obtained it (token URL, client id, scope, audience, grant, and the
credentials themselves, so a changed secret never reuses a token got with the old one). A
token is used until `expires_in` minus 30 s; a stale one is kept only for its refresh token.
Tokens never go anywhere else: not into a profile, a history record, a log or the screen.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tui.core.files import atomic_write_text, state_home

EARLY_SECONDS = 30.0  # renew this long before the server says the token expires
UNKNOWN_LIFETIME = 3600.0  # a token response without expires_in (a 401 renews it sooner)


@dataclass(frozen=True)
class Token:
    """An access token and when to stop using it (epoch seconds)."""

    access_token: str
    token_type: str = "Bearer"
    expires_at: float = 0.0
    refresh_token: str | None = None

    @classmethod
    def issued(
        cls, access_token: str, token_type: str, expires_in: float | None, refresh_token: str | None
    ) -> Token:
        """A token just received, usable until `expires_in` − 30 s from now."""
        lifetime = UNKNOWN_LIFETIME if expires_in is None else expires_in
        return cls(access_token, token_type, time.time() + lifetime - EARLY_SECONDS, refresh_token)

    @property
    def fresh(self) -> bool:
        return time.time() < self.expires_at

    @property
    def header(self) -> str:
        """The Authorization value; any casing of `bearer` is sent as `Bearer` (RFC 6750)."""
        kind = "Bearer" if self.token_type.lower() == "bearer" else self.token_type
        return f"{kind} {self.access_token}"


def cache_key(*parts: str) -> str:
    """A file-name-safe key over everything that obtained a token."""
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()[:40]


class TokenCache:
    """Tokens by key: a dict in front of one file per token. File problems never fail a send."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else state_home() / "tokens"
        self._memory: dict[str, Token] = {}

    def get(self, key: str) -> Token | None:
        """The token for `key`: fresh, or stale but refreshable; None otherwise."""
        token = self._memory.get(key) or self._read(key)
        if token is None or not (token.fresh or token.refresh_token):
            self.forget(key)
            return None
        self._memory[key] = token
        return token

    def put(self, key: str, token: Token) -> None:
        """Keep `token` (one that is neither fresh nor refreshable is not worth keeping)."""
        if not (token.fresh or token.refresh_token):
            self.forget(key)
            return
        self._memory[key] = token
        with contextlib.suppress(OSError):
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            atomic_write_text(self._path(key), json.dumps(asdict(token)), mode=0o600)

    def forget(self, key: str) -> None:
        """Drop the token for `key` (a 401 said it is no good)."""
        self._memory.pop(key, None)
        with contextlib.suppress(OSError):
            os.unlink(self._path(key))

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def _read(self, key: str) -> Token | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            token = Token(**data)
        except (OSError, ValueError, TypeError):
            return None  # absent, unreadable or hand-edited: fetch a new one
        fields_ok = isinstance(token.access_token, str) and isinstance(token.token_type, str)
        if not fields_ok or not isinstance(token.expires_at, (int, float)):
            return None
        if token.refresh_token is not None and not isinstance(token.refresh_token, str):
            return None
        return token
