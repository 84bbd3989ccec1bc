"""`hookbench history replay` takes every secret its record masked back from the source profile
(and the environment's defaults): auth values and oauth2 params, the client key password, a
proxy password; `{{env.*}}` in the source reads the value now; what cannot be recovered is
exit 2 naming the field. The commands run in process through `main`, against real loopback
servers (sandbox, a forward proxy, a TLS server demanding a client certificate)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.cli.test_environments_cli import run, write
from tests.servers import forward_proxy, make_tls_files, tls_server
from tui.core.history import History
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

pytestmark = pytest.mark.usefixtures("isolated_history")

NOTE = "hookbench: note: {place} taken from {where}{now} (it is masked in the record)\n"


def note(place: str, where: Path, now: str = "") -> str:
    return NOTE.format(place=place, where=where, now=now)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HOOKBENCH_ENV", "HB_PW", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "profiles"


def replay_last(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> tuple[int, str, str]:
    [record, *_] = History.for_profiles(folder).list()  # newest first
    return run(capsys, "history", "--profiles", folder, "replay", record.id, "--no-history", *extra)


BASIC = f"""
    [request]
    url = "{{base}}/auth/basic"
    [request.auth]
    type = "basic"
    username = "{DEMO_USERNAME}"
    password = "{{password}}"
