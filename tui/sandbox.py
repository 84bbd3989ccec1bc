"""The embedded demo API: a newsletter subscriber database plus fault endpoints.

Stdlib `http.server` (plus xmltodict for XML bodies), no Textual and no httpx, so that
`hookbench sandbox` starts fast. This module routes and serves; the endpoints live by area in
`sandbox_subscribers`, `sandbox_auth_endpoints`, `sandbox_soap`, `sandbox_echo`,
`sandbox_records` (big and hostile bodies) and `sandbox_faults`, all listed in `_ROUTES` below.
"""

from __future__ import annotations

import contextlib
import re
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from tui import sandbox_auth_endpoints as auth
from tui import sandbox_echo as echo
from tui import sandbox_faults as faults
from tui import sandbox_records as records
from tui import sandbox_soap as soap
from tui import sandbox_subscribers as subscribers
from tui.sandbox_auth_endpoints import DEMO_TOKEN
from tui.sandbox_http import Endpoint, Request, Response, json_response
from tui.sandbox_records import HOSTILE
from tui.sandbox_state import ApiError, SandboxState
from tui.sandbox_subscribers import DEFAULT_DISCOUNT_CODE

__all__ = ["DEFAULT_DISCOUNT_CODE", "DEMO_TOKEN", "HOSTILE", "Sandbox", "SandboxState", "serve_forever"]

_ANY = "*"
_SUBSCRIBER = r"/subscribers/([^/]+)"
_ROUTES: tuple[tuple[str, str, Endpoint], ...] = (
    ("GET", r"/subscribers", subscribers.list_subscribers),
    ("POST", r"/subscribers", subscribers.create_subscriber),
    ("GET", _SUBSCRIBER, subscribers.get_subscriber),
    ("PUT", _SUBSCRIBER, partial(subscribers.update_subscriber, replace=True)),
    ("PATCH", _SUBSCRIBER, partial(subscribers.update_subscriber, replace=False)),
    ("DELETE", _SUBSCRIBER, subscribers.delete_subscriber),
    ("GET", r"/users", subscribers.list_users),
    ("POST", r"/soap/subscribers", soap.soap_subscribers),
    ("GET", r"/secure/profile", auth.secure_profile),
    ("POST", r"/oauth/token", auth.oauth_token),
    ("GET", r"/oauth/stats", auth.oauth_stats),
    (_ANY, r"/auth/oauth2", auth.auth_oauth2),
    (_ANY, r"/auth/basic", auth.auth_basic),
    (_ANY, r"/auth/digest", auth.auth_digest),
    (_ANY, r"/auth/bearer", auth.secure_profile),
    (_ANY, r"/auth/api-key", auth.auth_api_key),
    ("POST", r"/emails/discount", subscribers.send_discount),
    ("POST", r"/admin/reset", subscribers.admin_reset),
    ("POST", r"/admin/drift", subscribers.admin_drift),
    (_ANY, r"/echo", echo.echo),
    (_ANY, r"/echo/api/.*", echo.echo),  # any path under it: for requests imported from API docs
    ("GET", r"/records", records.records),
    (_ANY, r"/echo/raw", echo.echo_raw),
    ("POST", r"/session", auth.open_session),
    ("GET", r"/session", auth.check_session),
    (_ANY, r"/fault/delay", faults.delay),
    (_ANY, r"/fault/drip", faults.drip),
    (_ANY, r"/fault/drop", faults.drop),
    (_ANY, r"/fault/malformed-json", faults.malformed_json),
    (_ANY, r"/fault/malformed-xml", faults.malformed_xml),
    (_ANY, r"/fault/xml-bomb", faults.xml_bomb),
    (_ANY, r"/fault/bytes", records.sized_bytes),
    (_ANY, r"/fault/status/(\d{1,3})", faults.status),
    (_ANY, r"/fault/redirect/(\d{1,4})", faults.redirect),
    (_ANY, r"/fault/binary", faults.binary),
    (_ANY, r"/fault/escapes", records.escapes),
    (_ANY, r"/fault/latin1", faults.latin1),
    (_ANY, r"/fault/json-latin1", faults.json_latin1),
)
_COMPILED = tuple((method, re.compile(pattern), endpoint) for method, pattern, endpoint in _ROUTES)


def _route(method: str, path: str) -> tuple[Endpoint, tuple[str, ...]]:
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
        raise ApiError(405, f"{method} is not allowed on {path}", {"Allow": ", ".join(allowed)})
    raise ApiError(404, f"no endpoint at {path}")


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hookbench-sandbox"
    disable_nagle_algorithm = True  # keep-alive replies would otherwise wait ~40 ms for an ACK
    server: _Server

    def do_GET(self) -> None:
        """Every method goes through the routing table."""
        try:
            response = self._respond()
        except ApiError as exc:
            response = json_response(exc.status, {"error": exc.message}, exc.headers)
        except Exception as exc:  # a sandbox bug answers 500 instead of killing the thread
            self.close_connection = True
            response = json_response(500, {"error": f"sandbox error: {exc!r}"})
        try:
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up: nobody to tell

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: no request log on stderr."""

    def _respond(self) -> Response:
        url = urlsplit(self.path)
        body = self._read_body()
        method = "GET" if self.command == "HEAD" else self.command
        endpoint, params = _route(method, unquote(url.path).rstrip("/") or "/")
        return endpoint(
            Request(self.command, url.path, url.query, self.headers, body, self.server.state, params)
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
            raise ApiError(400, "malformed Content-Length or chunked body") from None

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while size := int(self.rfile.readline().split(b";")[0], 16):
            parts.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass  # trailer fields
        return b"".join(parts)

    def _send(self, response: Response) -> None:
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
