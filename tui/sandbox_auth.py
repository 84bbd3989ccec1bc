"""The sandbox's auth side: an OAuth2 token endpoint and the checks behind `/auth/*`.

Plain logic on header values and form fields (no HTTP server here); `tui.sandbox` routes to
it. Known credentials: client `demo-client` / `demo-secret`, user `demo-user` / `demo-pass`,
API key `demo-key`, bearer token `demo-token`. Tokens live for 3600 s unless the token URL
says `?expires_in=N`; the state counts token requests so tests can see the cache work.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

DEMO_CLIENT_ID, DEMO_CLIENT_SECRET = "demo-client", "demo-secret"
DEMO_USERNAME, DEMO_PASSWORD = "demo-user", "demo-pass"
DEMO_API_KEY = "demo-key"
DIGEST_REALM = "hookbench"
DEFAULT_LIFETIME = 3600


class TokenError(Exception):
    """A token request refused as RFC 6749 §5.2 says: status, `error` code, description."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


@dataclass
class _Grant:
    client_id: str
    scope: str
    audience: str
    username: str
    extra: dict[str, str]
    expires_at: float = 0.0


@dataclass
class AuthState:
    """Issued tokens, refresh tokens and nonces, and counters. Every method holds `lock`."""

    lock: threading.RLock = field(default_factory=threading.RLock)
    tokens: dict[str, _Grant] = field(default_factory=dict)
    refresh_tokens: dict[str, _Grant] = field(default_factory=dict)
    nonces: set[str] = field(default_factory=set)
    grants: list[str] = field(default_factory=list)  # grant_type of each token request, in order
    protected_requests: int = 0  # requests to /auth/oauth2, accepted or not

    @property
    def token_requests(self) -> int:
        return len(self.grants)

    def reset(self) -> None:
        """Forget every token (so a cached one gets a 401) and zero the counters."""
        with self.lock:
            self.tokens.clear()
            self.refresh_tokens.clear()
            self.nonces.clear()
            self.grants.clear()
            self.protected_requests = 0

    # --- OAuth2 ----------------------------------------------------------------------------

    def issue(self, form: dict[str, str], authorization: str, lifetime: int) -> dict[str, Any]:
        """Answer a token request, or raise TokenError."""
        with self.lock:
            grant_type = form.get("grant_type", "")
            self.grants.append(grant_type)
            client_id = self._client(form, authorization)
            if grant_type == "client_credentials":
                grant = _Grant(client_id, form.get("scope", ""), form.get("audience", ""), "", {})
            elif grant_type == "password":
                if (form.get("username"), form.get("password")) != (DEMO_USERNAME, DEMO_PASSWORD):
                    raise TokenError(400, "invalid_grant", "wrong username or password")
                grant = _Grant(client_id, form.get("scope", ""), form.get("audience", ""), DEMO_USERNAME, {})
            elif grant_type == "refresh_token":
                known = self.refresh_tokens.get(form.get("refresh_token", ""))
                if known is None or known.client_id != client_id:
                    raise TokenError(400, "invalid_grant", "unknown or revoked refresh token")
                grant = _Grant(known.client_id, known.scope, known.audience, known.username, {})
            else:
                raise TokenError(400, "unsupported_grant_type", f"grant_type {grant_type!r}")
            standard = {"grant_type", "client_id", "client_secret", "scope", "audience"}
            standard |= {"username", "password", "refresh_token"}
            grant.extra = {k: v for k, v in form.items() if k not in standard}
            grant.expires_at = time.time() + lifetime
            access = "at-" + secrets.token_urlsafe(16)
            self.tokens[access] = grant
            answer: dict[str, Any] = {"access_token": access, "token_type": "bearer", "expires_in": lifetime}
            if grant_type != "client_credentials":
                refresh = "rt-" + secrets.token_urlsafe(16)
                self.refresh_tokens[refresh] = grant
                answer["refresh_token"] = refresh
            if grant.scope:
                answer["scope"] = grant.scope
            return answer

    def _client(self, form: dict[str, str], authorization: str) -> str:
        client_id, secret = form.get("client_id", ""), form.get("client_secret")
        basic = _basic_pair(authorization)
        if basic is not None:
            client_id, secret = unquote(basic[0]), unquote(basic[1])
        if client_id != DEMO_CLIENT_ID:
            raise TokenError(401, "invalid_client", f"unknown client {client_id!r}")
        grant_type = form.get("grant_type")
        if secret is None and grant_type == "client_credentials":
            raise TokenError(401, "invalid_client", "client authentication is required")
        if secret is not None and secret != DEMO_CLIENT_SECRET:
            raise TokenError(401, "invalid_client", "client authentication failed")
        return client_id

    def claims(self, authorization: str) -> dict[str, Any] | None:
        """What a live bearer token was issued for, or None (unknown, expired or forgotten)."""
        scheme, _, token = authorization.partition(" ")
        with self.lock:
            self.protected_requests += 1
            grant = self.tokens.get(token.strip()) if scheme.lower() == "bearer" else None
            if grant is None or grant.expires_at < time.time():
                return None
            return {
                "client_id": grant.client_id,
                "scope": grant.scope,
                "audience": grant.audience,
                "username": grant.username,
                "params": grant.extra,
            }

    # --- digest ----------------------------------------------------------------------------

    def digest_challenge(self) -> str:
        """A fresh `WWW-Authenticate: Digest …` (MD5, qop=auth)."""
        nonce = secrets.token_hex(16)
        with self.lock:
            self.nonces.add(nonce)
        return f'Digest realm="{DIGEST_REALM}", qop="auth", nonce="{nonce}", algorithm=MD5, opaque="hb"'

    def digest_ok(self, method: str, authorization: str) -> bool:
        """RFC 7616 with MD5 and qop=auth, for the demo user, on a nonce this sandbox issued."""
        scheme, _, rest = authorization.partition(" ")
        if scheme.lower() != "digest":
            return False
        parts = _digest_parts(rest)
        with self.lock:
            if parts.get("nonce") not in self.nonces:
                return False
        if parts.get("username") != DEMO_USERNAME or parts.get("realm") != DIGEST_REALM:
            return False
        ha1 = _md5(f"{DEMO_USERNAME}:{DIGEST_REALM}:{DEMO_PASSWORD}")
        ha2 = _md5(f"{method}:{parts.get('uri', '')}")
        fields = [parts.get(k, "") for k in ("nonce", "nc", "cnonce", "qop")]
        return parts.get("response") == _md5(":".join([ha1, *fields, ha2]))


def basic_ok(authorization: str) -> bool:
    """`Authorization: Basic` with the demo user's name and password."""
    return _basic_pair(authorization) == (DEMO_USERNAME, DEMO_PASSWORD)


def _basic_pair(authorization: str) -> tuple[str, str] | None:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, colon, password = (
            base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if colon else None


def _digest_parts(text: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for item in _split_commas(text):
        name, _, value = item.strip().partition("=")
        parts[name.strip().lower()] = value.strip().strip('"')
    return parts


def _split_commas(text: str) -> list[str]:
    """Split on commas outside double quotes (a digest `uri` may hold a comma)."""
    items: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # digest auth is MD5 by definition
