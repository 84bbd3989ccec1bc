"""Environments from the command line: `--env NAME` (and $HOOKBENCH_ENV) on every command that
sends or renders, the protected guard, unknown-key warnings, URL errors, and replay taking
masked headers from the source profile. The commands run in process through `main`."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.history import History
from tui.sandbox import Sandbox

pytestmark = pytest.mark.usefixtures("isolated_history")


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A profiles folder with a staging and a protected production environment."""
    monkeypatch.delenv("HOOKBENCH_ENV", raising=False)
    monkeypatch.delenv("STAGE_TOKEN", raising=False)
    profiles = tmp_path / "profiles"
    write(
        profiles / "environments" / "staging.toml",
        f"""
        dotenv = ".env.staging"
        [variables]
        base_url = "{sandbox.base_url}"
        who = "staging"
        """,
    )
    write(profiles / ".env.staging", "STAGE_TOKEN=stage-secret-7f3a\n")
    write(
        profiles / "environments" / "production.toml",
        f"""
        protected = true
        [variables]
        base_url = "{sandbox.base_url}"
        who = "production"
        """,
    )
    write(
        profiles / "echo.toml",
        """
        [request]
        url = "{{base_url}}/echo?who={{who}}"
        [request.headers]
        X-Token = "{{env.STAGE_TOKEN}}"
        [[set_variables]]
        name = "args.who.0"
        target = "who_seen"
        [[set_variables]]
        name = "headers.X-Token"
        target = "token_seen"
        """,
    )
    write(
        profiles / "create.toml",
        """
        [request]
        method = "POST"
        url = "{{base_url}}/subscribers"
        success_statuses = [201]
        log_request_body = true
        [request.body]
        content_type = "json"
        text = '{"email": "{{who}}@example.com"}'
        """,
    )
    return profiles


# --------------------------------------------------------------------------- --env on every command


def test_run_with_env_takes_its_variables_and_dotenv(capsys, folder: Path) -> None:
    code, out, err = run(capsys, "run", folder / "echo.toml", "--env", "staging", "--json")
    assert code == 0, err
    assert json.loads(out)["variables"] == {"who_seen": "staging", "token_seen": "stage-secret-7f3a"}


