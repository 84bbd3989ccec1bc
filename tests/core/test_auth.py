"""`[request.auth]`: reading and checking the table, saving it back, rendering, masking."""

from __future__ import annotations

import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.commands.output import format_request
from tui.core.auth import AUTH_KEYS, AUTH_TYPES, auth_problem, parse_auth
from tui.core.curl import to_curl
from tui.core.errors import ProfileError, TemplateError
from tui.core.history_record import build_record, masked_places, record_text
from tui.core.model import Auth, Module, Request
from tui.core.profile import load_profile, read_module, save_profile
from tui.core.render import render_request
from tui.core.run import RunResult
from tui.core.secrets import MASK
from tui.core.variables import Variables

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def profile_with_auth(tmp_path: Path, auth: str) -> Path:
    return write(tmp_path, '[request]\nurl = "https://api.example.test/x"\n' + textwrap.dedent(auth))


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            'type = "basic"\nusername = "u"\npassword = "p"',
            Auth("basic", (("username", "u"), ("password", "p"))),
        ),
        ('type = "bearer"\ntoken = "{{env.T}}"', Auth("bearer", (("token", "{{env.T}}"),))),
        (
            'type = "api_key"\nname = "X-Key"\nvalue = "v"\nin = "query"',
            Auth("api_key", (("name", "X-Key"), ("value", "v"), ("in", "query"))),
        ),
        (
            'type = "digest"\nusername = "u"\npassword = ""',
            Auth("digest", (("username", "u"), ("password", ""))),
        ),
        (
            'type = "oauth2"\ntoken_url = "https://t/oauth/token"\nclient_id = 1234\nclient_secret = "s"\n'
            'scope = "read write"\n[request.auth.params]\nresource = "https://api"',
            Auth(
                "oauth2",
                (
                    ("token_url", "https://t/oauth/token"),
                    ("client_id", "1234"),
                    ("client_secret", "s"),
                    ("scope", "read write"),
                ),
                (("resource", "https://api"),),
            ),
        ),
    ],
)
def test_each_auth_type_is_read(tmp_path: Path, table: str, expected: Auth) -> None:
    path = profile_with_auth(tmp_path, "[request.auth]\n" + table + "\n")
    assert read_module(path).request.auth == expected
    assert load_profile(path).module.request.auth == expected


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'type = "basci"',
            "request.auth.type: unknown auth type 'basci'; expected one of basic, bearer, api_key, digest, oauth2 (did you mean basic?) (line 4)",
        ),
        (
            'username = "u"',
            "request.auth.type: is missing; choose one of basic, bearer, api_key, digest, oauth2",
        ),
        (
            'type = "basic"\nusername = "u"',
            "request.auth.password: is missing; basic auth needs username and password",
        ),
        ('type = "bearer"\ntoken = 5.5', "request.auth.token: must be a string, not a number (line 5)"),
        (
            'type = "api_key"\nname = "k"\nvalue = "v"\nin = "body"',
            "request.auth.in: must be 'header' or 'query', not 'body' (line 7)",
        ),
        (
            'type = "api_key"\nname = ""\nvalue = "v"',
            "request.auth.name: is missing; api_key auth needs name and value (line 5)",
        ),
        (
            'type = "oauth2"\ntoken_url = "https://t"\nclient_id = "c"',
            "request.auth.client_secret: is missing; the client_credentials grant needs client_secret",
        ),
        (
            'type = "oauth2"\ngrant = "password"\ntoken_url = "https://t"\nclient_id = "c"\nusername = "u"',
            "request.auth.password: is missing; the password grant needs username and password",
        ),
        (
            'type = "oauth2"\ngrant = "implicit"\ntoken_url = "https://t"\nclient_id = "c"',
            "request.auth.grant: must be 'client_credentials', 'password' or 'refresh_token', not 'implicit' (line 5)",
        ),
        (
            'type = "oauth2"\ntoken_url = "https://t"\nclient_id = "c"\nclient_secret = "s"\nparams = "x"',
            "request.auth.params: must be a table, not a string (line 8)",
        ),
    ],
)
def test_a_bad_auth_table_names_the_key_and_line(tmp_path: Path, table: str, message: str) -> None:
    path = profile_with_auth(tmp_path, "[request.auth]\n" + table + "\n")
    with pytest.raises(ProfileError) as caught:
        read_module(path)
    assert str(caught.value) == f"{path}: {message}"


