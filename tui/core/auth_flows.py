"""The httpx side of `[request.auth]`: one auth flow per scheme, applied as the request goes out.

Each flow is wrapped in `Recording`, which notes every credential the flow put on the wire
(a Basic header's base64, a digest response, an OAuth2 access token). Those never appear in
the rendered request, yet a server may echo them back, so the run masks them like any secret.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator

import httpx

from tui.core.auth import RenderedAuth
from tui.core.token_cache import TokenCache


class _SetHeader(httpx.Auth):
    """A fixed header: bearer tokens and header API keys."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self.name] = self.value
        yield request


class _QueryParam(httpx.Auth):
    """An API key in the query string, added to whatever query the URL has."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.value = name, value

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.url = request.url.copy_add_param(self.name, self.value)
        yield request


class Recording(httpx.Auth):
    """Runs `inner` and collects, in `sent`, the credential header values of every request."""

    def __init__(self, inner: httpx.Auth, headers: tuple[str, ...]) -> None:
        self.inner = inner
        self.headers = ("authorization", *(name.lower() for name in headers))
        self.sent: set[str] = set()

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self.inner.sync_auth_flow(request)
        try:
            outgoing = next(flow)
            while True:
                self._note(outgoing)
                response = yield outgoing
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    return
        finally:
            flow.close()

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self.inner.async_auth_flow(request)
        try:
            outgoing = await flow.__anext__()
            while True:
                self._note(outgoing)
                response = yield outgoing
                try:
                    outgoing = await flow.asend(response)
                except StopAsyncIteration:
                    return
        finally:
            await flow.aclose()

    @property
    def timings(self) -> tuple[tuple[str, float | None], ...]:
        """Phases the flow adds to the exchange's timings (OAuth2: `token`), in ms."""
        inner: tuple[tuple[str, float | None], ...] = getattr(self.inner, "timings", ())
        return inner

    def _note(self, request: httpx.Request) -> None:
        for name in self.headers:
            value = request.headers.get(name)
            if value:
                self.sent.add(value)
                scheme, space, credential = value.partition(" ")
                if space and scheme.isalpha() and len(credential) >= 3:
                    self.sent.add(credential)


def build_auth(auth: RenderedAuth, tokens: TokenCache) -> Recording:
    """The flow for a rendered `[request.auth]`; OAuth2's module is imported only here."""
    if auth.type == "basic":
        return Recording(httpx.BasicAuth(auth.get("username"), auth.get("password")), ())
    if auth.type == "digest":
        return Recording(httpx.DigestAuth(auth.get("username"), auth.get("password")), ())
    if auth.type == "bearer":
        return Recording(_SetHeader("Authorization", f"Bearer {auth.get('token')}"), ())
    if auth.type == "api_key":
        name, value = auth.get("name"), auth.get("value")
        if auth.get("in") == "query":
            return Recording(_QueryParam(name, value), ())
        return Recording(_SetHeader(name, value), (name,))
    if auth.type == "oauth2":
        from tui.core.oauth2 import OAuth2Auth

        return Recording(OAuth2Auth(auth, tokens), ())
    raise ValueError(f"unknown auth type {auth.type!r}")  # parse_auth lets none through
