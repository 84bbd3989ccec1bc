"""`hookbench import curl` and `hookbench export curl` as a user runs them: a real process,
stdout for the report, stderr for warnings and errors, exit codes, files on disk."""

from __future__ import annotations

import json
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tui.sandbox import DEMO_TOKEN, Sandbox

ROOT = Path(__file__).resolve().parents[2]


def hookbench(
    *args: str | Path, cwd: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env={**environment, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def test_import_writes_the_profile_moves_the_secret_and_reports(tmp_path: Path) -> None:
    command = """curl https://api.stripe.com/v1/charges -H 'Authorization: Bearer sk_test_4eC39' -d amount=2000 -d currency=usd --retry 3 -s"""
    done = hookbench("import", "curl", command, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "imported profiles/stripe-post-v1-charges.toml  (POST https://api.stripe.com/v1/charges)",
        "  note: no effect on the request: -s",
        "secret moved: header Authorization → {{env.HOOKBENCH_STRIPE_POST_V1_CHARGES_TOKEN}} in profiles/.env",
        "1 profile imported, 1 secret moved to profiles/.env",
    ]
    assert (
        done.stderr == "hookbench: warning: options not imported (hookbench does not read them): --retry 3\n"
    )
    profile = tmp_path / "profiles" / "stripe-post-v1-charges.toml"
    assert "sk_test" not in profile.read_text(encoding="utf-8")
    assert stat.S_IMODE((tmp_path / "profiles" / ".env").stat().st_mode) == 0o600
    assert (tmp_path / "profiles" / ".gitignore").read_text(encoding="utf-8") == ".env\n"


def test_import_from_stdin_to_a_named_file_and_run_it(tmp_path: Path, sandbox: Sandbox) -> None:
    command = f"""curl {sandbox.base_url}/secure/profile \\
  -H 'Authorization: Bearer {DEMO_TOKEN}' -L"""
    done = hookbench("import", "curl", "-", "-o", "mine/secure.toml", cwd=tmp_path, stdin=command)
    assert done.returncode == 0, done.stderr
    assert "{{env.HOOKBENCH_SECURE_TOKEN}} in mine/.env" in done.stdout
    # the profile runs: the token comes from the .env beside it
    ran = hookbench("run", "mine/secure.toml", "--env-file", "mine/.env", "--json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert json.loads(ran.stdout)["status"] == 200


def test_keep_secrets_and_force(tmp_path: Path) -> None:
    command = "curl https://x.test/a -H 'X-Api-Key: k-123'"
    assert hookbench("import", "curl", command, "-o", "a.toml", cwd=tmp_path).returncode == 0
    again = hookbench("import", "curl", command, "-o", "a.toml", "--keep-secrets", cwd=tmp_path)
    assert again.returncode == 2
    assert "a.toml: already exists; --force replaces it (nothing was written)" in again.stderr
    forced = hookbench("import", "curl", command, "-o", "a.toml", "--keep-secrets", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert 'X-Api-Key = "k-123"' in (tmp_path / "a.toml").read_text(encoding="utf-8")
    assert "secret moved" not in forced.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wget https://x.test", "not a curl command: it starts with 'wget', not 'curl'"),
        ("", "nothing to import"),
        ("curl 'https://x.test", "a single quote (') is never closed"),
        ("curl -H 'Accept: */*'", "the curl command names no URL"),
        ("curl https://x.test -d @nowhere.json", "@nowhere.json: cannot read the file the command names"),
        (
            """curl https://x.test -H 'Content-Type: application/json' -d '{"a":'""",
            "labelled json but is not",
        ),
        ("curl -X TRACE https://x.test", "method TRACE"),
    ],
)
def test_malformed_input_is_exit_2_with_a_message_and_nothing_written(
    tmp_path: Path, text: str, message: str
) -> None:
    done = hookbench("import", "curl", text, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("hookbench: error: ") and message in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_report_escapes_control_characters_from_the_command(tmp_path: Path) -> None:
    done = hookbench(
        "import", "curl", "curl $'https://x.test/a\\x1b]52;c;aGk=\\x07' -o out", "-o", "p.toml", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\\u001b]52;c;aGk=\\u0007" in done.stdout


def test_export_prints_one_command_with_shell_references(tmp_path: Path, sandbox: Sandbox) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text(
        f"""name = "Secure"
[request]
method = "GET"
url = "{sandbox.base_url}/secure/profile"
[request.headers]
Authorization = "Bearer {{{{env.HOOKBENCH_DEMO_TOKEN}}}}"
""",
        encoding="utf-8",
    )
    done = hookbench("export", "curl", profile, cwd=tmp_path, env={"HOOKBENCH_DEMO_TOKEN": DEMO_TOKEN})
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout
        == f"""curl {sandbox.base_url}/secure/profile -H 'Authorization: Bearer '"$HOOKBENCH_DEMO_TOKEN" -L --max-time 10\n"""
    )
    # the command runs in a shell that has the variable, and gets through
    ran = subprocess.run(
        ["bash", "-c", done.stdout.strip() + " -s -o /dev/null -w '%{http_code}'"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOOKBENCH_DEMO_TOKEN": DEMO_TOKEN},
        timeout=30,
    )
    assert ran.stdout == "200"
    revealed = hookbench(
        "export", "curl", profile, "--reveal", cwd=tmp_path, env={"HOOKBENCH_DEMO_TOKEN": DEMO_TOKEN}
    )
    assert f"Bearer {DEMO_TOKEN}" in shlex.split(revealed.stdout)[3]


def test_export_of_a_missing_profile_is_exit_2(tmp_path: Path) -> None:
    done = hookbench("export", "curl", "nope.toml", cwd=tmp_path)
    assert done.returncode == 2 and "nope.toml: no such profile file" in done.stderr


def sent_with_env(profile: Path, name: str) -> dict[str, object]:
    """What `hookbench run PROFILE --env NAME` sends, as the sandbox echoes it."""
    from tui.core.environments import load_environment, with_environment
    from tui.core.profile import read_module
    from tui.core.run import run_module_sync
    from tui.core.variables import build_variables

    folder = profile.parent
    environment = load_environment(folder, name)
    module = with_environment(read_module(profile), environment)
    result = run_module_sync(module, build_variables(folder, environment=environment), base_dir=folder)
    assert result.exchange is not None and result.exchange.status == 200, result.reason
    echo: dict[str, object] = json.loads(result.exchange.body)
    return echo


def test_export_with_env_sends_what_run_with_env_sends(
    tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment's base URL, variables, dotenv, auth and proxy are in the exported command,
    and the command, run by bash and curl, sends what `hookbench run --env` sends."""
    from tests.servers import forward_proxy

    folder = tmp_path / "profiles"
    (folder / "environments").mkdir(parents=True)
    (folder / "environments" / "staging.toml").write_text(
        """dotenv = "staging.env"
proxy = "http://{{env.PROXY_HOST}}"
[variables]
base_url = "BASE"
region = "eu"
[auth]
type = "bearer"
token = "{{env.STAGING_TOKEN}}"
""".replace("BASE", sandbox.base_url),
        encoding="utf-8",
    )
    (folder / "staging.env").write_text("STAGING_TOKEN=staging-tok-42\n", encoding="utf-8")
    profile = folder / "note.toml"
    profile.write_text(
        """name = "Note"
[request]
method = "POST"
url = "{{base_url}}/echo/api/v1/{{region}}/notes"
[request.headers]
Content-Type = "text/plain"
[request.body]
content_type = "text"
text = "hello from {{region}}"
""",
        encoding="utf-8",
    )
    with forward_proxy() as proxy:
        host = {"PROXY_HOST": proxy.url.removeprefix("http://")}
        done = hookbench("export", "curl", profile, "--env", "staging", cwd=tmp_path, env=host)
        assert done.returncode == 0, done.stderr
        command = done.stdout.strip()
        assert command == (
            f"curl {sandbox.base_url}/echo/api/v1/eu/notes -H 'Content-Type: text/plain' "
            """-H 'Authorization: Bearer '"$STAGING_TOKEN" --data-binary 'hello from eu' -L """
            """--proxy http://"$PROXY_HOST" --max-time 10"""
        )
        ran = subprocess.run(
            ["bash", "-c", command + " -sS"],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "STAGING_TOKEN": "staging-tok-42", **host},
            timeout=30,
        )
        assert ran.returncode == 0, ran.stderr
        by_curl = json.loads(ran.stdout)
        monkeypatch.setenv("PROXY_HOST", host["PROXY_HOST"])
        by_hookbench = sent_with_env(profile, "staging")
        assert len(proxy.seen) == 2 and proxy.seen[0] == proxy.seen[1]
    for echo in (by_curl, by_hookbench):
        assert (echo["method"], echo["path"], echo["body"]) == (
            "POST",
            "/echo/api/v1/eu/notes",
            "hello from eu",
        )
        headers = echo["headers"]
        assert isinstance(headers, dict)
        assert headers["Authorization"] == "Bearer staging-tok-42"
        assert headers["Content-Type"] == "text/plain"
    revealed = hookbench("export", "curl", profile, "--env", "staging", "--reveal", cwd=tmp_path, env=host)
    assert "Bearer staging-tok-42" in revealed.stdout  # from the environment's dotenv
    # without --env the environment is not applied: {{base_url}} has no value
    bare = hookbench("export", "curl", profile, cwd=tmp_path, env=host)
    assert bare.returncode == 2 and "base_url" in bare.stderr