def test_auth_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[request]\nurl = "https://x.test"\nauth = "basic"\n')
    with pytest.raises(ProfileError, match=r"request\.auth: must be a table, not a string \(line 3\)"):
        read_module(path)


def test_parse_auth_serves_an_environment_default_with_its_own_messages() -> None:
    """The environment reader calls the same checker with its own address and error."""
    auth = parse_auth({"type": "bearer", "token": "{{env.T}}"}, key="auth")
    assert auth == Auth("bearer", (("token", "{{env.T}}"),))
    with pytest.raises(ProfileError, match=r"^auth\.token: is missing"):
        parse_auth({"type": "bearer"}, key="auth")

    def fail(key: str, message: str) -> Exception:
        return ValueError(f"environments/prod.toml: {key}: {message}")

    with pytest.raises(ValueError, match=r"^environments/prod\.toml: auth\.type: unknown auth type"):
        parse_auth({"type": "kerberos"}, key="auth", fail=fail)


def test_keys_of_another_scheme_are_not_read_but_stay_in_the_file(tmp_path: Path) -> None:
    path = profile_with_auth(
        tmp_path, '[request.auth]\ntype = "bearer"\ntoken = "t"\nusername = "kept"  # left over\n'
    )
    profile = load_profile(path)
    assert profile.module.request.auth == Auth("bearer", (("token", "t"),))
    save_profile(path, profile.module, profile.document)
    assert 'username = "kept"  # left over' in path.read_text()


def test_auth_problem_checks_what_the_editor_builds() -> None:
    assert auth_problem(Auth("basic", (("username", "u"), ("password", "p")))) is None
    assert auth_problem(Auth("bearer")) == ("token", "is missing; bearer auth needs token")
    assert auth_problem(
        Auth("oauth2", (("token_url", "https://t"), ("client_id", "c"), ("grant", "refresh_token")))
    ) == (
        "refresh_token",
        "is missing; the refresh_token grant needs refresh_token",
    )
    assert set(AUTH_KEYS) == set(AUTH_TYPES)


# --------------------------------------------------------------------------- saving


COMMENTED = """
# Orders API behind a CRM login
name = "Orders"

[request]
method = "GET"
url = "https://api.example.test/orders"

[request.auth]  # the CRM's client
type = "oauth2"
token_url = "https://login.example.test/oauth/token"  # staging issuer
client_id = "{{env.CRM_CLIENT_ID}}"
client_secret = "{{env.CRM_CLIENT_SECRET}}"
scope = "orders.read"
custom_note = "kept as written"

[request.auth.params]  # extra form fields
audience_hint = "orders"  # the issuer wants it

[variables]
x = "1"
"""


def test_auth_round_trips_with_comments_and_unknown_keys(tmp_path: Path) -> None:
    path = write(tmp_path, COMMENTED)
    profile = load_profile(path)
    save_profile(path, profile.module, profile.document)
    assert path.read_text() == textwrap.dedent(COMMENTED).lstrip("\n")

    auth = profile.module.request.auth
    assert auth is not None
    edited = Auth(
        "oauth2",
        (
            *(pair for pair in auth.values if pair[0] != "scope"),
            ("scope", "orders.write"),
            ("audience", "crm"),
        ),
        (("audience_hint", "orders"), ("resource", "https://api.example.test")),
    )
    module = profile.module
    save_profile(
        path,
        Module(
            name=module.name, request=Request(url=module.request.url, auth=edited), variables=module.variables
        ),
        profile.document,
    )
    text = path.read_text()
    assert "[request.auth]  # the CRM's client" in text
    assert 'token_url = "https://login.example.test/oauth/token"  # staging issuer' in text
    assert 'custom_note = "kept as written"' in text
    assert "[request.auth.params]  # extra form fields" in text
    assert 'audience_hint = "orders"  # the issuer wants it' in text
    assert read_module(path).request.auth == edited


