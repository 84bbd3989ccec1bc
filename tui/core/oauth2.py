"""OAuth2 as an httpx auth flow: client_credentials, password and refresh_token grants.

Our own small flow rather than a library (the README says why): the token request goes out
through the same client as the API request (same TLS, proxy and deadline), tokens are cached
in `TokenCache`, a 401 from the API gets exactly one renewal and one retry, and a failing
token endpoint becomes a failure reason a person can act on:
`token request to https://…/oauth/token failed: HTTP 401 invalid_client`.

Imported only when a profile uses oauth2, so other start-ups never pay for it.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncGenerator, Generator
from typing import NoReturn
from urllib.parse import quote

import httpx

from tui.core.auth import RenderedAuth, client_in_body, token_form
from tui.core.errors import SendError
from tui.core.secrets import mask_text
from tui.core.token_cache import Token, TokenCache, cache_key

# The flow yields (request, wants_body) and is sent the response; bodies are read only for
# token responses, so the API response keeps streaming under hookbench's size cap.
_Step = tuple[httpx.Request, bool]
_Flow = Generator[_Step, httpx.Response, None]
_MAX_DETAIL = 200


class OAuth2Auth(httpx.Auth):
    """Bearer tokens from a token endpoint, cached, renewed once on a 401."""

    requires_request_body = True  # a retried request sends its body again

    def __init__(self, auth: RenderedAuth, cache: TokenCache) -> None:
        self.auth = auth
        self.cache = cache
        self.token_seconds: float | None = None  # time spent on token requests; None: cached
        self.token_url = auth.get("token_url")
        self.key = cache_key(
            self.token_url,
            auth.get("client_id"),
            auth.get("scope"),
            auth.get("audience"),
            auth.get("grant"),
            auth.get("username"),
            auth.get("client_secret"),
            auth.get("password"),
            auth.get("refresh_token"),
            json.dumps(auth.params),
        )

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.read()
        flow = self._flow(request)
        outgoing, wants_body = next(flow)
        while True:
            sent = time.perf_counter()
            response = yield outgoing
            if wants_body:
                response.read()
                self._spent(sent)
            try:
                outgoing, wants_body = flow.send(response)
            except StopIteration:
                return

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        await request.aread()
        flow = self._flow(request)
        outgoing, wants_body = next(flow)
        while True:
            sent = time.perf_counter()
            response = yield outgoing
            if wants_body:
                await response.aread()
                self._spent(sent)
            try:
                outgoing, wants_body = flow.send(response)
            except StopIteration:
                return

    def _spent(self, since: float) -> None:
        """Add a token request (sent until its body was read) to `token_seconds`."""
        self.token_seconds = (self.token_seconds or 0.0) + time.perf_counter() - since

    @property
    def timings(self) -> tuple[tuple[str, float | None], ...]:
        """`token` for the exchange's timings: ms spent fetching tokens, None when cached."""
        spent = self.token_seconds
        return (("token", None if spent is None else round(spent * 1000, 3)),)

    def _flow(self, request: httpx.Request) -> _Flow:
        token = self.cache.get(self.key)
        if token is None or not token.fresh:
            token = yield from self._obtain(token)
        request.headers["Authorization"] = token.header
        response = yield request, False
        if response.status_code != 401:
            return
        self.cache.forget(self.key)  # one renewal and one retry, never a loop
        token = yield from self._obtain(token)
        request.headers["Authorization"] = token.header
        yield request, False

    def _obtain(self, previous: Token | None) -> Generator[_Step, httpx.Response, Token]:
        """Refresh when a refresh token is at hand (falling back to the grant), else the grant."""
        refresh = (previous.refresh_token if previous else None) or None
        if refresh and self.auth.get("grant") != "refresh_token":
            response = yield (
                self._token_request({"grant_type": "refresh_token", "refresh_token": refresh}),
                True,
            )
            if response.is_success:
                return self._store(response, keep_refresh=refresh)
        form = token_form(self.auth, refresh)
        response = yield self._token_request(form), True
        return self._store(response, keep_refresh=form.get("refresh_token"))

    def _token_request(self, form: dict[str, str]) -> httpx.Request:
        headers = {"Accept": "application/json"}
        client_id, secret = self.auth.get("client_id"), self.auth.get("client_secret")
        if client_in_body(self.auth):
            form = {**form, "client_id": client_id} | ({"client_secret": secret} if secret else {})
        else:  # RFC 6749 §2.3.1: each part form-encoded, then Basic
            pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        return httpx.Request("POST", self.token_url, data=form, headers=headers)

    def _store(self, response: httpx.Response, *, keep_refresh: str | None) -> Token:
        token = self._parse(response)
        if token.refresh_token is None and keep_refresh:
            token = Token(token.access_token, token.token_type, token.expires_at, keep_refresh)
        self.cache.put(self.key, token)
        return token

    def _parse(self, response: httpx.Response) -> Token:
        try:
            data = response.json()
        except (ValueError, UnicodeDecodeError):
            data = None
        if not response.is_success:
            error = data.get("error") if isinstance(data, dict) else None
            detail = error if isinstance(error, str) and error else response.reason_phrase
            described = data.get("error_description") if isinstance(data, dict) else None
            if isinstance(described, str) and described:
                detail += f" ({described})"
            self._fail(f"HTTP {response.status_code} {_printable(detail)}")
        if not isinstance(data, dict):
            self._fail(f"the response is not a JSON object (HTTP {response.status_code})")
        access, kind = data.get("access_token"), data.get("token_type", "Bearer")
        if not isinstance(access, str) or not access:
            self._fail("the response has no access_token")
        expires_in = data.get("expires_in")
        if isinstance(expires_in, str) and expires_in.strip().isdigit():
            expires_in = int(expires_in)  # some servers send it as text
        if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)):
            expires_in = None
        refresh = data.get("refresh_token")
        return Token.issued(
            access,
            kind if isinstance(kind, str) and kind else "Bearer",
            expires_in,
            refresh if isinstance(refresh, str) and refresh else None,
        )

    def _fail(self, problem: str) -> NoReturn:
        reason = f"token request to {self.token_url} failed: {problem}"
        raise SendError(mask_text(reason, self.auth.secrets))


def _printable(text: str) -> str:
    """A server's words, one line, no control characters, not too long."""
    cleaned = "".join(char if char.isprintable() else " " for char in text).strip()
    return cleaned if len(cleaned) <= _MAX_DETAIL else cleaned[: _MAX_DETAIL - 1] + "…"