def test_hookbench_env_is_the_default_and_env_beats_it(capsys, folder: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOOKBENCH_ENV", "production")
    code, out, _ = run(capsys, "run", folder / "echo.toml", "--json", "--var", "env.STAGE_TOKEN=x")
    assert (code, json.loads(out)["variables"]["who_seen"]) == (0, "production")
    code, out, _ = run(capsys, "run", folder / "echo.toml", "--json", "--env", "staging")
    assert (code, json.loads(out)["variables"]["who_seen"]) == (0, "staging")


def test_dry_run_names_the_environment_and_masks_its_secrets(capsys, folder: Path, sandbox: Sandbox) -> None:
    code, out, _ = run(capsys, "run", folder / "echo.toml", "--env", "staging", "--dry-run")
    assert code == 0
    assert out.splitlines()[0] == f"GET {sandbox.base_url}/echo?who=staging"
    assert "# environment staging" in out.splitlines() and "stage-secret-7f3a" not in out


def test_flow_with_env(capsys, folder: Path) -> None:
    code, out, err = run(capsys, "flow", folder / "echo.toml", "--env", "staging", "--json", "--no-history")
    assert code == 0, err
    assert json.loads(out)["steps"][0]["variables"]["who_seen"] == "staging"


def test_check_with_env(capsys, folder: Path) -> None:
    assert run(capsys, "run", folder / "echo.toml", "--env", "staging")[0] == 0
    code, out, err = run(capsys, "check", folder / "echo.toml", "--env", "staging")
    assert code == 0, err


def test_replay_with_env_reads_the_environment_dotenv_again(capsys, folder: Path) -> None:
    assert run(capsys, "run", folder / "echo.toml", "--env", "staging")[0] == 0
    [record] = History.for_profiles(folder).list()
    assert "stage-secret-7f3a" not in History.for_profiles(folder).text(record.id)
    code, _, err = run(capsys, "history", "--profiles", folder, "replay", record.id)
    assert code == 2 and "env.STAGE_TOKEN" in err  # the secret lives in the staging dotenv only
    code, out, err = run(
        capsys, "history", "--profiles", folder, "replay", record.id, "--env", "staging", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["variables"]["token_seen"] == "stage-secret-7f3a"


def test_open_with_an_unknown_env_is_a_usage_error(capsys, folder: Path) -> None:
    code, out, err = run(capsys, "open", folder / "echo.toml", "--env", "prod")
    assert (code, out) == (2, "")
    assert err == (
        f"hookbench: error: environment 'prod': no such file {folder / 'environments' / 'prod.toml'}; "
        "available: production, staging\n"
    )


# --------------------------------------------------------------------------- protected


def test_protected_refuses_a_post_without_yes(capsys, folder: Path, fresh_sandbox: Sandbox) -> None:
    code, out, err = run(capsys, "run", folder / "create.toml", "--env", "production")
    assert (code, out) == (2, "")
    assert err == (
        "hookbench: error: environment 'production' is protected: not sending POST create without "
        "confirmation (add --yes to send it)\n"
    )
    assert fresh_sandbox.state.find("production@example.com") == []
    code, _, err = run(capsys, "run", folder / "create.toml", "--env", "production", "--yes")
    assert code == 0, err
    assert len(fresh_sandbox.state.find("production@example.com")) == 1


def test_protected_lets_get_through_and_dry_run_sends_nothing(capsys, folder: Path) -> None:
    assert (
        run(capsys, "run", folder / "echo.toml", "--env", "production", "--var", "env.STAGE_TOKEN=t")[0] == 0
    )
    code, out, _ = run(capsys, "run", folder / "create.toml", "--env", "production", "--dry-run")
    assert code == 0 and "# environment production (protected)" in out


def test_protected_flow_is_refused_before_its_first_step(
    capsys, folder: Path, fresh_sandbox: Sandbox
) -> None:
    write(folder / "lookup.toml", '[request]\nurl = "{{base_url}}/users"\n[routes]\nsuccess = "create"\n')
    code, out, err = run(capsys, "flow", folder / "lookup.toml", "--env", "production")
    assert code == 2 and "not sending POST create" in err
    assert History.for_profiles(folder).list() == []  # not even the GET went out
    code, _, err = run(capsys, "flow", folder / "lookup.toml", "--env", "production", "--yes")
    assert code == 0, err


def test_protected_replay_needs_yes(capsys, folder: Path, fresh_sandbox: Sandbox) -> None:
    assert run(capsys, "run", folder / "create.toml", "--env", "staging")[0] == 0
    [record] = History.for_profiles(folder).list()
    code, _, err = run(capsys, "history", "--profiles", folder, "replay", record.id, "--env", "production")
    assert code == 2 and "is protected: not sending POST history record" in err


# --------------------------------------------------------------------------- warnings and URL errors


def test_unknown_keys_are_warned_about_by_run_and_dry_run(capsys, folder: Path) -> None:
    profile = write(folder / "typo.toml", '[request]\nurl = "{{base_url}}/users"\ntimout = 5\n')
    warning = (
        f"hookbench: warning: {profile}: request.timout: unknown key, kept but not used; "
        "did you mean timeout? (line 3)\n"
    )
    for extra in ([], ["--dry-run"]):
        code, _, err = run(capsys, "run", profile, "--env", "staging", *extra)
        assert (code, err) == (0, warning)


def test_flow_warns_once_about_unknown_keys_in_every_profile_it_can_reach(
    capsys, folder: Path, fresh_sandbox: Sandbox
) -> None:
    """Entry and route targets (also one reached only on failure) are each named once, before
    anything is sent; a loop that runs a profile twice does not repeat its warning."""
    first = write(
        folder / "first.toml",
        '[request]\nurl = "{{base_url}}/users"\nfollow_redirect = true\n'
        '[routes]\nsuccess = "second"\nfailure = "spare"\n',
    )
    second = write(
        folder / "second.toml",
        '[request]\nurl = "{{base_url}}/users"\n[request.hedaers]\nA = "b"\n'
        '[on_failure]\nvarible = "failed"\n[routes]\nsuccess = "third"\n',
    )
    third = write(
        folder / "third.toml", '[request]\nurl = "{{base_url}}/users"\n[routes]\nsuccess = "ping"\n'
    )
    spare = write(folder / "spare.toml", '[request]\nurl = "{{base_url}}/users"\ntimout = 1\n')
    write(
        folder / "ping.toml",
        '[request]\nurl = "{{base_url}}/users"\nmehtod = "GET"\n[routes]\nsuccess = "ping"\n',
    )
    expected = [
        f"hookbench: warning: {first}: request.follow_redirect: unknown key, kept but not used; "
        "did you mean follow_redirects? (line 3)",
        f"hookbench: warning: {second}: request.hedaers: unknown key, kept but not used; "
        "did you mean headers? (line 3)",
        f"hookbench: warning: {second}: on_failure.varible: unknown key, kept but not used; "
        "did you mean variable? (line 6)",
        f"hookbench: warning: {spare}: request.timout: unknown key, kept but not used; "
        "did you mean timeout? (line 3)",
        f"hookbench: warning: {folder / 'ping.toml'}: request.mehtod: unknown key, kept but not used; "
        "did you mean method? (line 3)",
    ]
    for extra in (["--dry-run"], ["--no-history", "--max-steps", "5"]):
        code, out, err = run(capsys, "flow", first, "--env", "staging", *extra)
        assert err.splitlines()[:5] == expected, err  # in the order the routes reach them
        assert str(third) not in err
    # the run: ping loops until --max-steps stops it (exit 2), its warning still printed once
    assert code == 2 and err.count("request.mehtod") == 1
    assert err.splitlines()[5].startswith("hookbench: error: flow first: stopped after 5 steps")


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1/x",
        "http://127.0.0.1:99999/",
        "http://127.0.0.1:abc/",
        "http://☃☃-.com/",
        "http://xn--a.com/",  # ASCII punycode labels go through IDNA too
        "http://xn--zz-.com/",
    ],
)
def test_a_url_the_parser_rejects_is_exit_2_not_a_traceback(capsys, tmp_path: Path, url: str) -> None:
    typed = write(tmp_path / "typed.toml", f'[request]\nurl = "{url}"\n')
    variable = write(tmp_path / "variable.toml", '[request]\nurl = "{{target}}"\n')
    for args in (
        [typed],
        [typed, "--dry-run"],
        [variable, "--var", f"target={url}"],
        [variable, "--dry-run", "--var", f"target={url}"],
    ):
        code, out, err = (
            run(capsys, "run", *args, "--no-history")
            if "--dry-run" not in args
            else run(capsys, "run", *args)
        )
        assert (code, out) == (2, ""), args
        assert err.startswith(f"hookbench: error: url {url!r}") and err.count("\n") == 1, err