"""


def test_literal_auth_values_and_oauth2_params_are_taken_from_the_source(
    capsys, folder: Path, fresh_sandbox: Sandbox
) -> None:
    basic = write(
        folder / "basic.toml",
        BASIC.replace("{base}", fresh_sandbox.base_url).replace("{password}", DEMO_PASSWORD),
    )
    oauth = write(
        folder / "orders.toml",
        f"""
        [request]
        url = "{fresh_sandbox.base_url}/auth/oauth2"
        [request.auth]
        type = "oauth2"
        token_url = "{fresh_sandbox.base_url}/oauth/token"
        client_id = "{DEMO_CLIENT_ID}"
        client_secret = "{DEMO_CLIENT_SECRET}"
        [request.auth.params]
        resource = "orders-api-literal"
        """,
    )
    for profile, places in (
        (basic, ["auth 'username'", "auth 'password'"]),
        (oauth, ["auth 'client_id'", "auth 'client_secret'", "auth 'params.resource'"]),
    ):
        assert run(capsys, "run", profile)[0] == 0
        record = History.for_profiles(folder).list()[0]
        assert DEMO_CLIENT_SECRET not in History.for_profiles(folder).text(record.id)
        code, out, err = replay_last(capsys, folder, "--json")
        assert code == 0, err
        assert json.loads(out)["status"] == 200
        assert err == "".join(note(place, profile) for place in places)


def test_a_source_holding_env_uses_the_value_now_and_names_it(
    capsys, folder: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded with a literal password; the profile now reads it from {{env.HB_PW}}."""
    profile = write(
        folder / "basic.toml", BASIC.replace("{base}", sandbox.base_url).replace("{password}", DEMO_PASSWORD)
    )
    assert run(capsys, "run", profile)[0] == 0
    write(profile, BASIC.replace("{base}", sandbox.base_url).replace("{password}", "{{env.HB_PW}}"))
    code, _, err = replay_last(capsys, folder)
    assert code == 2 and "env.HB_PW" in err  # no value now: not sent with a hole
    monkeypatch.setenv("HB_PW", DEMO_PASSWORD)
    code, out, err = replay_last(capsys, folder, "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == 200
    assert err == note("auth 'username'", profile) + note(
        "auth 'password'", profile, " as {{env.HB_PW}}, its value now"
    )
    monkeypatch.setenv("HB_PW", "not-the-password")  # the value now is what is sent
    code, out, _ = replay_last(capsys, folder, "--json")
    assert (code, json.loads(out)["status"]) == (1, 401)


def test_the_client_key_password_is_taken_from_the_source(capsys, folder: Path, tmp_path: Path) -> None:
    tls = make_tls_files(tmp_path)
    with tls_server(tls) as server:
        profile = write(
            folder / "mtls.toml",
            f"""
            [request]
            url = "{server}/who"
            verify_tls = "{tls.ca_pem}"
            client_cert = "{tls.client_cert}"
            client_key = "{tls.encrypted_key}"
            client_key_password = "{tls.key_password}"
            [[set_variables]]
            name = "client"
            target = "client"
            """,
        )
        assert run(capsys, "run", profile)[0] == 0
        record = History.for_profiles(folder).list()[0]
        assert tls.key_password not in History.for_profiles(folder).text(record.id)
        code, out, err = replay_last(capsys, folder, "--json")
    assert code == 0, err
    assert json.loads(out)["variables"] == {"client": "client.hookbench.test"}
    assert err == note("client_key_password", profile)


def test_a_proxy_password_comes_from_the_profile_or_the_environment(
    capsys, folder: Path, sandbox: Sandbox
) -> None:
    def basic(password: str) -> str:
        return "Basic " + base64.b64encode(f"hookbench:{password}".encode()).decode()

    with forward_proxy() as proxy:
        host = proxy.url.removeprefix("http://")
        profile = write(
            folder / "proxied.toml",
            f'[request]\nurl = "{sandbox.base_url}/users"\nproxy = "http://hookbench:profile-pw-41@{host}"\n',
        )
        environment = write(
            folder / "environments" / "office.toml", f'proxy = "http://hookbench:office-pw-42@{host}"\n'
        )
        plain = write(folder / "plain.toml", f'[request]\nurl = "{sandbox.base_url}/users"\n')
        assert run(capsys, "run", profile)[0] == 0
        code, _, err = replay_last(capsys, folder)
        assert code == 0 and err == note("proxy", profile)
        assert run(capsys, "run", plain, "--env", "office")[0] == 0
        stored = History.for_profiles(folder).text(History.for_profiles(folder).list()[0].id)
        assert "office-pw-42" not in stored and "profile-pw-41" not in stored
        code, _, err = replay_last(capsys, folder)  # without the environment: nothing to take
        assert code == 2
        assert err == (
            f"hookbench: error: history record {History.for_profiles(folder).list()[0].id} cannot be "
            f"replayed as recorded: secrets were masked in proxy (its source profile {plain} does not "
            "hold them). Save it as a profile and re-enter them, or use {{env.NAME}}\n"
        )
        code, _, err = replay_last(capsys, folder, "--env", "office")
        assert code == 0 and err == note("proxy", environment)
    assert proxy.credentials == [basic("profile-pw-41")] * 2 + [basic("office-pw-42")] * 2


def test_an_environment_auth_default_is_taken_from_the_environment(
    capsys, folder: Path, fresh_sandbox: Sandbox
) -> None:
    environment = write(
        folder / "environments" / "staging.toml",
        f'[auth]\ntype = "bearer"\ntoken = "demo-token"\n[variables]\nbase = "{fresh_sandbox.base_url}"\n',
    )
    write(folder / "environments" / "other.toml", '[auth]\ntype = "basic"\nusername = "u"\npassword = "p"\n')
    profile = write(folder / "bearer.toml", '[request]\nurl = "{{base}}/auth/bearer"\n')
    assert run(capsys, "run", profile, "--env", "staging")[0] == 0
    code, out, err = replay_last(capsys, folder, "--env", "staging", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == 200 and err == note("auth 'token'", environment)
    code, _, err = replay_last(capsys, folder, "--env", "other")  # a basic default is no bearer token
    assert code == 2 and "secrets were masked in auth 'token' (its source profile" in err


def test_what_no_source_holds_is_exit_2_naming_each_field(capsys, folder: Path, sandbox: Sandbox) -> None:
    profile = write(
        folder / "basic.toml", BASIC.replace("{base}", sandbox.base_url).replace("{password}", DEMO_PASSWORD)
    )
    assert run(capsys, "run", profile)[0] == 0
    [record] = History.for_profiles(folder).list()
    head = (
        f"hookbench: error: history record {record.id} cannot be replayed as recorded: secrets were masked in"
    )
    tail = "Save it as a profile and re-enter them, or use {{env.NAME}}\n"
    write(
        profile,
        f'[request]\nurl = "{sandbox.base_url}/auth/basic"\n[request.auth]\ntype = "bearer"\ntoken = "t"\n',
    )
    code, out, err = replay_last(capsys, folder)
    assert (code, out) == (2, "")
    assert (
        err
        == f"{head} auth 'username', auth 'password' (its source profile {profile} does not hold them). {tail}"
    )
    write(profile, BASIC.replace("{base}", sandbox.base_url).replace("{password}", "••••••"))
    code, _, err = replay_last(capsys, folder)  # a source holding the mask itself gives nothing
    assert err == f"{head} auth 'password' (its source profile {profile} does not hold them). {tail}"
    profile.write_text("[request\n", encoding="utf-8")
    code, _, err = replay_last(capsys, folder)
    assert code == 2 and err.startswith(
        f"{head} auth 'username', auth 'password' (its source profile does not load: "
    )
