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
