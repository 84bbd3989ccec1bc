"""`hookbench import postman` and `hookbench import openapi` as a user runs them, then the
imported profiles run against the sandbox (Postman) or dry-run (OpenAPI)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
IMPORTERS = DATA / "importers"


def hookbench(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("HOOKBENCH_")
    }
    environment["HOOKBENCH_HISTORY_DIR"] = os.environ["HOOKBENCH_HISTORY_DIR"]
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input="",
        env={**environment, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def sandbox_environment(tmp_path: Path, sandbox: Sandbox) -> Path:
    environment = json.loads((IMPORTERS / "postman-environment.json").read_text(encoding="utf-8"))
    for entry in environment["values"]:
        if entry["key"] == "base_url":
            entry["value"] = sandbox.base_url
    path = tmp_path / "sandbox.postman_environment.json"
    path.write_text(json.dumps(environment), encoding="utf-8")
    return path


def files_under(folder: Path) -> list[str]:
    return (
        sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if folder.exists()
        else []
    )


def test_postman_import_writes_profiles_environment_and_secrets(tmp_path: Path, sandbox: Sandbox) -> None:
    environment = sandbox_environment(tmp_path, sandbox)
    done = hookbench(
        "import",
        "postman",
        IMPORTERS / "postman-collection.json",
        "--environment",
        environment,
        "-o",
        "out",
        cwd=tmp_path,
    )
    out = tmp_path / "out"
    assert "imported out/subscribers/nested/get-subscriber.toml" in done.stdout
    assert "skipped Echo / Preflight: method OPTIONS" in done.stdout
    assert done.returncode == 1, done.stderr  # some requests skipped
    assert "secret variable → {{env.HOOKBENCH_NEWSLETTER_API_TOKEN}}" in done.stdout
    assert "secret HOOKBENCH_NEWSLETTER_API_PASSWORD → out/environments/sandbox.env" in done.stdout
    dotenv = out / ".env"
    assert dotenv.read_text(encoding="utf-8") == (
        "HOOKBENCH_NEWSLETTER_API_TOKEN=demo-token\nHOOKBENCH_NEWSLETTER_API_USERNAME=ada\n"
    )
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "environments" / "sandbox.env").stat().st_mode) == 0o600
    assert set((out / ".gitignore").read_text(encoding="utf-8").split()) == {".env", "environments/*.env"}
    sandbox_toml = (out / "environments" / "sandbox.toml").read_text(encoding="utf-8")
    assert (
        'dotenv = "environments/sandbox.env"' in sandbox_toml
        and f'base_url = "{sandbox.base_url}"' in sandbox_toml
    )
    every_file = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.toml"))
    assert (
        "demo-token" not in every_file and "s3cret" not in every_file and "sandbox-api-key" not in every_file
    )
    lookup = (out / "subscribers" / "lookup-subscriber.toml").read_text(encoding="utf-8")
    assert lookup.startswith(
        "# Postman script lines not translated (kept for reference):\n#   console.log(jsonData);\n"
    )


# What the collection's .env and the environment's dotenv hold, given as the process environment.
CREDENTIALS = {
    "HOOKBENCH_NEWSLETTER_API_TOKEN": "demo-token",
    "HOOKBENCH_NEWSLETTER_API_USERNAME": "ada",
    "HOOKBENCH_NEWSLETTER_API_PASSWORD": "s3cret",
    "HOOKBENCH_NEWSLETTER_API_API_KEY": "sandbox-api-key",
}


def run_json(profile: Path, sandbox: Sandbox, *extra: str) -> dict[str, object]:
    done = hookbench(
        "run",
        profile,
        "--json",
        "--var",
        f"base_url={sandbox.base_url}",
        *extra,
        cwd=profile.parent,
        env=CREDENTIALS,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def imported_with_environment(tmp_path: Path, sandbox: Sandbox) -> Path:
    """The collection and the sandbox environment imported into tmp_path/out, the file the
    multipart and file items upload beside their profiles."""
    environment = sandbox_environment(tmp_path, sandbox)
    hookbench(
        "import",
        "postman",
        IMPORTERS / "postman-collection.json",
        "-e",
        environment,
        "-o",
        "out",
        cwd=tmp_path,
    )
    out = tmp_path / "out"
    shutil.copy(DATA / "attachment.txt", out / "echo" / "attachment.txt")
    return out


def test_imported_postman_profiles_run_against_the_sandbox(tmp_path: Path, fresh_sandbox: Sandbox) -> None:
    sandbox = fresh_sandbox
    out = imported_with_environment(tmp_path, sandbox)
    email = "--var", "email=ada@example.com"

    lookup = run_json(out / "subscribers" / "lookup-subscriber.toml", sandbox, *email)
    assert lookup["route"] == "success" and lookup["variables"] == {"subscriber_id": "sub_1"}
    details = run_json(out / "subscribers" / "nested" / "get-subscriber.toml", sandbox)
    assert details["route"] == "success" and details["variables"] == {"first_name": "Ada"}
    created = run_json(
        out / "subscribers" / "create-subscriber.toml", sandbox, "--var", "email=new@example.com"
    )
    assert created["status"] == 201 and created["route"] == "success"
    assert str(created["variables"]["new_id"]).startswith("sub_")  # type: ignore[index]

    form = echoed(out / "echo" / "form-post.toml", sandbox)
    assert form["headers"]["Authorization"] == "Basic YWRhOnMzY3JldA=="  # type: ignore[index]
    for name, expected in [
        ("form-post", ("POST", "page_size=20", "email=ada%40example.com")),
        ("multipart-post", ("POST", "", 'name="attachment"; filename="attachment.txt"')),
        ("xml-post", ("POST", "", "<note><to>ada@example.com</to></note>")),
    ]:
        echo = echoed(out / "echo" / f"{name}.toml", sandbox)
        assert (echo["method"], echo["query"]) == expected[:2] and expected[2] in echo["body"], name


def echoed(path: Path, sandbox: Sandbox) -> dict[str, Any]:
    """What the sandbox's /echo received from the profile at `path`."""
    from tui.core.profile import load_profile
    from tui.core.run import run_module_sync
    from tui.core.variables import Variables

    module = load_profile(path).module
    variables = Variables(environ=CREDENTIALS).with_overrides(
        {"base_url": sandbox.base_url, "email": "ada@example.com"}
    )
    result = run_module_sync(module, variables, base_dir=path.parent)
    assert result.ok and result.exchange is not None, result.reason
    return json.loads(result.exchange.body)  # type: ignore[no-any-return]


