"""https through a proxy: `hookbench run` opens a CONNECT tunnel through a loopback proxy to a
loopback TLS server (certificate by trustme), whether the proxy comes from the profile, the
environment or HTTPS_PROXY; the proxy sees only CONNECT, the server gets the request."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_environments_cli import run, write
from tests.servers import Proxy, TlsFiles, forward_proxy, make_tls_files, tls_server

pytestmark = pytest.mark.usefixtures("isolated_history")


@pytest.fixture
def tls(tmp_path: Path) -> TlsFiles:
    (tmp_path / "tls").mkdir()
    return make_tls_files(tmp_path / "tls")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Proxy]:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HOOKBENCH_ENV"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with forward_proxy() as running:
        yield running


def profile_for(folder: Path, server: str, tls: TlsFiles, proxy: str = "") -> Path:
    setting = f'proxy = "{proxy}"\n' if proxy else ""
    return write(
        folder / "secure.toml",
        f'[request]\nurl = "{server}/who?q=1"\nverify_tls = "{tls.ca_pem}"\n{setting}'
        '[[set_variables]]\nname = "client"\ntarget = "client"\n',
    )


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_https_through_the_profile_proxy_is_a_connect_tunnel(
    capsys, tmp_path: Path, tls: TlsFiles, proxy: Proxy
) -> None:
    served: list[str] = []
    with tls_server(tls, require_client_cert=False, seen=served) as server:
        host = proxy.url.removeprefix("http://")
        profile = profile_for(tmp_path / "profiles", server, tls, f"http://hookbench:tunnel-pw-7@{host}")
        code, out, err = run(capsys, "run", profile, "--dry-run")
        assert code == 0 and f"# proxy http://hookbench:••••••@{host} (from profile or environment)" in out
        code, out, err = run(capsys, "run", profile, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert (result["status"], result["route"]) == (200, "success")
    target = server.removeprefix("https://")
    assert proxy.seen == [f"CONNECT {target}"]  # the proxy saw the tunnel, not the request
    assert proxy.credentials == [basic("hookbench", "tunnel-pw-7")]
    assert served == ["GET /who?q=1"]
    assert "tunnel-pw-7" not in out + err


def test_https_through_the_environment_proxy_and_https_proxy(
    capsys, tmp_path: Path, tls: TlsFiles, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[str] = []
    folder = tmp_path / "profiles"
    with tls_server(tls, require_client_cert=False, seen=served) as server:
        write(folder / "environments" / "office.toml", f'proxy = "{proxy.url}"\n')
        profile = profile_for(folder, server, tls)
        code, out, err = run(capsys, "run", profile, "--env", "office", "--json", "--no-history")
        assert code == 0, err
        assert json.loads(out)["status"] == 200
        code, _, err = run(capsys, "run", profile, "--json", "--no-history")  # no proxy at all
        assert code == 0, err
        assert len(proxy.seen) == 1 and len(served) == 2
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        code, out, err = run(capsys, "run", profile, "--dry-run")
        assert f"# proxy {proxy.url} (from HTTPS_PROXY)" in out
        code, out, err = run(capsys, "run", profile, "--json", "--no-history")
        assert code == 0, err
    target = server.removeprefix("https://")
    assert proxy.seen == [f"CONNECT {target}"] * 2
    assert served == ["GET /who?q=1"] * 3


def test_opening_the_tunnel_counts_as_connect_not_as_the_servers_wait(
    capsys, tmp_path: Path, tls: TlsFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proxy holds the CONNECT reply for 0.4 s: that time is in `connect` (a lower bound,
    which no load can break), so `wait` stays the server's own."""
    for name in ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "HOOKBENCH_ENV"):
        monkeypatch.delenv(name, raising=False)
    with forward_proxy(connect_delay=0.4) as slow, tls_server(tls, require_client_cert=False) as server:
        profile = profile_for(tmp_path / "profiles", server, tls, slow.url)
        code, out, err = run(capsys, "run", profile, "--json", "--no-history")
    assert code == 0, err
    timings = json.loads(out)["timings_ms"]
    assert set(timings) == {"connect", "tls", "send", "wait", "receive"}
    assert timings["connect"] >= 400
    assert all(value is not None for value in timings.values())
