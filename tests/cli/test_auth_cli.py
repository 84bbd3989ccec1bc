"""`[request.auth]` through `hookbench run` as real processes: the token cache across processes,
the failure route of a bad token request, `--dry-run`, and the secrets scan over every file
hookbench writes."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.core.secrets import MASK
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.usefixtures("isolated_history")


def hookbench(*args: str | Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | extra_env
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        input="",
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def write_profile(folder: Path, name: str, url: str, auth: str, *, body: bool = False) -> Path:
    text = f"""
        name = "{name}"
        [request]
        method = "{"POST" if body else "GET"}"
        url = "{url}"
        log_request_body = true
        log_response_body = true
    """
    if body:
        text += """
        [request.body]
        content_type = "json"
        text = '{"hello": "world"}'
        """
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(text).lstrip("\n") + textwrap.dedent(auth).lstrip("\n"), encoding="utf-8")
    return path


def oauth2_table(
    sandbox: Sandbox,
    secret: str = "{{env.HB_CLIENT_SECRET}}",
    extra: str = "",
    client_id: str = DEMO_CLIENT_ID,
) -> str:
    return f"""
        [request.auth]
        type = "oauth2"
        token_url = "{sandbox.base_url}/oauth/token"
        client_id = "{client_id}"
        client_secret = "{secret}"
        scope = "orders.read"
        {extra}
    """


def test_two_runs_in_a_row_make_one_token_request(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, "orders", fresh_sandbox.base_url + "/auth/oauth2", oauth2_table(fresh_sandbox)
    )
    for _ in range(2):
        done = hookbench("run", profile, "--json", HB_CLIENT_SECRET=DEMO_CLIENT_SECRET)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["route"] == "success"
    assert fresh_sandbox.state.auth.grants == ["client_credentials"]
    assert fresh_sandbox.state.auth.protected_requests == 2
    folder = tmp_path / "state" / "hookbench" / "tokens"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()] == [0o600]


def test_the_token_request_is_in_the_timings_when_one_was_made(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    """First run: a token request, timed as `token`; second run: the cached token, `token` null
    and left out of the human line; a new state folder (no cache): timed again."""
    profile = write_profile(
        tmp_path, "orders", fresh_sandbox.base_url + "/auth/oauth2", oauth2_table(fresh_sandbox)
    )
    runs = [hookbench("run", profile, "--json", HB_CLIENT_SECRET=DEMO_CLIENT_SECRET) for _ in range(2)]
    fetched, cached = (json.loads(done.stdout) for done in runs)
    assert list(fetched["timings_ms"]) == ["token", "connect", "tls", "send", "wait", "receive"]
    assert 0 < fetched["timings_ms"]["token"] <= fetched["elapsed_ms"]
    assert cached["timings_ms"]["token"] is None and cached["timings_ms"]["wait"] is not None
    assert fresh_sandbox.state.auth.token_requests == 1
    human = hookbench("run", profile, HB_CLIENT_SECRET=DEMO_CLIENT_SECRET).stdout
    [line] = [line for line in human.splitlines() if line.startswith("timings:")]
    assert line.startswith("timings: connect ") and "token" not in line
    again = hookbench(
        "run", profile, HB_CLIENT_SECRET=DEMO_CLIENT_SECRET, XDG_STATE_HOME=str(tmp_path / "other-state")
    ).stdout
    [line] = [line for line in again.splitlines() if line.startswith("timings:")]
    assert line.startswith("timings: token ") and " ms · send " in line  # the connection was the token's
    assert fresh_sandbox.state.auth.token_requests == 2


def test_a_bad_client_secret_exits_1_with_the_reason(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, "orders", fresh_sandbox.base_url + "/auth/oauth2", oauth2_table(fresh_sandbox)
    )
    done = hookbench("run", profile, HB_CLIENT_SECRET="wrong-secret-123")
    assert done.returncode == 1
    assert (
        f"route: FAILURE — token request to {fresh_sandbox.base_url}/oauth/token failed: "
        "HTTP 401 invalid_client (client authentication failed)"
    ) in done.stdout
    assert "wrong-secret-123" not in done.stdout + done.stderr


def test_dry_run_shows_the_auth_masked_and_sends_nothing(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, "orders", fresh_sandbox.base_url + "/auth/oauth2", oauth2_table(fresh_sandbox)
    )
    done = hookbench("run", profile, "--dry-run", HB_CLIENT_SECRET="a-very-secret-value")
    assert done.returncode == 0, done.stderr
    assert (
        f"auth: oauth2 client_credentials via {fresh_sandbox.base_url}/oauth/token · client_id {MASK} · "
        f"client_secret {MASK} · scope orders.read"
    ) in done.stdout
    assert "a-very-secret-value" not in done.stdout and DEMO_CLIENT_ID not in done.stdout
    assert fresh_sandbox.state.auth.grants == []


def test_an_unknown_placeholder_in_auth_exits_2(tmp_path: Path, sandbox: Sandbox) -> None:
    profile = write_profile(tmp_path, "orders", sandbox.base_url + "/auth/oauth2", oauth2_table(sandbox))
    env = {k: v for k, v in os.environ.items() if k != "HB_CLIENT_SECRET"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "run", str(profile)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 2
    assert "unknown variable in auth 'client_secret': env.HB_CLIENT_SECRET" in done.stderr


# --------------------------------------------------------------------------- secrets scan


def test_auth_secrets_never_reach_a_file_hookbench_writes(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    """Each scheme, literal and from {{env.*}}, against /echo (which sends every header back)."""
    base = fresh_sandbox.base_url
    literal = {"basic": "basic-literal-pw1", "api": "api-literal-key2", "bearer": "bearer-literal-tok3"}
    env = {
        "HB_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "HB_DIGEST_PW": "digest-env-pw4",
        "HB_PARAM": "param-env-5",
    }
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    tables = {
        "basic": f'[request.auth]\ntype = "basic"\nusername = "{DEMO_USERNAME}"\npassword = "{literal["basic"]}"\n',
        "digest": '[request.auth]\ntype = "digest"\nusername = "digest-user"\npassword = "{{env.HB_DIGEST_PW}}"\n',
        "bearer": f'[request.auth]\ntype = "bearer"\ntoken = "{literal["bearer"]}"\n',
        "header-key": f'[request.auth]\ntype = "api_key"\nname = "X-Api-Key"\nvalue = "{literal["api"]}"\n',
        "query-key": f'[request.auth]\ntype = "api_key"\nname = "key"\nin = "query"\nvalue = "{literal["api"]}"\n',
        "oauth2": oauth2_table(fresh_sandbox, extra='[request.auth.params]\nresource = "{{env.HB_PARAM}}"'),
        "password": oauth2_table(
            fresh_sandbox,
            extra=f'grant = "password"\nusername = "{DEMO_USERNAME}"\npassword = "{DEMO_PASSWORD}"',
        ),
    }
    for name, table in tables.items():
        path = write_profile(profiles, name, f"{base}/echo?visible=plain", table, body=True)
        done = hookbench("run", path, "--json", **env)
        assert done.returncode == 0, (name, done.stderr)
        assert json.loads(done.stdout)["route"] == "success"
    digest = write_profile(
        profiles, "digest-real", f"{base}/auth/digest", tables["digest"].replace("digest-user", DEMO_USERNAME)
    )
    assert hookbench("run", digest, HB_DIGEST_PW=DEMO_PASSWORD).returncode == 0

    issued = [*fresh_sandbox.state.auth.tokens, *fresh_sandbox.state.auth.refresh_tokens]
    assert len(issued) == 3  # two access tokens and the password grant's refresh token
    basic_header = base64.b64encode(f"{DEMO_USERNAME}:{literal['basic']}".encode()).decode()
    client_header = base64.b64encode(f"{DEMO_CLIENT_ID}:{DEMO_CLIENT_SECRET}".encode()).decode()
    secrets = [*literal.values(), *env.values(), DEMO_PASSWORD, *issued, basic_header, client_header]

    state = tmp_path / "state" / "hookbench"
    tokens = state / "tokens"
    written = [p for p in [*tmp_path.joinpath("history-root").rglob("*"), *state.rglob("*")] if p.is_file()]
    records = [p for p in written if p.is_relative_to(tmp_path / "history-root")]
    assert len(records) == len(tables) + 1
    stored = "\n".join(p.read_text(encoding="utf-8") for p in written if not p.is_relative_to(tokens))
    for secret in secrets:
        assert secret not in stored, secret
    assert "plain" in stored and MASK in stored and '"{{env.HB_DIGEST_PW}}"' in stored
    # the cache holds the tokens, and nothing but them and when to renew them
    cached = [json.loads(p.read_text()) for p in tokens.iterdir()]
    assert sorted(cached[0]) == ["access_token", "expires_at", "refresh_token", "token_type"]
    assert {entry["access_token"] for entry in cached} <= set(issued)
    for secret in [*literal.values(), *env.values(), DEMO_PASSWORD, basic_header, client_header]:
        assert all(secret not in json.dumps(entry) for entry in cached)

    listing = json.loads(hookbench("history", "--profiles", profiles, "--json").stdout)
    for record in listing:
        shown = hookbench("history", "--profiles", profiles, "show", record["id"]).stdout
        assert not [secret for secret in secrets if secret in shown], record["profile"]


def test_replay_uses_env_placeholders_and_takes_masked_literals_from_the_source(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    table = oauth2_table(fresh_sandbox, client_id="{{env.HB_CLIENT_ID}}")
    from_env = write_profile(profiles, "from-env", fresh_sandbox.base_url + "/auth/oauth2", table)
    env = {"HB_CLIENT_ID": DEMO_CLIENT_ID, "HB_CLIENT_SECRET": DEMO_CLIENT_SECRET}
    literal = write_profile(
        profiles,
        "literal",
        fresh_sandbox.base_url + "/auth/basic",
        f'[request.auth]\ntype = "basic"\nusername = "{DEMO_USERNAME}"\npassword = "{DEMO_PASSWORD}"\n',
    )
    for path in (from_env, literal):
        assert hookbench("run", path, **env).returncode == 0
    records = {
        r["profile"]: r["id"]
        for r in json.loads(hookbench("history", "--profiles", profiles, "--json").stdout)
    }
    replayed = hookbench("history", "--profiles", profiles, "replay", records["from-env"], **env)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    recovered = hookbench("history", "--profiles", profiles, "replay", records["literal"])
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert recovered.stderr == "".join(
        f"hookbench: note: auth {key!r} taken from {literal} (it is masked in the record)\n"
        for key in ("username", "password")
    )
    literal.unlink()  # no source left: refused, naming both fields
    refused = hookbench("history", "--profiles", profiles, "replay", records["literal"])
    assert refused.returncode == 2
    assert "auth 'username', auth 'password'" in refused.stderr
    assert f"its source profile {literal} does not exist" in refused.stderr


@pytest.mark.parametrize(
    ("path", "auth", "secrets", "shell_env"),
    [
        (
            "/auth/api-key",
            '[request.auth]\ntype = "api_key"\nname = "api_key"\nvalue = "demo-key"\nin = "query"\n',
            ["demo-key"],
            {"HOOKBENCH_AUTH_VALUE": "demo-key"},
        ),
        (
            "/auth/basic",
            f'[request.auth]\ntype = "basic"\nusername = "{DEMO_USERNAME}"\npassword = "{DEMO_PASSWORD}"\n',
            [DEMO_USERNAME, DEMO_PASSWORD],
            {"HOOKBENCH_AUTH_USERNAME": DEMO_USERNAME, "HOOKBENCH_AUTH_PASSWORD": DEMO_PASSWORD},
        ),
        (
            "/auth/oauth2",
            '[request.auth]\ntype = "oauth2"\ntoken_url = "{{base}}/oauth/token"\n'
            f'client_id = "{DEMO_CLIENT_ID}"\nclient_secret = "{DEMO_CLIENT_SECRET}"\n',
            [DEMO_CLIENT_ID, DEMO_CLIENT_SECRET],
            {"HOOKBENCH_AUTH_CLIENT_ID": DEMO_CLIENT_ID, "HOOKBENCH_AUTH_CLIENT_SECRET": DEMO_CLIENT_SECRET},
        ),
    ],
)
def test_export_curl_writes_literal_auth_secrets_as_shell_references(
    fresh_sandbox: Sandbox,
    tmp_path: Path,
    path: str,
    auth: str,
    secrets: list[str],
    shell_env: dict[str, str],
) -> None:
    """Without --reveal no credential is printed, stderr says what to set, and the command
    works once it is set; with --reveal the values are written."""
    profile = write_profile(tmp_path, "p", "{{base}}" + path, auth)
    base = f"--var=base={fresh_sandbox.base_url}"
    done = hookbench("export", "curl", profile, base)
    assert done.returncode == 0, done.stderr
    for secret in secrets:
        assert secret not in done.stdout and secret not in done.stderr
    for name in shell_env:
        assert f'"${name}"' in done.stdout
        assert f"from ${name}: set it before running it (or export with --reveal)" in done.stderr
    command = done.stdout.strip() + " -sS -f"
    no_proxy = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    without = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=30, env=no_proxy
    )
    assert without.returncode != 0  # the references are what carries the credentials …
    ran = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=30, env=no_proxy | shell_env
    )
    assert ran.returncode == 0, ran.stderr  # … and with them set, the server accepts the request
    assert '"authenticated"' in ran.stdout
    revealed = hookbench("export", "curl", profile, base, "--reveal")
    assert revealed.returncode == 0 and revealed.stderr == ""
    assert all(secret in revealed.stdout for secret in secrets) and "HOOKBENCH_AUTH" not in revealed.stdout
