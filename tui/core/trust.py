"""httpx's default trust, built at the first TLS handshake instead of when a client is made.

Parsing the CA list (certifi's ~150 certificates, or `SSL_CERT_FILE` / `SSL_CERT_DIR`) costs
~25 ms of CPU: a run against a plain-HTTP URL never needs it, and a client's proxy mounts
share this one context instead of each parsing the list again. A CA list that cannot be read
fails the exchange that needed it, with a one-line reason, rather than every exchange.
"""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Iterable
from typing import Any

from tui.core.errors import SendError


class DeferredTrust(ssl.SSLContext):
    """Handshakes are made by `httpx.create_ssl_context()` (the very context httpx would have
    built), created on first use. httpcore sets ALPN on the context before each handshake:
    it is recorded and passed on."""

    def __new__(cls) -> DeferredTrust:
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)

    def __init__(self) -> None:
        self._built: ssl.SSLContext | None = None
        self._alpn: list[str] = []
        self._lock = threading.Lock()  # anyio makes handshakes of SSLContext subclasses in threads

    def set_alpn_protocols(self, alpn_protocols: Iterable[str]) -> None:
        self._alpn = list(alpn_protocols)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        return self._context().wrap_bio(*args, **kwargs)

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        return self._context().wrap_socket(*args, **kwargs)

    def _context(self) -> ssl.SSLContext:
        with self._lock:
            if self._built is None:
                import httpx

                try:
                    self._built = httpx.create_ssl_context()
                except (ssl.SSLError, OSError) as exc:
                    raise SendError(_unusable(exc)) from exc
            self._built.set_alpn_protocols(self._alpn)
            return self._built


def _unusable(exc: BaseException) -> str:
    """Which CA list could not be loaded (httpx reads SSL_CERT_FILE, then SSL_CERT_DIR), and why."""
    reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if os.environ.get(name):
            return f"{name}: {os.environ[name]} is not a usable CA bundle ({reason})"
    return f"the bundled CA list cannot be loaded ({reason})"
