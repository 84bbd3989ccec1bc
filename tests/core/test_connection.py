"""Trust, client certificates and proxies against real loopback servers (certificates by trustme)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.servers import Proxy, TlsFiles, forward_proxy, make_tls_files, tls_server, tls_server_that_resets
from tui.core.connection import Connection, connection_lines
from tui.core.errors import SendError, SettingsError
from tui.core.model import Module, Request
from tui.core.render import render_request
from tui.core.run import run_module
from tui.core.send import Clients, send
from tui.core.variables import Variables
from tui.sandbox import Sandbox


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def mtls_url(tls: TlsFiles) -> Iterator[str]:
    with tls_server(tls) as url:
        yield url


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    shared = Clients()
    yield shared
    await shared.aclose()


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    with forward_proxy() as running:
        yield running


def lines_of(request) -> list[str]:
    return connection_lines(request.url, request.connection, request.secrets)


def module(url: str, **request: object) -> Module:
    return Module(request=Request(url=url, **request))  # type: ignore[arg-type]


def rendered(url: str, folder: Path, environ: dict[str, str] | None = None, **request: object):
    return render_request(module(url, **request), Variables(environ=environ or {}), base_dir=folder)


# --------------------------------------------------------------------------- mutual TLS


async def test_mutual_tls_with_a_client_certificate(tls: TlsFiles, mtls_url: str, clients: Clients) -> None:
    request = rendered(
        f"{mtls_url}/who",
        tls.folder,
        verify_tls="ca.pem",  # relative to the profile's folder
        client_cert="client-cert.pem",
        client_key="client-key.pem",
    )
    exchange = await send(request, clients)
    assert exchange.status == 200
    assert json.loads(exchange.body) == {"client": "client.hookbench.test"}
    assert dict(exchange.timings_ms)["tls"] is not None  # a handshake happened and was timed


async def test_encrypted_key_with_its_password_from_env(
    tls: TlsFiles, mtls_url: str, clients: Clients
) -> None:
    request = rendered(
        f"{mtls_url}/who",
        tls.folder,
        environ={"KEY_PASS": tls.key_password},
        verify_tls=str(tls.ca_pem),
        client_cert=str(tls.client_cert),
        client_key=str(tls.encrypted_key),
        client_key_password="{{env.KEY_PASS}}",
    )
    assert tls.key_password in request.secrets  # masked wherever it could be shown
    exchange = await send(request, clients)
    assert json.loads(exchange.body) == {"client": "client.hookbench.test"}


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("wrong", "client key {key}: wrong password (client_key_password)"),
        ("", "client key {key} is encrypted: set client_key_password"),
    ],
)
async def test_wrong_or_missing_key_password_is_one_line(
    tls: TlsFiles, mtls_url: str, clients: Clients, password: str, reason: str
) -> None:
    request = rendered(
        f"{mtls_url}/who",
        tls.folder,
        verify_tls="ca.pem",
        client_cert="client-cert.pem",
        client_key="client-key-encrypted.pem",
        client_key_password=password,
    )
    with pytest.raises(SendError) as caught:
        await send(request, clients)
    assert caught.value.reason == reason.format(key=tls.encrypted_key)


async def test_no_client_certificate_is_refused_by_the_server(tls: TlsFiles, mtls_url: str) -> None:
    result = await _run(module(f"{mtls_url}/who", verify_tls=str(tls.ca_pem)), tls.folder)
    assert result.route == "failure"
    assert (
        result.reason
        == "TLS error talking to 127.0.0.1:{}: the server requires a client certificate (set client_cert)".format(
            mtls_url.rsplit(":", 1)[1]
        )
    )


async def test_a_certificate_from_an_unknown_ca_is_rejected(tls: TlsFiles, mtls_url: str) -> None:
    result = await _run(
        module(f"{mtls_url}/who", verify_tls=str(tls.ca_pem), client_cert=str(tls.stranger_cert)), tls.folder
    )
    assert result.route == "failure"
    assert "the server rejected the client certificate" in result.reason
    assert "\n" not in result.reason


def test_missing_certificate_files_are_errors_before_sending(tls: TlsFiles) -> None:
    with pytest.raises(SettingsError) as caught:
        rendered("https://127.0.0.1:1/", tls.folder, client_cert="nope.pem")
    assert str(caught.value) == f"client_cert: 'nope.pem' does not exist ({tls.folder / 'nope.pem'})"
    with pytest.raises(SettingsError, match="client_key is set without client_cert"):
        rendered("https://127.0.0.1:1/", tls.folder, client_key="client-key.pem")
    with pytest.raises(SettingsError, match=r"^verify_tls: 'absent-ca.pem' does not exist"):
        rendered("https://127.0.0.1:1/", tls.folder, verify_tls="absent-ca.pem")


async def _run(source: Module, folder: Path):
    shared = Clients()
    try:
        return await run_module(source, Variables(environ={}), shared, base_dir=folder)
    finally:
        await shared.aclose()


# --------------------------------------------------------------------------- trust


@pytest.fixture(scope="module")
def plain_tls_url(tls: TlsFiles) -> Iterator[str]:
    with tls_server(tls, require_client_cert=False) as url:
        yield url


async def test_custom_ca_bundle_is_trusted(tls: TlsFiles, plain_tls_url: str) -> None:
    result = await _run(module(f"{plain_tls_url}/who", verify_tls="ca.pem"), tls.folder)
    assert (result.route, result.status) == ("success", 200)


async def test_default_trust_rejects_a_private_ca(tls: TlsFiles, plain_tls_url: str) -> None:
    result = await _run(module(f"{plain_tls_url}/who"), tls.folder)
    assert result.route == "failure" and result.reason.startswith("TLS error talking to 127.0.0.1:")
    assert "issuer certificate" in result.reason


async def test_system_trust_store_is_used_and_rejects_a_private_ca(tls: TlsFiles, plain_tls_url: str) -> None:
    """The trustme CA is in no operating-system store: "system" must check, and fail."""
    import truststore

    from tui.core.connection import ssl_context

    context = ssl_context(Connection(verify="system"))
    assert isinstance(context, truststore.SSLContext)
    result = await _run(module(f"{plain_tls_url}/who", verify_tls="system"), tls.folder)
    assert result.route == "failure" and result.reason.startswith("TLS error talking to 127.0.0.1:")


async def test_a_file_that_is_no_ca_bundle_is_a_one_line_reason(tmp_path: Path, plain_tls_url: str) -> None:
    (tmp_path / "junk.pem").write_text("not a certificate", encoding="utf-8")
    result = await _run(module(f"{plain_tls_url}/who", verify_tls="junk.pem"), tmp_path)
    assert (
        result.reason
        == f"verify_tls: {tmp_path / 'junk.pem'} is not a usable CA bundle (no certificate or crl found)"
    )


async def test_ssl_cert_file_is_the_default_trust_also_through_a_tunnel(
    tls: TlsFiles, plain_tls_url: str, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default trust is httpx's own (SSL_CERT_FILE honoured), though built at the first handshake."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_pem))
    direct = await _run(module(f"{plain_tls_url}/who"), tls.folder)
    tunnelled = await _run(module(f"{plain_tls_url}/who", proxy=proxy.url), tls.folder)
    assert (direct.status, tunnelled.status) == (200, 200)
    assert proxy.seen == [f"CONNECT {plain_tls_url.removeprefix('https://')}"]


async def test_an_unreadable_ssl_cert_file_fails_https_only(
    sandbox: Sandbox, plain_tls_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain HTTP never reads the CA list; a TLS exchange that cannot gets a one-line reason."""
    missing = tmp_path / "gone.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    plain = await _run(module(f"{sandbox.base_url}/users"), tmp_path)
    secure = await _run(module(f"{plain_tls_url}/who"), tmp_path)
    assert (plain.route, plain.status) == ("success", 200)
    assert (secure.route, secure.reason) == (
        "failure",
        f"SSL_CERT_FILE: {missing} is not a usable CA bundle (No such file or directory)",
    )