def test_dynamic_variables_are_shown_fresh_in_the_dry_run(tmp_path: Path, sandbox: Sandbox) -> None:
    hookbench("import", "postman", IMPORTERS / "postman-collection.json", "-o", "out", cwd=tmp_path)
    profile = tmp_path / "out" / "subscribers" / "create-subscriber.toml"
    args = ("run", profile, "--dry-run", "--var", "email=a@example.com")
    first, second = (
        hookbench(*args, cwd=tmp_path, env=CREDENTIALS),
        hookbench(*args, cwd=tmp_path, env=CREDENTIALS),
    )
    assert first.returncode == 0, first.stderr
    assert '"ref": "' in first.stdout and "{{$guid}}" not in first.stdout
    assert first.stdout != second.stdout  # a fresh $guid and $timestamp each time


@pytest.mark.parametrize("spec", ["openapi-3.0.yaml", "openapi-3.1.json"])
def test_openapi_import_then_dry_run_every_profile(tmp_path: Path, spec: str) -> None:
    done = hookbench("import", "openapi", IMPORTERS / spec, "-o", "api", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    api = tmp_path / "api"
    profiles = sorted(api.rglob("*.toml"))
    profiles = [p for p in profiles if p.parent.name != "environments"]
    assert profiles and "environments/" in done.stdout
    wanted = [line for line in done.stdout.splitlines() if line.startswith("credentials to set")]
    credentials = {name: "x" for line in wanted for name in line.split(": ", 1)[1].split(", ")}
    for profile in profiles:
        dry = hookbench("run", profile, "--dry-run", cwd=tmp_path, env=credentials)
        assert dry.returncode == 0, (profile, dry.stderr)
        assert "{{" not in dry.stdout


def test_openapi_dry_run_shows_the_synthesised_body_and_parameters(tmp_path: Path) -> None:
    hookbench(
        "import", "openapi", IMPORTERS / "openapi-3.0.yaml", "-o", "api", "--tag", "subscribers", cwd=tmp_path
    )
    keys = {"HOOKBENCH_NEWSLETTER_API_X_API_KEY": "key-123", "HOOKBENCH_NEWSLETTER_API_TOKEN": "token-456"}
    listing = hookbench(
        "run", tmp_path / "api" / "subscribers" / "list-subscribers.toml", "--dry-run", cwd=tmp_path, env=keys
    )
    assert "GET http://127.0.0.1:8765/subscribers?email=ada%40example.com" in listing.stdout
    assert "X-Request-Id: 00000000-0000-4000-8000-000000000000" in listing.stdout
    create = hookbench(
        "run",
        tmp_path / "api" / "subscribers" / "create-subscriber.toml",
        "--dry-run",
        cwd=tmp_path,
        env=keys,
    )
    assert '"first_name": "Ada"' in create.stdout
    assert "auth: bearer · token ••••••" in create.stdout
    assert "key-123" not in listing.stdout and "token-456" not in create.stdout
    assert not (tmp_path / "api" / "catalogue").exists()  # --tag subscribers only


@pytest.mark.parametrize(
    ("kind", "content", "message"),
    [
        ("postman", b'{"id": "1", "name": "Old", "order": [], "requests": []}', "format v1"),
        ("postman", b"{not json", "not valid JSON"),
        ("postman", b"\xff\xfe\x00\xd8", "not readable as UTF-16"),
        ("openapi", b"openapi: [unclosed", "not valid YAML or JSON"),
        ("openapi", b'swagger: "2.0"\n', "Swagger 2.0 is not read"),
        ("openapi", b"just text", "not an OpenAPI document"),
    ],
)
def test_malformed_input_exits_2_with_a_message_and_writes_nothing(
    tmp_path: Path, kind: str, content: bytes, message: str
) -> None:
    source = tmp_path / "input"
    source.write_bytes(content)
    done = hookbench("import", kind, source, "-o", "out", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_file_or_environment_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    done = hookbench("import", "postman", "nope.json", "-o", "out", cwd=tmp_path)
    assert done.returncode == 2 and "nope.json: cannot read" in done.stderr
    bad_env = tmp_path / "env.json"
    bad_env.write_text('{"name": "x"}', encoding="utf-8")
    done = hookbench(
        "import", "postman", IMPORTERS / "postman-collection.json", "-e", bad_env, "-o", "out", cwd=tmp_path
    )
    assert done.returncode == 2 and "not a Postman environment" in done.stderr
    assert not (tmp_path / "out").exists()


def test_an_existing_environment_refuses_the_whole_import(tmp_path: Path) -> None:
    existing = tmp_path / "api" / "environments" / "production.toml"
    existing.parent.mkdir(parents=True)
    existing.write_text("# mine\n", encoding="utf-8")
    done = hookbench("import", "openapi", IMPORTERS / "openapi-3.0.yaml", "-o", "api", cwd=tmp_path)
    assert done.returncode == 2 and "production.toml: already exists" in done.stderr
    assert files_under(tmp_path / "api") == ["environments/production.toml"]
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    forced = hookbench(
        "import", "openapi", IMPORTERS / "openapi-3.0.yaml", "-o", "api", "--force", cwd=tmp_path
    )
    assert forced.returncode == 1 and "base_url" in existing.read_text(encoding="utf-8")


def test_a_builtin_value_sent_is_the_one_recorded_in_history(tmp_path: Path, sandbox: Sandbox) -> None:
    profile = tmp_path / "ref.toml"
    profile.write_text(
        '[request]\nurl = "{{base_url}}/echo?ref={{$guid}}"\n\n'
        '[[set_variables]]\nname = "args.ref.0"\ntarget = "sent_ref"\n',
        encoding="utf-8",
    )
    history = tmp_path / "history"
    done = hookbench(
        "run", profile, "--json", "--var", f"base_url={sandbox.base_url}", cwd=tmp_path,
        env={"HOOKBENCH_HISTORY_DIR": str(history)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    sent = json.loads(done.stdout)["variables"]["sent_ref"]
    assert len(sent) == 36 and sent.count("-") == 4
    (record,) = [p.read_text(encoding="utf-8") for p in history.rglob("*.toml")]
    assert f"ref={sent}" in record


def sent_raw(path: Path, sandbox: Sandbox) -> tuple[str, bytes]:
    """(Content-Type, body) that the sandbox's /echo/raw received from the profile at `path`,
    checked against the digest it computed of the bytes it read."""
    import hashlib

    from tui.core.profile import load_profile
    from tui.core.run import run_module_sync
    from tui.core.variables import Variables

    module = load_profile(path).module
    variables = Variables(environ=CREDENTIALS).with_overrides({"base_url": sandbox.base_url})
    result = run_module_sync(module, variables, base_dir=path.parent)
    assert result.ok and result.exchange is not None, result.reason
    body = result.exchange.body
    assert result.exchange.header("x-body-sha256") == hashlib.sha256(body).hexdigest()
    return result.exchange.header("content-type") or "", body


def test_postman_text_file_and_graphql_bodies_are_sent(tmp_path: Path, sandbox: Sandbox) -> None:
    """raw text, file and graphql modes, imported, then sent to /echo/raw: the bytes that arrive."""
    import re

    echo = imported_with_environment(tmp_path, sandbox) / "echo"

    media_type, body = sent_raw(echo / "text-post.toml", sandbox)
    assert media_type == "text/plain"  # what Postman sends for raw text
    pattern = rb"sent at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z #\d+ [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(pattern, body), body  # the dynamic variables filled, fresh

    media_type, body = sent_raw(echo / "file-upload.toml", sandbox)
    assert media_type == "text/plain" and body == (DATA / "attachment.txt").read_bytes()

    media_type, body = sent_raw(echo / "graph-ql-query.toml", sandbox)
    assert media_type == "application/json"
    assert json.loads(body) == {"query": "query { user(id: 1) { name } }", "variables": {"id": 1}}


def test_imported_environments_are_read_through_env(tmp_path: Path, sandbox: Sandbox) -> None:
    """environments/NAME.toml written by the Postman and the OpenAPI importers, chosen with
    `hookbench run … --env NAME`: their base URL, variables and secrets reach the sandbox, whose
    /auth endpoints answer 401 to anything but the right credentials."""
    from tui.sandbox_auth import DEMO_API_KEY, DEMO_PASSWORD, DEMO_USERNAME

    collection = {
        "info": {
            "name": "Auth checks",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [
            {
                "name": "Basic check",
                "request": {
                    "method": "GET",
                    "url": "{{base_url}}/auth/basic",
                    "auth": {
                        "type": "basic",
                        "basic": [
                            {"key": "username", "value": "{{user}}"},
                            {"key": "password", "value": "{{password}}"},
                        ],
                    },
                },
            },
            {
                "name": "Key check",
                "request": {
                    "method": "GET",
                    "url": "{{base_url}}/auth/api-key",
                    "header": [{"key": "X-API-Key", "value": "{{api_key}}"}],
                },
            },
        ],
    }
    environment = {
        "name": "Staging Sandbox",
        "values": [
            {"key": "base_url", "value": sandbox.base_url, "enabled": True},
            {"key": "user", "value": DEMO_USERNAME, "enabled": True},
            {"key": "password", "value": DEMO_PASSWORD, "type": "secret", "enabled": True},
            {"key": "api_key", "value": DEMO_API_KEY, "type": "secret", "enabled": True},
        ],
    }
    (tmp_path / "c.json").write_text(json.dumps(collection), encoding="utf-8")
    (tmp_path / "e.json").write_text(json.dumps(environment), encoding="utf-8")
    done = hookbench("import", "postman", "c.json", "-e", "e.json", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path / "out"
    (name,) = [p.stem for p in (out / "environments").glob("*.toml")]
    every_profile = "\n".join(p.read_text(encoding="utf-8") for p in out.glob("*.toml"))
    assert DEMO_PASSWORD not in every_profile and DEMO_API_KEY not in every_profile
    for profile in ("basic-check.toml", "key-check.toml"):
        sent = hookbench("run", out / profile, "--env", name, "--json", cwd=tmp_path)
        assert sent.returncode == 0, (profile, sent.stdout, sent.stderr)
        assert json.loads(sent.stdout)["status"] == 200
        bare = hookbench("run", out / profile, "--json", cwd=tmp_path)
        assert bare.returncode == 2 and "base_url" in bare.stderr  # nothing without the environment

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Keyed", "version": "1"},
        "servers": [{"url": sandbox.base_url, "description": "Local sandbox"}],
        "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}},
        "security": [{"key": []}],
        "paths": {
            "/auth/api-key": {"get": {"operationId": "checkKey", "responses": {"200": {"description": "ok"}}}}
        },
    }
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    done = hookbench("import", "openapi", "spec.json", "-o", "api", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    api = tmp_path / "api"
    (server,) = [p.stem for p in (api / "environments").glob("*.toml")]
    (credential,) = done.stdout.split("credentials to set", 1)[1].split(": ", 1)[1].split()
    (profile,) = [p for p in api.rglob("*.toml") if p.parent.name != "environments"]
    (api / ".env").write_text(f"{credential}={DEMO_API_KEY}\n", encoding="utf-8")
    sent = hookbench("run", profile, "--env", server, "--json", cwd=tmp_path)
    assert sent.returncode == 0, (sent.stdout, sent.stderr)
    assert json.loads(sent.stdout)["status"] == 200
    (api / ".env").write_text(f"{credential}=wrong-key\n", encoding="utf-8")
    refused = hookbench("run", profile, "--env", server, "--json", cwd=tmp_path)
    assert json.loads(refused.stdout)["status"] == 401
