"""How a request reaches its server: which certificates are trusted, which client certificate
is shown, and which proxy carries it.

`verify_tls` is true (the bundled CA list, or `SSL_CERT_FILE`), false, `"system"` (the
operating system's trust store through truststore, for corporate CAs) or a CA bundle path.
`proxy` set in a profile or environment is used for every request; without it the
`HTTP_PROXY` / `HTTPS_PROXY` / `ALL_PROXY` / `NO_PROXY` variables decide, as httpx does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tui.core.errors import SendError, SettingsError
from tui.core.model import SYSTEM_TRUST
from tui.core.secrets import mask_text

if TYPE_CHECKING:
    import ssl


@dataclass(frozen=True)
class Connection:
    """Trust, client certificate and proxy of a rendered request (paths absolute)."""

    verify: bool | str = True
    client_cert: str = ""
    client_key: str = ""
    client_key_password: str = ""
    proxy: str = ""

    @property
    def default(self) -> bool:
        """Nothing beyond httpx's own defaults (so the shared default client serves it)."""
        return self == Connection()

    def trust_text(self) -> str:
        """What `--dry-run` says about certificate checks."""
        if self.verify is False:
            return "TLS certificates not verified (verify_tls = false)"
        if self.verify == SYSTEM_TRUST:
            return "TLS certificates checked against the operating system's trust store"
        if isinstance(self.verify, str):
            return f"TLS certificates checked against the CA bundle {self.verify}"
        bundle = os.environ.get("SSL_CERT_FILE")
        return (
            f"TLS certificates checked against {bundle} (SSL_CERT_FILE)"
            if bundle
            else ("TLS certificates checked against the bundled CA list (certifi)")
        )

    def client_text(self) -> str | None:
        """The client certificate line of `--dry-run`, or None without one."""
        if not self.client_cert:
            return None
        key = f", key {self.client_key}" if self.client_key else ""
        return f"client certificate {self.client_cert}{key}"


def check_proxy_url(proxy: str, secrets: set[str]) -> None:
    """A proxy is an http:// or https:// URL with a host; SettingsError otherwise."""
    try:
        parts = urlsplit(proxy)
        parts.port  # noqa: B018 — raises ValueError for a bad port
    except ValueError as exc:
        raise SettingsError(f"proxy {mask_text(proxy, secrets)!r} is not a URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(
            f"proxy {mask_text(proxy, secrets)!r} is not an http:// or https:// URL (e.g. http://proxy.example:3128)"
        )


def proxy_secrets(proxy: str) -> set[str]:
    """The password in `http://user:password@proxy:3128`, to be masked like any secret."""
    try:
        password = urlsplit(proxy).password
    except ValueError:
        return set()
    return {password} if password else set()


def proxy_for(url: str, connection: Connection) -> tuple[str, str]:
    """(proxy URL or "", where that choice came from) for a request to `url`."""
    if connection.proxy:
        return connection.proxy, "profile or environment"
    from urllib.request import (  # type: ignore[attr-defined]  # in the stdlib, not in typeshed
        getproxies_environment,
        proxy_bypass_environment,
    )

    proxies = getproxies_environment()
    parts = urlsplit(url)
    chosen = proxies.get(parts.scheme) or proxies.get("all") or ""
    if not chosen:
        return "", ""
    if proxy_bypass_environment(parts.hostname or "", proxies):
        return "", "NO_PROXY"
    return chosen, f"{parts.scheme.upper()}_PROXY" if proxies.get(parts.scheme) else "ALL_PROXY"


def proxy_text(url: str, connection: Connection, secrets: set[str] | frozenset[str]) -> str:
    """The proxy line of `--dry-run`."""
    proxy, source = proxy_for(url, connection)
    if proxy:
        return f"proxy {mask_text(proxy, {*secrets, *proxy_secrets(proxy)})} (from {source})"
    return f"no proxy (the host is in {source})" if source else "no proxy"


def connection_lines(url: str, connection: Connection, secrets: set[str] | frozenset[str]) -> list[str]:
    """What `--dry-run` says: the proxy; the trust (for https or a setting); the client certificate."""
    lines = [proxy_text(url, connection, secrets)]
    if url.lower().startswith("https:") or connection.verify is not True:
        lines.append(connection.trust_text())
    client = connection.client_text()
    if client:
        lines.append(client)
    return lines


def ssl_context(connection: Connection) -> ssl.SSLContext | bool:
    """The `verify` argument for httpx; SendError with a one-line reason when it cannot be built.

    The default trust is httpx's own context, built at the first TLS handshake (DeferredTrust);
    `False` is passed through (httpx's no-check context costs nothing).
    """
    if connection.verify is True and not connection.client_cert:
        from tui.core.trust import DeferredTrust

        return DeferredTrust()
    if connection.verify is False and not connection.client_cert:
        return False
    import ssl

    import httpx

    try:
        if connection.verify == SYSTEM_TRUST:
            import truststore

            context: ssl.SSLContext = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        elif isinstance(connection.verify, str):
            context = ssl.create_default_context(cafile=connection.verify)
        else:
            context = httpx.create_ssl_context(verify=connection.verify)
    except (ssl.SSLError, OSError) as exc:
        raise SendError(
            f"verify_tls: {connection.verify} is not a usable CA bundle ({_ssl_reason(exc)})"
        ) from exc
    if connection.client_cert:
        _load_client_certificate(context, connection)
    return context


def _load_client_certificate(context: ssl.SSLContext, connection: Connection) -> None:
    import ssl

    password = connection.client_key_password
    try:
        # A callable, so OpenSSL never prompts on the terminal for a missing password.
        context.load_cert_chain(
            connection.client_cert, connection.client_key or None, password=lambda: password.encode("utf-8")
        )
    except ssl.SSLError as exc:
        raise SendError(_certificate_problem(connection, exc)) from exc
    except OSError as exc:
        raise SendError(f"client certificate: cannot read: {exc.strerror or exc}") from exc


def _certificate_problem(connection: Connection, exc: BaseException) -> str:
    """Why a client certificate and key did not load, in words a person can act on."""
    key_path = connection.client_key or connection.client_cert
    try:
        with open(key_path, encoding="utf-8", errors="replace") as handle:
            key_text = handle.read()
    except OSError:
        key_text = ""
    if "ENCRYPTED" in key_text:
        if not connection.client_key_password:
            return f"client key {key_path} is encrypted: set client_key_password"
        return f"client key {key_path}: wrong password (client_key_password)"
    if "KEY_VALUES_MISMATCH" in str(exc):
        return f"client key {key_path} does not belong to the certificate {connection.client_cert}"
    if "PRIVATE KEY" not in key_text:
        return f"client key: no PEM private key in {key_path}"
    return f"client certificate {connection.client_cert}: not a PEM certificate ({_ssl_reason(exc)})"


def _ssl_reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason).replace("_", " ").lower() if reason else (getattr(exc, "strerror", None) or str(exc))