def test_changing_the_type_drops_the_old_schemes_keys_and_removing_auth_drops_the_table(
    tmp_path: Path,
) -> None:
    path = profile_with_auth(tmp_path, '[request.auth]\ntype = "basic"\nusername = "u"\npassword = "p"\n')
    profile = load_profile(path)
    bearer = Request(url=profile.module.request.url, auth=Auth("bearer", (("token", "t"),)))
    document = save_profile(path, Module(name="x", request=bearer), profile.document)
    assert read_module(path).request.auth == Auth("bearer", (("token", "t"),))
    assert "username" not in path.read_text()
    save_profile(path, Module(name="x", request=Request(url=bearer.url)), document)
    assert "auth" not in path.read_text() and read_module(path).request.auth is None


def test_a_new_profile_gets_its_auth_table(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    auth = Auth("api_key", (("name", "X-Key"), ("value", "{{env.KEY}}")))
    save_profile(path, Module(name="New", request=Request(url="https://x.test", auth=auth)))
    assert read_module(path).request.auth == auth
    assert "\n[request.auth]\n" in path.read_text()


# --------------------------------------------------------------------------- rendering and masking


def oauth2_module() -> Module:
    auth = Auth(
        "oauth2",
        (
            ("token_url", "{{issuer}}/oauth/token"),
            ("client_id", "{{env.CID}}"),
            ("client_secret", "{{env.CSECRET}}"),
            ("scope", "read"),
        ),
        (("client_assertion", "assertion-value"),),
    )
    return Module(name="o", request=Request(url="https://api.example.test/x?q=1", auth=auth))


ENV = {"CID": "client-1234", "CSECRET": "secret-5678"}


def test_auth_placeholders_render_and_every_credential_is_a_secret() -> None:
    variables = Variables(environ=ENV, overrides={"issuer": "https://login.example.test"})
    rendered = render_request(oauth2_module(), variables)
    assert rendered.auth is not None
    assert rendered.auth.get("token_url") == "https://login.example.test/oauth/token"
    assert rendered.auth.get("grant") == "client_credentials"  # the default
    assert {"client-1234", "secret-5678", "assertion-value"} <= rendered.secrets
    assert "read" not in rendered.secrets  # a setting, not a credential
    with pytest.raises(TemplateError, match="unknown variable in auth 'token_url': issuer"):
        render_request(oauth2_module(), Variables(environ=ENV))


def test_a_line_break_in_a_header_bound_auth_value_is_refused() -> None:
    module = Module(request=Request(url="https://x.test", auth=Auth("bearer", (("token", "{{t}}"),))))
    with pytest.raises(TemplateError, match="line break"):
        render_request(module, Variables(overrides={"t": "a\r\nX-Evil: 1"}))


@pytest.mark.parametrize(
    ("auth", "field", "problem"),
    [
        (
            Auth("api_key", (("name", "X-API-Key"), ("value", "SECRETVALUE\nInjected: 1"))),
            "value",
            "line break",
        ),
        (Auth("api_key", (("name", "X-Key\r\nX-Evil"), ("value", "SECRETVALUE"))), "name", "line break"),
        (Auth("bearer", (("token", "SECRETVALUE\r\nX-Evil: 1"),)), "token", "line break"),
        (Auth("bearer", (("token", "SECRETVALUE\x00"),)), "token", "control character"),
        (Auth("bearer", (("token", "SECRETVALUE-ö"),)), "token", "non-ASCII"),
        (Auth("digest", (("username", "SECRETVALUE\nX: 1"), ("password", "p"))), "username", "line break"),
    ],
)
def test_a_literal_header_bound_auth_value_is_refused_without_showing_it(
    auth: Auth, field: str, problem: str
) -> None:
    module = Module(request=Request(url="https://x.test", auth=auth))
    with pytest.raises(TemplateError) as caught:
        render_request(module, Variables(environ={}))
    assert str(caught.value).startswith(f"request.auth.{field} holds ")
    assert problem in str(caught.value) and "SECRETVALUE" not in str(caught.value)


def test_a_literal_header_value_with_a_line_break_is_refused_without_showing_it() -> None:
    module = Module(request=Request(url="https://x.test", headers=(("X-Thing", "SECRETVALUE\nX: 1"),)))
    with pytest.raises(TemplateError) as caught:
        render_request(module, Variables(environ={}))
    assert str(caught.value) == (
        "header 'X-Thing' holds a line break; refusing to send it (it would forge a header)"
    )


def test_line_breaks_in_values_that_do_not_land_in_headers_are_sent() -> None:
    """basic is base64-encoded, a query api key URL-encoded, oauth2 params go in a form."""
    for auth in (
        Auth("basic", (("username", "ann"), ("password", "pw\nline"))),
        Auth("api_key", (("name", "k"), ("value", "v\nw"), ("in", "query"))),
    ):
        rendered = render_request(
            Module(request=Request(url="https://x.test", auth=auth)), Variables(environ={})
        )
        assert rendered.auth is not None and rendered.auth.type == auth.type


def test_dry_run_shows_the_auth_without_its_secrets() -> None:
    variables = Variables(environ=ENV, overrides={"issuer": "https://login.example.test"})
    text = format_request(render_request(oauth2_module(), variables))
    assert (
        "auth: oauth2 client_credentials via https://login.example.test/oauth/token · client_id "
        f"{MASK} · client_secret {MASK} · scope read · client_assertion {MASK}"
    ) in text
    for secret in ("client-1234", "secret-5678", "assertion-value"):
        assert secret not in text


@pytest.mark.parametrize(
    ("auth", "masked_args", "clear_args"),
    [
        (
            Auth("basic", (("username", "ann"), ("password", "pw-1234"))),
            ["-u", f"{MASK}:{MASK}"],
            ["-u", "ann:pw-1234"],
        ),
        (
            Auth("digest", (("username", "ann"), ("password", "pw-1234"))),
            ["--digest", "-u", f"{MASK}:{MASK}"],
            ["--digest", "-u", "ann:pw-1234"],
        ),
        (
            Auth("bearer", (("token", "tok-1234"),)),
            ["-H", f"Authorization: Bearer {MASK}"],
            ["-H", "Authorization: Bearer tok-1234"],
        ),
        (
            Auth("api_key", (("name", "X-Key"), ("value", "key-1234"))),
            ["-H", f"X-Key: {MASK}"],
            ["-H", "X-Key: key-1234"],
        ),
    ],
)
def test_curl_export_carries_the_auth(auth: Auth, masked_args: list[str], clear_args: list[str]) -> None:
    rendered = render_request(
        Module(request=Request(url="https://x.test/a", auth=auth)), Variables(environ={})
    )
    masked = shlex.split(to_curl(rendered, mask_secrets=True))
    clear = shlex.split(to_curl(rendered))
    assert any(masked[i : i + len(masked_args)] == masked_args for i in range(len(masked)))
    assert any(clear[i : i + len(clear_args)] == clear_args for i in range(len(clear)))
    for secret in ("pw-1234", "tok-1234", "key-1234", "ann"):
        assert secret not in " ".join(masked)


def test_curl_export_of_a_query_api_key() -> None:
    auth = Auth("api_key", (("name", "api key"), ("value", "key/1234"), ("in", "query")))
    rendered = render_request(
        Module(request=Request(url="https://x.test/a?b=1", auth=auth)), Variables(environ={})
    )
    assert "'https://x.test/a?b=1&api+key=key%2F1234'" in to_curl(rendered)
    masked = to_curl(rendered, mask_secrets=True)
    assert "key%2F1234" not in masked and MASK in masked


def test_curl_export_of_oauth2_fetches_the_token_first(tmp_path: Path) -> None:
    variables = Variables(environ=ENV, overrides={"issuer": "https://login.example.test"})
    rendered = render_request(oauth2_module(), variables)
    clear = to_curl(rendered)
    assert clear.startswith(
        "TOKEN=$(curl -sS -X POST https://login.example.test/oauth/token -u client-1234:secret-5678 "
        "--data-urlencode grant_type=client_credentials --data-urlencode scope=read "
        "--data-urlencode client_assertion=assertion-value | python3 -c "
    )
    assert clear.endswith('-H "Authorization: Bearer $TOKEN" -L --max-time 10')
    masked = to_curl(rendered, mask_secrets=True)
    assert not {"client-1234", "secret-5678", "assertion-value"} & set(shlex.split(masked.replace("$(", " ")))
    assert "client-1234" not in masked and "secret-5678" not in masked and MASK in masked
    # the shell reads it as one valid command line
    checked = subprocess.run(["bash", "-n", "-c", clear], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_history_keeps_env_placeholders_and_masks_literal_credentials(tmp_path: Path) -> None:
    auth = Auth(
        "oauth2",
        (
            ("grant", "password"),
            ("token_url", "https://login.example.test/oauth/token"),
            ("client_id", "{{env.CID}}"),
            ("username", "agent-literal"),
            ("password", "{{env.CSECRET}}"),
        ),
        (("client_assertion", "assertion-value"),),
    )
    module = Module(name="h", request=Request(url="https://api.example.test/x", auth=auth))
    rendered = render_request(module, Variables(environ=ENV))
    result = RunResult(route="failure", reason="timeout after 1 s", request=rendered)
    data, summary = build_record(
        module, result, record_id="r", time="t", profile="h", base_dir=tmp_path, environ=ENV
    )
    stored = data["request"]["auth"]
    assert stored == {
        "type": "oauth2",
        "grant": "password",
        "token_url": "https://login.example.test/oauth/token",
        "client_id": "{{env.CID}}",
        "username": MASK,
        "password": "{{env.CSECRET}}",
        "params": {"client_assertion": MASK},
    }
    text = record_text(data, summary)
    for secret in (*ENV.values(), "agent-literal", "assertion-value"):
        assert secret not in text
    assert masked_places(data) == ["auth 'username'", "auth 'params.client_assertion'"]


def test_headless_start_up_does_not_import_the_oauth2_flow(tmp_path: Path) -> None:
    """A profile without oauth2 (here: basic, dry run) never loads the flow or the token cache."""
    path = profile_with_auth(tmp_path, '[request.auth]\ntype = "basic"\nusername = "u"\npassword = "p"\n')
    code = (
        "import sys; from tui.cli import main; main(['run', sys.argv[1], '--dry-run']); "
        "print(sorted(m for m in sys.modules if m in ('tui.core.oauth2', 'tui.core.token_cache')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
    assert f"auth: basic · username {MASK} · password {MASK}" in done.stdout


def test_dotted_auth_keys_are_edited_in_place_and_rewritten_when_a_key_must_go(tmp_path: Path) -> None:
    text = (
        'name = "d"\n[request]\nmethod = "GET"\nurl = "https://x.test"\n'
        'auth.type = "basic"\nauth.username = "u"\nauth.password = "p"  # pw\nauth.note = "mine"\n'
    )
    path = write(tmp_path, text)
    profile = load_profile(path)
    request = profile.module.request
    basic = Auth("basic", (("username", "u"), ("password", "p2")))
    document = save_profile(
        path, Module(name="d", request=Request(url=request.url, auth=basic)), profile.document
    )
    assert path.read_text() == text.replace('"p"  # pw', '"p2"  # pw')
    bearer = Auth("bearer", (("token", "t"),))
    save_profile(path, Module(name="d", request=Request(url=request.url, auth=bearer)), document)
    assert read_module(path).request.auth == bearer
    assert 'note = "mine"' in path.read_text() and "username" not in path.read_text()
