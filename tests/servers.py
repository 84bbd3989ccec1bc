"""Real loopback servers the sandbox cannot play: a TLS server that demands a client
certificate (certificates made by trustme) and a forward HTTP proxy (plain forwarding and
CONNECT tunnels) that records what it carried."""

from __future__ import annotations

import http.client
import json
import select
import signal
import socket
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import trustme
from cryptography.hazmat.primitives import serialization


class _Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# --- mutual TLS --------------------------------------------------------------------------------


class _WhoAmI(_Quiet):
    server: _TlsServer

    def do_GET(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        subject = dict(item[0] for item in (peer or {}).get("subject", ()))
        body = json.dumps({"client": subject.get("commonName")})
        self._reply(200, body.encode(), {"Content-Type": "application/json"})


class _TlsServer(ThreadingHTTPServer):
    daemon_threads = True
    seen: list[str]  # the request line of each request it answered

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Handshake in the connection's thread; on failure give the client time to read the
        alert (as a real server does) before the socket closes."""
        try:
            request.do_handshake()
        except (ssl.SSLError, OSError):
            time.sleep(0.5)
            return
        super().finish_request(request, client_address)


@dataclass
class TlsFiles:
    """PEM files in a folder: the CA, a client certificate and its key (plain and encrypted)."""

    folder: Path
    ca: trustme.CA
    key_password: str = "s3cret-key-pass"
    other_ca: trustme.CA = field(default_factory=trustme.CA)

    @property
    def ca_pem(self) -> Path:
        return self.folder / "ca.pem"

    @property
    def client_cert(self) -> Path:
        return self.folder / "client-cert.pem"

    @property
    def client_key(self) -> Path:
        return self.folder / "client-key.pem"

    @property
    def encrypted_key(self) -> Path:
        return self.folder / "client-key-encrypted.pem"

    @property
    def stranger_cert(self) -> Path:
        """A client certificate and key in one file, from a CA the server does not trust."""
        return self.folder / "stranger.pem"


def make_tls_files(folder: Path) -> TlsFiles:
    files = TlsFiles(folder, trustme.CA())
    files.ca.cert_pem.write_to_path(str(files.ca_pem))
    client = files.ca.issue_cert("client.hookbench.test", common_name="client.hookbench.test")
    client.cert_chain_pems[0].write_to_path(str(files.client_cert))
    client.private_key_pem.write_to_path(str(files.client_key))
    key = serialization.load_pem_private_key(client.private_key_pem.bytes(), None)
    files.encrypted_key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(files.key_password.encode()),
        )
    )
    files.other_ca.issue_cert("stranger.hookbench.test").private_key_and_cert_chain_pem.write_to_path(
        str(files.stranger_cert)
    )
    return files


@contextmanager
def tls_server(
    files: TlsFiles, *, require_client_cert: bool = True, seen: list[str] | None = None
) -> Iterator[str]:
    """An https server on 127.0.0.1 (its certificate from `files.ca`); yields its base URL.
    Each request line it answers is appended to `seen`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    files.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    if require_client_cert:
        files.ca.configure_trust(context)
        context.verify_mode = ssl.CERT_REQUIRED
    server = _TlsServer(("127.0.0.1", 0), _WhoAmI)
    server.seen = seen if seen is not None else []
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    with _serving(server):
        yield f"https://127.0.0.1:{server.server_address[1]}"


@contextmanager
def tls_server_that_resets(files: TlsFiles) -> Iterator[str]:
    """An https server with CERT_REQUIRED that, when the client's certificate is missing or not
    trusted, resets the connection instead of sending an alert (as some servers and load
    balancers do): the client's TLS handshake has completed, its first read fails."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3  # the client finishes before the server checks
    files.ca.issue_cert("127.0.0.1").configure_cert(context)
    files.ca.configure_trust(context)
    context.verify_mode = ssl.CERT_REQUIRED
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def handle(raw: socket.socket) -> None:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_side=True)
        raw.settimeout(5)
        try:
            while True:
                try:
                    tls.do_handshake()
                    break
                except ssl.SSLWantReadError:
                    raw.sendall(outgoing.read())
                    data = raw.recv(65536)
                    if not data:
                        return
                    incoming.write(data)
        except ssl.SSLError:  # no or untrusted certificate: the alert is dropped, the socket reset
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        finally:
            raw.close()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=handle, args=(raw,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


# --- forward proxy -----------------------------------------------------------------------------


class _Proxy(_Quiet):
    server: _ProxyServer

    def do_GET(self) -> None:
        target = urlsplit(self.path)
        body = self._body()
        self.server.seen.append(f"{self.command} {self.path}")
        connection = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=10)
        self.server.credentials.append(self.headers.get("Proxy-Authorization", ""))
        hop_by_hop = ("proxy-connection", "connection", "proxy-authorization")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in hop_by_hop}
        path = target.path + (f"?{target.query}" if target.query else "")
        connection.request(self.command, path or "/", body=body or None, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        keep = {
            k: v
            for k, v in answer.getheaders()
            if k.lower() not in ("content-length", "transfer-encoding", "connection")
        }
        self._reply(answer.status, payload, {**keep, "Via": "1.1 hookbench-test-proxy"})
        connection.close()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET  # noqa: N815

    def do_CONNECT(self) -> None:
        """Tunnel to `host:port` (https through the proxy): reply 200, then relay bytes both
        ways until either side closes. The proxy never sees inside the TLS it carries."""
        self.server.seen.append(f"CONNECT {self.path}")
        self.server.credentials.append(self.headers.get("Proxy-Authorization", ""))
        time.sleep(self.server.connect_delay)
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except (OSError, ValueError):
            self._reply(502, b"cannot reach " + self.path.encode())
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        client = self.connection
        with upstream:
            sockets = [client, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    break
                chunks = [(source, source.recv(65536)) for source in readable]
                if any(not chunk for _, chunk in chunks):
                    break
                for source, chunk in chunks:
                    (upstream if source is client else client).sendall(chunk)
        self.close_connection = True


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, connect_delay: float) -> None:
        super().__init__(("127.0.0.1", 0), _Proxy)
        self.seen: list[str] = []
        self.credentials: list[str] = []
        self.connect_delay = connect_delay


@dataclass
class Proxy:
    url: str
    seen: list[str]
    credentials: list[str]  # the Proxy-Authorization of each request ("" without)


@contextmanager
def forward_proxy(*, connect_delay: float = 0.0) -> Iterator[Proxy]:
    """A forward proxy on 127.0.0.1 (http forwarded, https tunnelled with CONNECT); `seen` lists
    each request line it carried. `connect_delay` seconds pass before a tunnel is opened."""
    server = _ProxyServer(connect_delay)
    with _serving(server):
        yield Proxy(f"http://127.0.0.1:{server.server_address[1]}", server.seen, server.credentials)


def ctrl_c_as_in_a_terminal() -> None:
    """For `Popen(preexec_fn=...)`: the child gets ctrl+c's default action back.

    A shell starts background jobs with SIGINT ignored, and an ignored signal stays ignored
    across exec: Python then installs no KeyboardInterrupt handler, and a test that stops its
    child with SIGINT waits for ever (as it did under `./.ci/run &`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
