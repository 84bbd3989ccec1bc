"""Send a rendered request with httpx and read the response under a size cap and a deadline.

`timeout` is a deadline for the whole exchange (connect, send, headers and the entire body):
a server that drips one byte a second cannot keep a module alive past it. Every transport
failure becomes a SendError whose `reason` is what a failure route shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections.abc import AsyncIterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from tui.core.connection import Connection, ssl_context
from tui.core.errors import SendError
from tui.core.exchange import DEFAULT_MAX_BODY, Exchange
from tui.core.render import RenderedRequest
from tui.core.secrets import mask_text
from tui.core.timings import TimingTrace

if TYPE_CHECKING:
    from tui.core.auth_flows import Recording
    from tui.core.token_cache import TokenCache

USER_AGENT = "hookbench/0.1"


class Clients:
    """One long-lived httpx.AsyncClient per connection setting (trust, client certificate,
    proxy), created on first use, all sharing one cookie jar: a login's Set-Cookie reaches
    the next request to that host, whichever setting it uses.

    Without a `proxy` setting, HTTP(S)_PROXY / NO_PROXY and SSL_CERT_FILE apply as httpx
    users expect (trust_env). OAuth2 tokens live as long as the clients (and across
    processes, in the state folder).
    """

    def __init__(self, *, tokens: TokenCache | None = None) -> None:
        self._clients: dict[Connection, httpx.AsyncClient] = {}
        self.cookies = CookieJar()
        self._tokens = tokens

    @property
    def tokens(self) -> TokenCache:
        if self._tokens is None:
            from tui.core.token_cache import TokenCache

            self._tokens = TokenCache()
        return self._tokens

    def get(self, connection: Connection) -> httpx.AsyncClient:
        """The client for `connection`; SendError when its certificates cannot be loaded."""
        if connection not in self._clients:
            self._clients[connection] = httpx.AsyncClient(
                verify=ssl_context(connection),
                proxy=connection.proxy or None,
                cookies=self.cookies,
                headers={"User-Agent": USER_AGENT},
                timeout=None,
            )
        return self._clients[connection]

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()


async def send(
    request: RenderedRequest, clients: Clients, *, max_body_bytes: int = DEFAULT_MAX_BODY
) -> Exchange:
    """Send `request` and read its response; raises SendError with a readable reason."""
    client = clients.get(request.connection)
    auth = None
    if request.auth is not None:
        from tui.core.auth_flows import build_auth

        auth = build_auth(request.auth, clients.tokens)
    started = time.perf_counter()
    trace = TimingTrace()
    try:
        async with asyncio.timeout(request.timeout):
            return await _exchange(client, request, max_body_bytes, started, trace, auth)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise SendError(f"timeout after {_seconds(request.timeout)}") from exc
    except (httpx.HTTPError, OSError) as exc:  # ssl.SSLError is an OSError
        raise SendError(_masked(_failure_reason(exc, request, trace), request, auth)) from exc
    except (httpx.InvalidURL, OverflowError) as exc:  # what rendering's URL check did not catch
        raise SendError(_masked(f"invalid URL {request.url!r}: {exc}", request, auth)) from exc


def _masked(reason: str, request: RenderedRequest, auth: Recording | None) -> str:
    """An httpx/h11 error may quote a header value (`Illegal header value b'…'`): no secret
    the request knows of (env values, auth values, credential headers sent) reaches a reason."""
    secrets = set(request.secrets)
    if request.auth is not None:
        secrets |= request.auth.secrets
    if auth is not None:
        secrets |= auth.sent
    return mask_text(reason, secrets) if secrets else reason


def _failure_reason(exc: BaseException, request: RenderedRequest, trace: TimingTrace) -> str:
    """What went wrong, saying so when it was the OAuth2 token request that failed."""
    url = request.url
    traced: TimingTrace | None = trace
    with contextlib.suppress(AttributeError, RuntimeError):  # not every error knows its request
        url = str(exc.request.url)  # type: ignore[attr-defined]
        if exc.request.extensions.get("trace") is not trace:  # type: ignore[attr-defined]
            traced = None  # an OAuth2 token request: the trace saw another connection
    reason = describe_transport_error(exc, url, traced)
    if (
        isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError))
        and url.startswith("https:")
        and traced is not None
        and traced.tls_ready
        and not traced.answered
    ):  # TLS 1.3 servers refuse a client certificate after the handshake, often by a reset
        if request.connection.client_cert:
            reason += " (the server may have rejected the client certificate)"
        else:
            reason += " (the server may require a client certificate: set client_cert)"
    auth = request.auth
    if auth is not None and auth.type == "oauth2" and url == auth.get("token_url"):
        return f"token request to {url} failed: {reason}"
    return reason


def _parts(request: RenderedRequest) -> list[tuple[str, tuple[str | None, str | bytes, str | None]]]:
    """Multipart parts: text fields as parts without a file name (so a form of text fields alone is
    still multipart, and a repeated name is sent each time), then the files."""
    fields = [(name, (None, value, None)) for name, value in request.fields]
    files = [(a.field, (a.filename, a.content, a.media_type)) for a in request.attachments]
    return [*fields, *files]


async def _exchange(
    client: httpx.AsyncClient,
    request: RenderedRequest,
    cap: int,
    started: float,
    trace: TimingTrace,
    auth: Recording | None = None,
) -> Exchange:
    headers = list(request.headers)
    content: bytes | AsyncIterator[bytes] | None = request.content
    if request.file is not None:
        content = _stream_file(request.file)
        if not any(name.lower() == "content-length" for name, _ in headers):
            headers.append(("Content-Length", str(request.file.stat().st_size)))
    built = client.build_request(
        request.method,
        request.url,
        headers=headers,
        content=content,
        files=_parts(request) or None,
        timeout=httpx.Timeout(request.timeout),
        extensions={"trace": trace},
    )
    response = await client.send(
        built, stream=True, follow_redirects=request.follow_redirects, auth=auth or httpx.USE_CLIENT_DEFAULT
    )
    try:
        chunks: list[bytes] = []
        size = 0
        truncated = False
        async for chunk in response.aiter_raw() if _is_binary_encoding(response) else response.aiter_bytes():
            if size + len(chunk) > cap:
                chunks.append(chunk[: cap - size])
                truncated = True
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        await response.aclose()
    return Exchange(
        status=response.status_code,
        reason_phrase=response.reason_phrase,
        http_version=response.http_version,
        headers=tuple(response.headers.multi_items()),
        body=b"".join(chunks),
        truncated=truncated,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        url=str(response.url),
        redirects=sum(1 for hop in response.history if hop.is_redirect),  # not auth round trips
        auth_secrets=frozenset(auth.sent) if auth is not None else frozenset(),
        timings_ms=(auth.timings if auth is not None else ()) + trace.finish(),
        request_headers=tuple(response.request.headers.multi_items()),
    )


async def _stream_file(path: Path, chunk_size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """A file body read in chunks as it is sent, never whole in memory."""
    with path.open("rb") as handle:
        while chunk := await asyncio.to_thread(handle.read, chunk_size):
            yield chunk


def _is_binary_encoding(response: httpx.Response) -> bool:
    """Content-Encoding we cannot decode: keep the raw bytes rather than fail."""
    encoding = response.headers.get("content-encoding", "").lower()
    return encoding not in ("", "identity", "gzip", "deflate", "br", "zstd")


def _seconds(value: float) -> str:
    return f"{value:g} s"


def describe_transport_error(exc: BaseException, url: str, trace: TimingTrace | None = None) -> str:
    """A short, specific reason for a failed exchange: refused, DNS, TLS, dropped, redirects.

    `trace` tells which host:port the last connection went to: a proxy's, when it is not the URL's.
    """
    host = urlsplit(url).netloc or url
    reached = _proxy(url, trace) or host  # the URL's host, or the proxy in between
    tls = _find_cause(exc, ssl.SSLError)
    if tls is not None:
        return f"TLS error talking to {host}: {_tls_detail(tls)}"
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if _find_cause(exc, ConnectionRefusedError) is not None:
        return f"connection refused by {reached}"
    if _find_cause(exc, socket.gaierror) is not None:
        return f"could not resolve host {urlsplit(url).hostname!r}"
    if isinstance(exc, (httpx.ConnectError, OSError)):
        return f"could not connect to {reached}: {text}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"connection to {host} closed before the response was complete ({text})"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return f"connection to {host} failed mid-exchange: {text}"
    if isinstance(exc, httpx.ProxyError):
        return f"proxy error: {text}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL: {text}"
    if isinstance(exc, httpx.DecodingError):
        return f"response body could not be decoded: {text}"
    return f"{type(exc).__name__}: {text}"


def _proxy(url: str, trace: TimingTrace | None) -> str | None:
    """`the proxy HOST:PORT` when the last connection went elsewhere than `url`'s host and port."""
    if trace is None or trace.peer is None:
        return None
    try:
        parsed = httpx.URL(url)
        target = (
            f"{parsed.raw_host.decode('ascii')}:{parsed.port or (443 if parsed.scheme == 'https' else 80)}"
        )
    except (httpx.InvalidURL, UnicodeError):
        return None
    return None if trace.peer == target else f"the proxy {trace.peer}"


def _tls_detail(error: BaseException) -> str:
    """The reason of an SSLError, naming the client certificate when the server refused it."""
    reason = str(getattr(error, "reason", None) or "")
    if reason.endswith("ALERT_CERTIFICATE_REQUIRED"):
        return "the server requires a client certificate (set client_cert)"
    if reason.endswith(("ALERT_BAD_CERTIFICATE", "ALERT_UNKNOWN_CA", "ALERT_CERTIFICATE_UNKNOWN")):
        return f"the server rejected the client certificate ({reason.lower().replace('_', ' ')})"
    return getattr(error, "verify_message", None) or reason or str(error)


def _find_cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