def test_dry_run_lines_name_trust_and_client_certificate(tls: TlsFiles) -> None:
    request = rendered(
        "https://api.example.test/", tls.folder, verify_tls="system", client_cert="client-cert.pem"
    )
    assert lines_of(request)[1:] == [
        "TLS certificates checked against the operating system's trust store",
        f"client certificate {tls.client_cert}",
    ]
    bundle = rendered("http://api.example.test/", tls.folder, verify_tls="ca.pem")
    assert lines_of(bundle)[1] == f"TLS certificates checked against the CA bundle {tls.ca_pem}"
    off = rendered("https://api.example.test/", tls.folder, verify_tls=False)
    assert lines_of(off)[1] == "TLS certificates not verified (verify_tls = false)"


# --------------------------------------------------------------------------- proxies


async def test_the_proxy_setting_carries_the_request(
    sandbox: Sandbox, proxy: Proxy, clients: Clients, tmp_path: Path
) -> None:
    request = rendered(f"{sandbox.base_url}/users", tmp_path, proxy=proxy.url)
    exchange = await send(request, clients)
    assert exchange.status == 200 and exchange.header("via") == "1.1 hookbench-test-proxy"
    assert proxy.seen == [f"GET {sandbox.base_url}/users"]


async def test_http_proxy_variable_is_honoured_and_no_proxy_bypasses_it(
    sandbox: Sandbox, proxy: Proxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    request = rendered(f"{sandbox.base_url}/users", tmp_path)
    assert lines_of(request)[0] == f"proxy {proxy.url} (from HTTP_PROXY)"
    first = await _send_fresh(request)
    assert first.header("via") == "1.1 hookbench-test-proxy" and len(proxy.seen) == 1

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert lines_of(request)[0] == "no proxy (the host is in NO_PROXY)"
    second = await _send_fresh(request)
    assert second.header("via") is None and len(proxy.seen) == 1


async def _send_fresh(request):
    shared = Clients()  # httpx reads the proxy variables when a client is made
    try:
        return await send(request, shared)
    finally:
        await shared.aclose()


def test_proxy_password_is_a_secret_and_bad_proxies_are_errors(tmp_path: Path) -> None:
    request = rendered("http://api.example.test/", tmp_path, proxy="http://me:pr0xy-pass@proxy.test:3128")
    assert "pr0xy-pass" in request.secrets
    assert lines_of(request)[0] == "proxy http://me:••••••@proxy.test:3128 (from profile or environment)"
    with pytest.raises(SettingsError, match=r"proxy 'ftp://proxy.test' is not an http:// or https:// URL"):
        rendered("http://api.example.test/", tmp_path, proxy="ftp://proxy.test")
    with pytest.raises(SettingsError, match=r"proxy 'http://proxy.test:99999' is not a URL"):
        rendered("http://api.example.test/", tmp_path, proxy="http://proxy.test:99999")


def test_connections_with_different_settings_get_different_clients() -> None:
    shared = Clients()
    plain = shared.get(Connection())
    assert shared.get(Connection()) is plain
    assert shared.get(replace(Connection(), verify=False)) is not plain


# --------------------------------------------------------------------------- reasons a person can act on


async def test_a_reset_right_after_the_tls_handshake_hints_at_the_client_certificate(tls: TlsFiles) -> None:
    with tls_server_that_resets(tls) as url:
        port = url.rsplit(":", 1)[1]
        without = await _run(module(f"{url}/who", verify_tls=str(tls.ca_pem)), tls.folder)
        stranger = await _run(
            module(f"{url}/who", verify_tls=str(tls.ca_pem), client_cert=str(tls.stranger_cert)), tls.folder
        )
    assert without.route == "failure"
    assert without.reason.startswith(f"connection to 127.0.0.1:{port} ")
    assert without.reason.endswith(" (the server may require a client certificate: set client_cert)")
    assert stranger.reason.startswith(f"connection to 127.0.0.1:{port} ")
    assert stranger.reason.endswith(" (the server may have rejected the client certificate)")


async def test_a_reset_before_any_tls_has_no_client_certificate_hint(tmp_path: Path) -> None:
    import socket
    import struct
    import threading

    with socket.create_server(("127.0.0.1", 0)) as listener:

        def reset_one() -> None:
            raw, _ = listener.accept()
            raw.recv(1024)
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            raw.close()

        thread = threading.Thread(target=reset_one, daemon=True)
        thread.start()
        result = await _run(module(f"http://127.0.0.1:{listener.getsockname()[1]}/x"), tmp_path)
        thread.join(5)
    assert result.route == "failure" and "client certificate" not in result.reason


async def test_a_refused_proxy_is_named_not_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    proxy = f"http://127.0.0.1:{port}"
    from_profile = await _run(module("http://api.example.invalid/users", proxy=proxy), tmp_path)
    assert from_profile.reason == f"connection refused by the proxy 127.0.0.1:{port}"
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    from_environment = await _run(module("https://127.0.0.1:4443/x"), tmp_path)
    assert from_environment.reason == f"connection refused by the proxy 127.0.0.1:{port}"
    monkeypatch.delenv("HTTPS_PROXY")
    direct = await _run(module(f"http://127.0.0.1:{port}/x"), tmp_path)
    assert direct.reason == f"connection refused by 127.0.0.1:{port}"  # no proxy: the host itself