# --------------------------------------------------------------------------- replay: secrets from the source


def test_replay_takes_literal_secret_headers_from_the_source_profile(capsys, folder: Path) -> None:
    profile = write(
        folder / "literal.toml",
        """
        [request]
        url = "{{base_url}}/echo"
        [request.headers]
        Authorization = "Bearer literal-secret-5d9c"
        [[set_variables]]
        name = "headers.Authorization"
        target = "auth_seen"
        """,
    )
    assert run(capsys, "run", profile, "--env", "staging")[0] == 0
    [record] = History.for_profiles(folder).list()
    code, out, err = run(
        capsys, "history", "--profiles", folder, "replay", record.id, "--env", "staging", "--json"
    )
    assert code == 0, err
    assert (
        err == f"hookbench: note: header 'Authorization' taken from {profile} (it is masked in the record)\n"
    )
    assert json.loads(out)["variables"]["auth_seen"] == "Bearer literal-secret-5d9c"
    profile.unlink()
    code, _, err = run(capsys, "history", "--profiles", folder, "replay", record.id, "--env", "staging")
    assert code == 2 and "secrets were masked in header 'Authorization'" in err


# --------------------------------------------------------------------------- secrets scan


def test_new_secret_places_never_reach_a_history_file(
    capsys, folder: Path, isolated_history: Path, tmp_path: Path
) -> None:
    """Environment dotenv values, text and GraphQL bodies, a proxy password, a client key password
    and a cookie set by an earlier flow step: none of them is written in clear."""
    from tests.servers import forward_proxy, make_tls_files, tls_server

    (tmp_path / "tls").mkdir()
    tls = make_tls_files(tmp_path / "tls")
    secrets = {
        "text": "text-body-secret-1a2b",
        "graphql": "graphql-secret-3c4d",
        "proxy": "proxy-pass-5e6f",
    }
    write(folder / ".env.staging", "".join(f"HB_{k.upper()}={v}\n" for k, v in secrets.items()))
    write(
        folder / "text.toml",
        """
        [request]
        method = "POST"
        url = "{{base_url}}/echo"
        log_request_body = true
        [request.body]
        content_type = "text"
        text = "id,token\\n1,{{env.HB_TEXT}}\\n"
        """,
    )
    write(
        folder / "graphql.toml",
        """
        [request]
        method = "POST"
        url = "{{base_url}}/echo"
        log_request_body = true
        [request.body]
        content_type = "graphql"
        query = "{ me { id } }"
        variables = '{"key": "{{env.HB_GRAPHQL}}"}'
        """,
    )
    write(
        folder / "login.toml",
        '[request]\nmethod = "POST"\nurl = "{{base_url}}/session"\n[routes]\nsuccess = "echo"\n',
    )
    with forward_proxy() as proxy, tls_server(tls) as mtls:
        host_port = proxy.url.removeprefix("http://")
        write(
            folder / "proxied.toml",
            f"""
            [request]
            url = "{{{{base_url}}}}/echo"
            proxy = "http://hookbench:{{{{env.HB_PROXY}}}}@{host_port}"
            """,
        )
        write(
            folder / "mtls.toml",
            f"""
            [request]
            url = "{mtls}/who"
            verify_tls = "{tls.ca_pem}"
            client_cert = "{tls.client_cert}"
            client_key = "{tls.encrypted_key}"
            client_key_password = "{tls.key_password}"
            """,
        )
        for stem in ("text", "graphql", "proxied", "mtls"):
            code, _, err = run(capsys, "run", folder / f"{stem}.toml", "--env", "staging")
            assert code == 0, (stem, err)
        code, out, err = run(
            capsys, "flow", folder / "login.toml", "--env", "staging", "--var", "env.STAGE_TOKEN=t0k"
        )
        assert code == 0, err
        assert proxy.credentials and proxy.credentials[0].startswith("Basic ")  # the password was used
    cookies = [line for line in out.splitlines() if "sess-" in line]
    assert cookies == []  # flow output shows no cookie either
    files = [p for p in isolated_history.rglob("*") if p.is_file()]
    assert len(files) == 6  # four runs, two flow steps
    stored = "\n".join(p.read_text(encoding="utf-8") for p in files)
    for secret in [*secrets.values(), tls.key_password, "stage-secret-7f3a", "sess-"]:
        assert secret not in stored, secret
    assert "{{env.HB_PROXY}}" in stored  # the proxy setting keeps its placeholder, so it replays
