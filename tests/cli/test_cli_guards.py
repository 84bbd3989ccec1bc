"""Argument and environment mistakes end in one line and exit 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


def hookbench(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_max_body_must_be_positive() -> None:
    done = hookbench("run", "profiles/users.toml", "--max-body", "0")
    assert done.returncode == 2
    assert "a size must be more than 0" in done.stderr and "Traceback" not in done.stderr


def test_port_out_of_range_is_a_usage_error() -> None:
    done = hookbench("sandbox", "--port", "99999")
    assert done.returncode == 2
    assert "a port is 0–65535, not 99999" in done.stderr and "Traceback" not in done.stderr


def test_bad_history_keep_stops_the_app_before_the_screen() -> None:
    done = hookbench("open", "profiles/users.toml", env={"HOOKBENCH_HISTORY_KEEP": "lots"})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "hookbench: error: HOOKBENCH_HISTORY_KEEP='lots': expected a whole number of records (0 records nothing)"
    )


def test_run_masks_an_env_secret_echoed_into_a_variable(tmp_path: Path, sandbox: Sandbox) -> None:
    profile = tmp_path / "echo.toml"
    profile.write_text(
        f'[request]\nmethod = "GET"\nurl = "{sandbox.base_url}/echo"\n'
        '[request.headers]\nX-Note = "{{env.HB_NOTE}}"\n'
        '[[set_variables]]\nname = "headers.X-Note"\ntarget = "note"\n'
    )
    done = hookbench("run", str(profile), "--no-history", env={"HB_NOTE": "s3cr3t-note-value"})
    assert done.returncode == 0, done.stderr
    assert 'note  = "••••••"' in done.stdout and "s3cr3t-note-value" not in done.stdout


def test_a_malformed_punycode_host_is_exit_2_in_a_real_process(tmp_path: Path) -> None:
    profile = tmp_path / "P.toml"
    profile.write_text('[request]\nurl = "{{u}}"\n')
    for url in ("http://xn--a.com/", "http://xn--zz-.com/"):
        for extra in (["--no-history"], ["--dry-run"]):
            done = hookbench("run", str(profile), "--var", f"u={url}", *extra)
            assert (done.returncode, done.stdout) == (2, ""), done.stderr
            assert "Traceback" not in done.stderr
            host = url.split("/")[2]
            assert done.stderr.startswith(
                f"hookbench: error: url {url!r}: {host!r} is not a valid internationalised host name ("
            ), done.stderr


def test_a_literal_auth_value_with_a_line_break_is_refused_without_showing_it(tmp_path: Path) -> None:
    profile = tmp_path / "K.toml"
    profile.write_text(
        '[request]\nurl = "http://127.0.0.1:9/x"\n'
        '[request.auth]\ntype = "api_key"\nname = "X-API-Key"\nvalue = "SECRETVALUE\\nInjected: 1"\n'
    )
    for extra in (["--no-history"], ["--dry-run"]):
        done = hookbench("run", str(profile), *extra)
        assert (done.returncode, done.stdout) == (2, ""), done.stderr
        assert done.stderr == (
            "hookbench: error: request.auth.value holds a line break; refusing to send it"
            " (it would forge a header)\n"
        )


def test_a_refused_proxy_is_named_in_the_failure_reason(tmp_path: Path) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    profile = tmp_path / "P.toml"
    profile.write_text('[request]\nurl = "{{u}}"\n')
    clean = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    for url, proxy in (
        ("http://api.example.invalid/users", {"HTTP_PROXY": f"http://127.0.0.1:{port}"}),
        ("https://127.0.0.1:4443/x", {"HTTPS_PROXY": f"http://127.0.0.1:{port}"}),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "tui", "run", str(profile), "--var", f"u={url}", "--no-history"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=clean | proxy,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        assert f"route: FAILURE — connection refused by the proxy 127.0.0.1:{port}" in done.stdout


def test_an_error_line_writes_control_characters_as_the_screen_does(tmp_path: Path) -> None:
    profile = tmp_path / "P.toml"
    profile.write_text('[request]\nurl = "{{u}}"\n')
    done = hookbench("run", str(profile), "--dry-run", "--var", "u=http://a b.test/\x1b]0;T\x07")
    assert done.returncode == 2
    assert done.stderr == (
        "hookbench: error: url 'http://a b.test/\\u001b]0;T\\u0007': 'a b.test' is not a valid host name\n"
    )


def test_bare_hookbench_takes_env(tmp_path: Path) -> None:
    """`hookbench --env NAME` as `open --env NAME`: an unknown one is a one-line error before the
    screen; a known one is active in the workbench (a real process on a pseudo-terminal)."""
    import pty
    import select
    import time

    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "stagingzz.toml").write_text(
        '[variables]\nbase_url = "http://127.0.0.1:9"\n'
    )
    done = hookbench("--profiles", str(tmp_path), "--env", "nosuch")
    assert done.returncode == 2
    assert done.stderr.startswith("hookbench: error: environment 'nosuch': no such file")
    assert "available: stagingzz" in done.stderr

    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "--profiles", str(tmp_path), "--env", "stagingzz"],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=ROOT,
        env=env,
        close_fds=True,
    )
    os.close(child)
    screen = b""
    try:
        deadline = time.monotonic() + 60
        while b"stagingzz" not in screen and time.monotonic() < deadline:
            if select.select([main], [], [], 0.5)[0]:
                try:
                    screen += os.read(main, 65536)
                except OSError:
                    break
        assert b"stagingzz" in screen  # the header names the active environment
    finally:
        process.kill()
        process.wait(10)
        os.close(main)
