"""`hookbench history` and the recording done by `hookbench run`, as real processes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.core.history import History
from tui.core.secrets import MASK
from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("isolated_history")


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    return folder


def env(**extra: str) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    values.update(extra)
    return values


def hookbench(*args: str | Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        input="",
        env=env(**(extra_env or {})),
        cwd=ROOT,
        timeout=60,
    )


def write_profile(folder: Path, text: str, name: str = "profile.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def echo_profile(folder: Path, sandbox: Sandbox, name: str = "echo.toml", *, path: str = "/echo") -> Path:
    return write_profile(
        folder,
        f"""
        name = "Echo"
        [request]
        method = "POST"
        url = "{sandbox.base_url}{path}?q=a%20b&n=1"
        log_request_body = true
        log_response_body = true
        [request.headers]
        X-Custom = "custom value"
        Authorization = "Bearer {{{{env.HB_TOKEN}}}}"
        [request.body]
        content_type = "json"
        text = '{{"greeting": "hello", "n": 2}}'
        [[set_variables]]
        name = "method"
        target = "echoed"
    """,
        name=name,
    )


def listed(profiles: Path, *args: str) -> list[dict]:
    done = hookbench("history", "--profiles", profiles, "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- run records


def test_run_records_and_history_lists(sandbox: Sandbox, profiles: Path, isolated_history: Path) -> None:
    path = echo_profile(profiles, sandbox)
    done = hookbench("run", path, extra_env={"HB_TOKEN": "token-abc-123"})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    records = listed(profiles)
    assert len(records) == 1
    record = records[0]
    assert (record["method"], record["status"], record["route"], record["profile"]) == (
        "POST",
        200,
        "success",
        "echo",
    )
    assert record["url"] == f"{sandbox.base_url}/echo?q=a%20b&n=1"
    folder = History.for_profiles(profiles).root
    assert folder.parent == isolated_history
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())

    text = hookbench("history", "--profiles", profiles)
    assert text.returncode == 0 and text.stdout.startswith(record["id"])
    assert (
        "POST" in text.stdout and "200" in text.stdout and "success" in text.stdout and "echo" in text.stdout
    )


def test_global_profiles_option_selects_the_history_too(sandbox: Sandbox, profiles: Path) -> None:
    assert hookbench("run", echo_profile(profiles, sandbox), extra_env={"HB_TOKEN": "t0k"}).returncode == 0
    done = hookbench("--profiles", profiles, "history", "--json")
    assert len(json.loads(done.stdout)) == 1


def test_limit_and_filter(sandbox: Sandbox, profiles: Path) -> None:
    ok = echo_profile(profiles, sandbox, "ok.toml")
    missing = write_profile(
        profiles, f'[request]\nurl = "{sandbox.base_url}/fault/status/404"\n', name="missing.toml"
    )
    for path in (ok, missing, ok):
        hookbench("run", path, extra_env={"HB_TOKEN": "t0k"})
    assert [r["profile"] for r in listed(profiles)] == ["ok", "missing", "ok"]
    assert [r["profile"] for r in listed(profiles, "--limit", "2")] == ["ok", "missing"]
    assert 404 in [r["status"] for r in listed(profiles, "--filter", "404")]  # the port may hold 404 too
    assert [r["status"] for r in listed(profiles, "--filter", "404 MISSING")] == [404]  # every word, any case
    assert [r["profile"] for r in listed(profiles, "--filter", "failure")] == ["missing"]
    assert len(listed(profiles, "--filter", "ok")) == 2


def test_no_history_and_dry_run_leave_nothing(
    sandbox: Sandbox, profiles: Path, isolated_history: Path
) -> None:
    path = echo_profile(profiles, sandbox)
    assert hookbench("run", path, "--no-history", extra_env={"HB_TOKEN": "t0k"}).returncode == 0
    assert hookbench("run", path, "--dry-run", extra_env={"HB_TOKEN": "t0k"}).returncode == 0
    assert not isolated_history.exists()
    empty = hookbench("history", "--profiles", profiles)
    assert empty.returncode == 0 and empty.stdout == "" and "no recorded runs" in empty.stderr


def test_an_unwritable_history_warns_but_keeps_the_exit_code(
    sandbox: Sandbox, profiles: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = hookbench(
        "run",
        echo_profile(profiles, sandbox),
        extra_env={"HB_TOKEN": "t0k", "HOOKBENCH_HISTORY_DIR": str(blocker)},
    )
    assert done.returncode == 0
    assert "hookbench: warning: could not record the run" in done.stderr


# --------------------------------------------------------------------------- secrets scan


def test_secrets_never_reach_a_history_file(
    sandbox: Sandbox, httpbin, profiles: Path, isolated_history: Path
) -> None:
    secrets = {
        "HB_URL_SECRET": "url-secret-a1b2c3",
        "HB_BODY_SECRET": "body-secret-d4e5f6",
        "HB_COOKIE_SECRET": "set-cookie-secret-g7h8",
    }
    literal = ["auth-secret-i9j0", "cookie-secret-k1l2", "api-key-secret-m3n4"]
    headers = f"""
        [request.headers]
        Authorization = "Bearer {literal[0]}"
        Cookie = "session={literal[1]}"
        X-Api-Key = "{literal[2]}"
    """
    body = """
        [request.body]
        content_type = "json"
        text = '{"password": "{{env.HB_BODY_SECRET}}", "visible": "plain"}'
    """
    echo = write_profile(
        profiles,
        f"""
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo?token={{{{env.HB_URL_SECRET}}}}"
        log_request_body = true
        log_response_body = true
    """
        + textwrap.dedent(headers)
        + textwrap.dedent(body),
        name="echo-secrets.toml",
    )
    cookies = write_profile(
        profiles,
        f"""
        [request]
        method = "POST"
        url = "{httpbin.url}/response-headers?Set-Cookie=sid%3D{{{{env.HB_COOKIE_SECRET}}}}&token={{{{env.HB_URL_SECRET}}}}"
        log_request_body = true
        log_response_body = true
    """
        + textwrap.dedent(headers)
        + textwrap.dedent(body),
        name="httpbin-secrets.toml",
    )
    for path in (echo, cookies):
        done = hookbench("run", path, "--json", extra_env=secrets)
        assert done.returncode == 0, done.stderr
    files = [p for p in isolated_history.rglob("*") if p.is_file()]
    assert len(files) == 2
    stored = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for secret in [*secrets.values(), *literal]:
        assert secret not in stored, secret
    assert "plain" in stored and MASK in stored
    httpbin_record = next(r for r in listed(profiles) if r["profile"] == "httpbin-secrets")
    shown = hookbench("history", "--profiles", profiles, "show", httpbin_record["id"])
    assert "set-cookie" in shown.stdout.lower() and f'= "{MASK}"' in shown.stdout


# --------------------------------------------------------------------------- show and replay


def test_show_prints_the_record(sandbox: Sandbox, profiles: Path) -> None:
    hookbench("run", echo_profile(profiles, sandbox), extra_env={"HB_TOKEN": "t0k-secret"})
    record = listed(profiles)[0]
    done = hookbench("history", "--profiles", profiles, "show", record["id"][:24])
    assert done.returncode == 0
    assert done.stdout.startswith("# hookbench-record v1 ")
    assert 'Authorization = "Bearer {{env.HB_TOKEN}}"' in done.stdout and "[result]" in done.stdout
    assert "t0k-secret" not in done.stdout


@pytest.mark.parametrize("action", ["show", "replay"])
def test_an_unknown_id_exits_2(profiles: Path, action: str) -> None:
    done = hookbench("history", "--profiles", profiles, action, "20990101T000000")
    assert done.returncode == 2
    assert "no history record '20990101T000000'" in done.stderr and done.stdout == ""


def test_replay_sends_the_same_request_and_is_recorded(sandbox: Sandbox, profiles: Path) -> None:
    path = echo_profile(profiles, sandbox)
    first = hookbench("run", path, "--json", extra_env={"HB_TOKEN": "tok-1"})
    original = listed(profiles)[0]
    again = hookbench(
        "history", "--profiles", profiles, "replay", original["id"], "--json", extra_env={"HB_TOKEN": "tok-1"}
    )
    assert again.returncode == 0, again.stderr
    first_json, again_json = json.loads(first.stdout), json.loads(again.stdout)
    for timed in (first_json, again_json):
        timed.pop("elapsed_ms"), timed.pop("timings_ms")
    assert again_json == first_json  # same output shape and values as `hookbench run --json`

    records = listed(profiles)
    assert len(records) == 2 and records[1]["id"] == original["id"]
    assert records[0]["profile"] == "echo" and records[0]["url"] == original["url"]
    history = History.for_profiles(profiles)
    echoed = [json.loads(history.read(r["id"])["result"]["body"]["text"]) for r in records]
    for key in ("method", "path", "query", "headers", "body"):
        assert echoed[0][key] == echoed[1][key], key
    assert echoed[0]["headers"]["X-Custom"] == "custom value"
    assert echoed[0]["body"] == '{"greeting": "hello", "n": 2}'

    quiet = hookbench(
        "history",
        "--profiles",
        profiles,
        "replay",
        original["id"],
        "--no-history",
        extra_env={"HB_TOKEN": "tok-1"},
    )
    assert quiet.returncode == 0 and quiet.stdout.startswith("200 OK")
    assert len(listed(profiles)) == 2


def test_replay_exit_codes_follow_run(sandbox: Sandbox, profiles: Path) -> None:
    path = write_profile(
        profiles, f'[request]\nurl = "{sandbox.base_url}/fault/status/404"\n', name="nf.toml"
    )
    assert hookbench("run", path).returncode == 1
    done = hookbench("history", "--profiles", profiles, "replay", listed(profiles)[0]["id"])
    assert done.returncode == 1 and "route: FAILURE" in done.stdout


def test_replaying_a_masked_secret_is_refused_once_its_source_is_gone(
    sandbox: Sandbox, profiles: Path
) -> None:
    path = write_profile(
        profiles,
        f"""
        [request]
        url = "{sandbox.base_url}/echo"
        [request.headers]
        X-Api-Key = "literal-key-value"
    """,
    )
    hookbench("run", path)
    record = listed(profiles)[0]["id"]
    taken = hookbench("history", "--profiles", profiles, "replay", record)
    assert taken.returncode == 0 and "header 'X-Api-Key' taken from" in taken.stderr
    path.unlink()
    done = hookbench("history", "--profiles", profiles, "replay", record)
    assert done.returncode == 2
    assert "masked" in done.stderr and "X-Api-Key" in done.stderr


# --------------------------------------------------------------------------- robustness


def test_two_runs_at_once_are_both_recorded(sandbox: Sandbox, profiles: Path) -> None:
    path = echo_profile(profiles, sandbox)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tui", "run", str(path)],
            cwd=ROOT,
            env=env(HB_TOKEN="t0k"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    assert all(run.wait(timeout=60) == 0 for run in runs)
    assert len({r["id"] for r in listed(profiles)}) == 4


def test_a_broken_record_is_a_warning_not_a_failure(
    sandbox: Sandbox, profiles: Path, hand_broken_records: set[Path]
) -> None:
    path = echo_profile(profiles, sandbox)
    for _ in range(2):
        hookbench("run", path, extra_env={"HB_TOKEN": "t0k"})
    newest, oldest = listed(profiles)
    broken = History.for_profiles(profiles).path_of(newest["id"])
    hand_broken_records.add(broken)
    broken.write_bytes(broken.read_bytes()[:30])
    done = hookbench("history", "--profiles", profiles)
    assert done.returncode == 0
    assert done.stdout.startswith(oldest["id"]) and newest["id"] not in done.stdout
    assert f"hookbench: warning: skipped history record {broken}" in done.stderr


def test_headless_history_does_not_import_textual(sandbox: Sandbox, profiles: Path) -> None:
    hookbench("run", echo_profile(profiles, sandbox), extra_env={"HB_TOKEN": "t0k"})
    code = (
        "import sys; from tui.cli import main; "
        f"code = main(['history', '--profiles', {str(profiles)!r}]); "
        "assert code == 0; assert not [m for m in sys.modules if m.startswith(('textual', 'tomlkit', 'httpx'))], "
        "sorted(m for m in sys.modules if m.startswith(('textual', 'tomlkit', 'httpx')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env(), cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
