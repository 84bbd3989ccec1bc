"""curl commands into modules: shell words, options, body types, secrets, and back out again."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from tui.core.curl import export_curl
from tui.core.errors import ImportSourceError, ProfileError
from tui.core.importers import Imported
from tui.core.importers.curl import default_stem, import_curl
from tui.core.importers.secrets import SecretStore, dotenv_line, env_prefix, move_secrets
from tui.core.importers.shell import split_posix, split_windows
from tui.core.importers.writing import place_files, write_import
from tui.core.model import Auth, Body, Module, Request
from tui.core.profile import read_module
from tui.core.render import render_request
from tui.core.variables import Variables, read_env_file

EXAMPLES = Path(__file__).resolve().parents[2] / "profiles"


def one(text: str, folder: Path | None = None) -> Module:
    return import_curl(text, source_dir=folder or Path.cwd()).profiles[0].module


def imported(text: str, folder: Path | None = None) -> Imported:
    return import_curl(text, source_dir=folder or Path.cwd())


# --- shell words ------------------------------------------------------------------------------


def test_posix_quotes_escapes_and_continuations() -> None:
    text = """curl 'a b' "c \\"d\\" \\$e" f\\ g \\
  $'h\\ti\\x41\\u00e9\\'' "x"'y'z # a comment
"""
    assert split_posix(text).words == ("curl", "a b", 'c "d" $e', "f g", "h\tiAé'", "xyz")


def test_posix_shell_variables_become_env_placeholders() -> None:
    words = split_posix("""curl "$BASE/v1" -u "${USER}:$PASS" '$LITERAL' $1""").words
    assert words == ("curl", "{{env.BASE}}/v1", "-u", "{{env.USER}}:{{env.PASS}}", "$LITERAL", "$1")


def test_posix_stops_at_the_end_of_the_command_and_says_so() -> None:
    split = split_posix("curl https://x.test/a | jq .data")
    assert split.words == ("curl", "https://x.test/a")
    assert split.notes == ("ignored what follows the command: | jq .data",)


def test_command_substitution_is_kept_as_text_and_noted() -> None:
    split = split_posix('curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://x.test')
    assert split.words[2] == "Authorization: Bearer $(gcloud auth print-access-token)"
    assert "not run" in split.notes[0]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("curl 'open", "single quote"),
        ('curl "open', "double quote"),
        ("curl $'open", "$'…'"),
        ("curl x\\", "lone backslash"),
    ],
)
def test_unclosed_quotes_are_clear_errors(text: str, problem: str) -> None:
    with pytest.raises(ImportSourceError, match=re.escape(problem)):
        split_posix(text)


def chrome_cmd_escape(text: str) -> str:
    """Chrome DevTools' escapeStringWin, ported: what "Copy as cURL (cmd)" writes for one argument."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`&]", lambda m: "^" + m.group(0), escaped)
    escaped = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", escaped)
    escaped = re.sub(r"\r?\n", "^\n\n", escaped)
    return '^"' + escaped + '^"'


def test_windows_cmd_form_as_a_browser_copies_it() -> None:
    body = '{"name":"Ada \\"the first\\"","tags":["x"],"off":"50%off"}'
    args = [
        "https://api.example.test/v1/items?q=a&b=c",
        "-H",
        "accept: application/json",
        "-H",
        "content-type: application/json",
        "--data-raw",
        body,
    ]
    text = "curl " + " ^\n  ".join(chrome_cmd_escape(arg) if not arg.startswith("-") else arg for arg in args)
    text += " ^\n  --compressed"
    assert split_windows(text).words == ("curl", *args, "--compressed")
    module = one(text)
    assert module.request.body == Body("json", body)
    assert module.request.url == "https://api.example.test/v1/items?q=a&b=c"


def test_windows_cmd_hand_written_form() -> None:
    text = 'curl.exe -X POST "https://x.test/a b" -H "X-Caret: a^b" -d "{\\"k\\": 1}" -H "Content-Type: application/json"'
    module = one(text)
    assert module.request.url == "https://x.test/a b"
    assert ("X-Caret", "a^b") in module.request.headers
    assert module.request.body == Body("json", '{"k": 1}')


def test_cmd_variables_become_env_references() -> None:
    text = (
        'curl ^"https://x.test/v1?q=%E2%82%AC^" -H ^"Authorization: Bearer %API_TOKEN%^" -u "%USER%:%PASS%"'
    )
    request = one(text).request
    assert request.url == "https://x.test/v1?q=%E2%82%AC"  # percent-encoded bytes are not names
    assert request.headers == (("Authorization", "Bearer {{env.API_TOKEN}}"),)
    assert request.auth == Auth("basic", (("username", "{{env.USER}}"), ("password", "{{env.PASS}}")))
    # what a browser escapes (`%^NAME`) is not expanded, as in cmd
    assert split_windows('curl ^"50%^off%^ and more^"').words == ("curl", "50%off% and more")
    assert split_windows("curl.exe https://x.test/%PATH_PART%").words == (
        "curl.exe",
        "https://x.test/{{env.PATH_PART}}",
    )


def test_a_multi_line_value_in_the_windows_form() -> None:
    text = 'curl ^"https://x.test/^" -H ^"Content-Type: text/xml^" --data-raw ^"^<a^>^\n\n^</a^>^"'
    assert one(text).request.body == Body("xml", "<a>\n</a>")


# --- options ----------------------------------------------------------------------------------


def test_method_url_headers_and_stuck_values() -> None:
    module = one("curl -XPUT -H'X-One: 1' -HX-Two:2 --url https://x.test/a -H 'X-Empty;' -sSL")
    request = module.request
    assert request.method == "PUT" and request.url == "https://x.test/a"
    assert request.headers == (("X-One", "1"), ("X-Two", "2"), ("X-Empty", ""))
    assert request.follow_redirects is True


def test_defaults_follow_curl_not_hookbench() -> None:
    request = one("curl x.test/path").request
    assert request.url == "http://x.test/path"  # curl assumes http://
    assert request.follow_redirects is False  # curl follows only with -L
    assert request.method == "GET" and request.body is None


def test_agent_referer_cookie_timeout_insecure_head() -> None:
    request = one("curl -I -A 'Bot/1' -e https://ref.test/ -b 'a=1; b=2' -m 7.5 -k https://x.test").request
    assert request.method == "HEAD"
    assert request.headers == (
        ("User-Agent", "Bot/1"),
        ("Referer", "https://ref.test/"),
        ("Cookie", "a=1; b=2"),
    )
    assert request.timeout == 7.5 and request.verify_tls is False


def test_data_pieces_join_with_ampersand_and_make_a_form() -> None:
    request = one(
        "curl https://x.test -d a=1 --data 'b=two words' --data-ascii c=3 --data-raw '@d=4' "
        "--data-urlencode 'e=5 & 6' --data-urlencode 'lonely=x'"
    ).request
    assert request.method == "POST"
    assert request.body == Body(
        "form",
        fields=(("a", "1"), ("b", "two words"), ("c", "3"), ("@d", "4"), ("e", "5 & 6"), ("lonely", "x")),
    )
    assert request.headers == ()  # the Content-Type is the one hookbench adds for a form


def test_data_from_files(tmp_path: Path) -> None:
    (tmp_path / "form.txt").write_text("a=1&\nb=2\n", encoding="utf-8")
    (tmp_path / "body.json").write_text('{\n  "k": 1\n}\n', encoding="utf-8")
    (tmp_path / "note.txt").write_text("50% & more", encoding="utf-8")
    assert one("curl x.test -d @form.txt", tmp_path).request.body == Body(
        "form", fields=(("a", "1"), ("b", "2"))
    )
    assert one(
        "curl x.test -H 'Content-Type: application/json' --data-binary @body.json", tmp_path
    ).request.body == Body("json", '{\n  "k": 1\n}\n')
    assert one("curl x.test --data-urlencode note@note.txt", tmp_path).request.body == Body(
        "form", fields=(("note", "50% & more"),)
    )
    with pytest.raises(ImportSourceError, match=r"@missing\.txt: cannot read"):
        one("curl x.test -d @missing.txt", tmp_path)
    with pytest.raises(ImportSourceError, match="standard input"):
        one("curl x.test -d @-", tmp_path)


def test_get_moves_data_into_the_query() -> None:
    request = one("curl -G 'https://x.test/s?a=1' -d b=2 --data-urlencode 'q=x y'").request
    assert request.method == "GET" and request.body is None
    assert request.url == "https://x.test/s?a=1&b=2&q=x+y"


def test_json_option_sets_the_body_and_accept() -> None:
    request = one("""curl --json '{"a": 1}' https://x.test""").request
    assert request.method == "POST"
    assert request.body == Body("json", '{"a": 1}')
    assert request.headers == (("Accept", "application/json"),)


def test_forms_with_files_types_and_text_from_files(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("hello", encoding="utf-8")
    found = imported(
        "curl x.test -F 'a=1' -F 'doc=@r.pdf;type=application/pdf' -F 'img=@p.png;type=text/plain' -F 'm=<m.txt' --form-string 's=@not-a-file'",
        tmp_path,
    )
    request = found.profiles[0].module.request
    assert request.body == Body(
        "multipart",
        fields=(("a", "1"), ("doc", "@r.pdf"), ("img", "@p.png"), ("m", "hello"), ("s", "@not-a-file")),
    )
    assert any("type=text/plain not kept" in note for note in found.profiles[0].notes)


def test_credentials_become_request_auth() -> None:
    assert one("curl -u ada:s3:cret https://x.test").request.auth == Auth(
        "basic", (("username", "ada"), ("password", "s3:cret"))
    )
    assert one("curl --digest --user ada:pw https://x.test").request.auth == Auth(
        "digest", (("username", "ada"), ("password", "pw"))
    )
    assert one('curl -u "$SID:$TOKEN" https://x.test').request.auth == Auth(
        "basic", (("username", "{{env.SID}}"), ("password", "{{env.TOKEN}}"))
    )
    assert one("curl --oauth2-bearer tok-1 https://x.test").request.auth == Auth(
        "bearer", (("token", "tok-1"),)
    )
    alone = imported("curl -u ada https://x.test")
    assert alone.profiles[0].module.request.auth == Auth("basic", (("username", "ada"), ("password", "")))
    assert "curl would ask for one" in alone.profiles[0].notes[0]


def test_auth_secrets_move_the_password_or_a_key_given_as_the_user() -> None:
    store = SecretStore()
    basic = Module(
        request=Request(url="https://x.test", auth=Auth("basic", (("username", "ada"), ("password", "pw"))))
    )
    moved, found = move_secrets(basic, profile="p", prefix="HOOKBENCH_P", store=store)
    assert moved.request.auth == Auth(
        "basic", (("username", "ada"), ("password", "{{env.HOOKBENCH_P_PASSWORD}}"))
    )
    keyed = Module(
        request=Request(
            url="https://x.test", auth=Auth("basic", (("username", "sk_test_1"), ("password", "")))
        )
    )
    moved, found = move_secrets(keyed, profile="p", prefix="HOOKBENCH_P", store=store)
    assert moved.request.auth == Auth("basic", (("username", "{{env.HOOKBENCH_P_TOKEN}}"), ("password", "")))
    assert found[0].where.startswith("basic auth username")
    bearer = Module(request=Request(url="https://x.test", auth=Auth("bearer", (("token", "t-1"),))))
    assert move_secrets(bearer, profile="p", prefix="HOOKBENCH_P", store=store)[0].request.auth == Auth(
        "bearer", (("token", "{{env.HOOKBENCH_P_TOKEN_2}}"),)
    )
    assert store.added == {
        "HOOKBENCH_P_PASSWORD": "pw",
        "HOOKBENCH_P_TOKEN": "sk_test_1",
        "HOOKBENCH_P_TOKEN_2": "t-1",
    }


def test_unknown_options_are_listed_and_do_not_eat_the_url() -> None:
    found = imported("curl --retry 3 --frobnicate -Z --connect-timeout 5 https://x.test/a -s")
    assert found.profiles[0].module.request.url == "https://x.test/a"
    assert found.warnings == (
        "options not imported (hookbench does not read them): --retry 3 --frobnicate -Z --connect-timeout 5",
    )
    assert "no effect on the request: -s" in found.profiles[0].notes


def test_tls_options_become_the_trust_and_client_certificate() -> None:
    found = imported(
        "curl --cacert certs/ca.pem --cert certs/client.pem:pem-pass --key certs/client.key https://x.test"
    )
    request = found.profiles[0].module.request
    assert found.warnings == ()
    assert request.verify_tls == "certs/ca.pem"
    assert (request.client_cert, request.client_key, request.client_key_password) == (
        "certs/client.pem",
        "certs/client.key",
        "pem-pass",
    )
    # --pass gives the password; a colon in a file name is escaped; a Windows drive is no password
    request = one(r"curl -E 'odd\:name.pem' --pass \$ecret https://x.test").request
    assert (request.client_cert, request.client_key_password) == ("odd:name.pem", "$ecret")
    assert one(r'curl.exe --cert "C:\certs\c.pem:pw" https://x.test').request.client_cert == r"C:\certs\c.pem"
    # -k wins over --cacert, as in curl, and says so
    insecure = imported("curl -k --cacert ca.pem https://x.test")
    assert insecure.profiles[0].module.request.verify_tls is False
    assert "--cacert ca.pem has no effect with -k" in insecure.profiles[0].notes[0]


@pytest.mark.parametrize(
    ("options", "proxy"),
    [
        ("-x proxy.test:3128", "http://proxy.test:3128"),
        ("--proxy https://proxy.test", "https://proxy.test"),
        ("-x http://proxy.test:3128 -U ada:p@ss/w:rd", "http://ada:p%40ss%2Fw%3Ard@proxy.test:3128"),
        (
            "-x http://old:pw@proxy.test:3128 --proxy-user ada:$PROXY_PASS",
            "http://ada:{{env.PROXY_PASS}}@proxy.test:3128",
        ),
        ("-xproxy.test:8080 -Uada", "http://ada@proxy.test:8080"),
    ],
)
def test_proxy_options_become_the_proxy_url(options: str, proxy: str) -> None:
    assert one(f"curl {options} https://x.test").request.proxy == proxy


def test_a_socks_proxy_or_a_proxy_user_alone_is_reported() -> None:
    socks = imported("curl -x socks5://127.0.0.1:1080 https://x.test")
    assert socks.profiles[0].module.request.proxy == ""
    assert "--proxy socks5://127.0.0.1:1080" in socks.warnings[0]
    alone = imported("curl -U ada:pw https://x.test")
    assert alone.profiles[0].module.request.proxy == ""
    assert "--proxy-user without --proxy" in alone.profiles[0].notes[0]


def test_key_and_proxy_passwords_move_to_the_dotenv() -> None:
    module = one("curl --cert c.pem:pem-pass -x http://ada:pr%40xy@proxy.test:3128 https://x.test")
    store = SecretStore()
    moved, found = move_secrets(module, profile="p", prefix="HOOKBENCH_P", store=store)
    assert moved.request.client_key_password == "{{env.HOOKBENCH_P_KEY_PASSWORD}}"
    assert moved.request.proxy == "http://ada:{{env.HOOKBENCH_P_PROXY_PASSWORD}}@proxy.test:3128"
    assert store.added == {"HOOKBENCH_P_KEY_PASSWORD": "pem-pass", "HOOKBENCH_P_PROXY_PASSWORD": "pr%40xy"}
    assert [secret.where for secret in found] == ["client key password", "proxy password"]
    # references stay references
    kept = one("curl --cert c.pem --pass $KEY_PASS -x http://ada:$PW@proxy.test https://x.test")
    assert move_secrets(kept, profile="p", prefix="HOOKBENCH_P", store=SecretStore())[1] == []


def test_placed_files_are_relative_to_the_profile_folder(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01")
    found = imported(
        "curl --cacert profiles/certs/ca.pem --cert /etc/client.pem --key ../k.pem "
        "--data-binary @blob.bin https://x.test",
        tmp_path,
    )
    request = place_files(found.profiles[0], tmp_path, folder).module.request
    assert request.verify_tls == "certs/ca.pem"
    assert request.client_cert == "/etc/client.pem"
    assert request.client_key == str((tmp_path.parent / "k.pem").resolve())
    assert request.body == Body("file", file=str(tmp_path / "blob.bin"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("wget https://x.test", "not a curl command: it starts with 'wget'"),
        ("", "nothing to import"),
        ("   \n ", "nothing to import"),
        ("curl -s", "names no URL"),
        ("curl -X OPTIONS https://x.test", "method OPTIONS"),
        ("curl https://x.test -H", "-H needs a value"),
        ("curl https://x.test -m soon", "not a number of seconds"),
        ("curl x.test -H 'Content-Type: application/json' -d '{broken'", "labelled json but is not"),
        ("curl x.test -F novalue", "a form field is name=value"),
    ],
)
def test_input_that_cannot_be_imported(text: str, problem: str) -> None:
    with pytest.raises(ImportSourceError, match=re.escape(problem)):
        one(text)


def test_a_prompt_and_a_trailing_pipe_are_not_the_command() -> None:
    assert one("$ curl https://x.test/a | jq").request.url == "https://x.test/a"


# --- body types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "kind"),
    [
        ("""--json '{"a":1}'""", "json"),
        ("""-H 'Content-Type: application/json' -d '{"a":1}'""", "json"),
        ("""-H 'content-type: application/vnd.api+json' -d '{"a":1}'""", "json"),
        ("""-H 'Content-Type: text/xml; charset=utf-8' -d '<a/>'""", "xml"),
        ("""-H 'Content-Type: application/soap+xml' -d '<a/>'""", "xml"),
        ("-d a=1", "form"),
        ("-F a=1", "multipart"),
        ("-d 'just some words'", "text"),
        ("-H 'Content-Type: application/x-www-form-urlencoded' -d 'not pairs'", "text"),
        ("-H 'Content-Type: text/plain' -d a=1", "text"),
        ("-H 'Content-Type: text/csv' --data-binary $'a,b\\n1,2\\n'", "text"),
        ("""-H 'Content-Type: application/x-ndjson' --data-binary $'{"a":1}\\n{"a":2}\\n'""", "text"),
        ("--data-binary @blob.bin", "file"),
        ("-H 'Content-Type: application/octet-stream' --data-binary @blob.bin", "file"),
    ],
)
def test_body_type_is_inferred(options: str, kind: str, tmp_path: Path) -> None:
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    body = one(f"curl https://x.test {options}", tmp_path).request.body
    assert body is not None and body.content_type == kind


def test_text_and_file_bodies_keep_the_content_type_curl_sends(tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    words = imported("curl https://x.test -d 'hello world'")
    assert words.profiles[0].module.request.body == Body("text", "hello world")
    assert words.profiles[0].module.request.headers == (
        ("Content-Type", "application/x-www-form-urlencoded"),
    )
    assert "sent as curl sends it" in words.profiles[0].notes[0]
    csv = one("curl https://x.test -H 'Content-Type: text/csv' --data-binary $'a,b\\n1,2\\n'").request
    assert csv.body == Body("text", "a,b\n1,2\n") and csv.headers == (("Content-Type", "text/csv"),)
    plain = one("curl https://x.test -H 'Content-Type: text/plain; charset=utf-8' -d hi").request
    assert plain.headers == ()  # the Content-Type hookbench adds for a text body
    upload = one(
        "curl -X PUT https://x.test/up -H 'Content-Type: image/png' --data-binary @photo.png", tmp_path
    )
    assert upload.request.method == "PUT"
    assert upload.request.body == Body("file", file="photo.png")
    assert upload.request.headers == ()  # image/png: what hookbench sends for a .png file
    with pytest.raises(ImportSourceError, match="cannot be joined with other data"):
        one("curl https://x.test -d a=1 --data-binary @photo.png", tmp_path)


def test_placeholders_in_a_json_body_are_allowed() -> None:
    body = one(
        """curl x.test -H 'Content-Type: application/json' -d '{"n": {{count}}, "t": "'$TOKEN'"}'"""
    ).request.body
    assert body == Body("json", '{"n": {{count}}, "t": "{{env.TOKEN}}"}')


def test_a_content_type_other_than_hookbench_adds_is_kept() -> None:
    request = one("""curl x.test -H 'Content-Type: application/json; charset=utf-8' -d '{}'""").request
    assert request.headers == (("Content-Type", "application/json; charset=utf-8"),)


def test_default_stem() -> None:
    assert default_stem("POST", "https://api.stripe.com/v1/charges") == "stripe-post-v1-charges"
    assert default_stem("GET", "{{env.BASE}}/users/{{id}}") == "get-users"


# --- secrets ----------------------------------------------------------------------------------


def test_secrets_move_to_readable_names_and_are_reused() -> None:
    module = Module(
        request=Request(
            method="POST",
            url="https://x.test/geo?address=a+b&api_key=AIza123&page=2",
            headers=(
                ("Authorization", "Bearer tok-1"),
                ("Cookie", "sid=abc"),
                ("X-Api-Key", "k-1"),
                ("Accept", "application/json"),
                ("X-Auth-Token", "{{env.ALREADY}}"),
            ),
            body=Body("form", fields=(("client_secret", "shh"), ("name", "Ada"))),
        )
    )
    store = SecretStore(existing={"HOOKBENCH_GEO_TOKEN": "another", "HOOKBENCH_GEO_COOKIE": "sid=abc"})
    moved_module, moved = move_secrets(module, profile="geo.toml", prefix=env_prefix("geo"), store=store)
    request = moved_module.request
    assert request.headers == (
        ("Authorization", "Bearer {{env.HOOKBENCH_GEO_TOKEN_2}}"),
        ("Cookie", "{{env.HOOKBENCH_GEO_COOKIE}}"),
        ("X-Api-Key", "{{env.HOOKBENCH_GEO_X_API_KEY}}"),
        ("Accept", "application/json"),
        ("X-Auth-Token", "{{env.ALREADY}}"),
    )
    assert request.url == "https://x.test/geo?address=a+b&api_key={{env.HOOKBENCH_GEO_API_KEY}}&page=2"
    assert request.body == Body(
        "form", fields=(("client_secret", "{{env.HOOKBENCH_GEO_CLIENT_SECRET}}"), ("name", "Ada"))
    )
    assert store.added == {
        "HOOKBENCH_GEO_TOKEN_2": "tok-1",
        "HOOKBENCH_GEO_X_API_KEY": "k-1",
        "HOOKBENCH_GEO_API_KEY": "AIza123",
        "HOOKBENCH_GEO_CLIENT_SECRET": "shh",
    }
    assert [secret.where for secret in moved] == [
        "header Authorization",
        "header Cookie",
        "header X-Api-Key",
        "query parameter api_key",
        "form field client_secret",
    ]
    # the profile sends what the command sent, with the .env values
    values = {**store.existing, **store.added}
    before = render_request(module, Variables(environ={"ALREADY": "a"}))
    after = render_request(moved_module, Variables(environ={"ALREADY": "a"}, env_file=values))
    assert (after.url, after.headers, after.content) == (before.url, before.headers, before.content)


@pytest.mark.parametrize(
    "value", ["plain", "with space", "it's", 'say "hi"', "back\\slash", "a#b", "line\nbreak", ""]
)
def test_dotenv_lines_read_back_exactly(tmp_path: Path, value: str) -> None:
    (tmp_path / ".env").write_text(dotenv_line("NAME", value) + "\n", encoding="utf-8")
    assert read_env_file(tmp_path / ".env") == {"NAME": value}


def test_write_import_creates_a_private_dotenv_and_ignores_it(tmp_path: Path) -> None:
    found = imported(
        "curl https://api.stripe.com/v1/charges -H 'Authorization: Bearer sk_live_1' -d amount=5"
    )
    folder = tmp_path / "profiles"
    written = write_import(found, folder)
    profile = folder / "stripe-post-v1-charges.toml"
    assert written.profiles == (profile,)
    assert "sk_live_1" not in profile.read_text(encoding="utf-8")
    assert read_module(profile).request.headers == (
        ("Authorization", "Bearer {{env.HOOKBENCH_STRIPE_POST_V1_CHARGES_TOKEN}}"),
    )
    dotenv = folder / ".env"
    assert stat.S_IMODE(dotenv.stat().st_mode) == 0o600
    assert read_env_file(dotenv) == {"HOOKBENCH_STRIPE_POST_V1_CHARGES_TOKEN": "sk_live_1"}
    assert (folder / ".gitignore").read_text(encoding="utf-8") == ".env\n"
    # again, into a folder whose .gitignore already lists other things: the same name is reused
    (folder / ".gitignore").write_text("*.bak", encoding="utf-8")
    again = write_import(found, folder, overwrite=True)
    assert [secret.name for secret in again.secrets] == ["HOOKBENCH_STRIPE_POST_V1_CHARGES_TOKEN"]
    assert dotenv.read_text(encoding="utf-8").count("HOOKBENCH_") == 1
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "*.bak\n.env\n"


def test_keep_secrets_writes_them_literally_and_no_dotenv(tmp_path: Path) -> None:
    found = imported("curl https://x.test -H 'Authorization: Bearer sk_live_1'")
    written = write_import(found, tmp_path, keep_secrets=True)
    assert "sk_live_1" in written.profiles[0].read_text(encoding="utf-8")
    assert written.secrets == () and not (tmp_path / ".env").exists()


def test_an_existing_profile_is_not_replaced_and_nothing_is_written(tmp_path: Path) -> None:
    found = imported("curl https://x.test/a -H 'Authorization: Bearer sk_live_1'")
    target = tmp_path / found.profiles[0].path.name
    target.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="already exists"):
        write_import(found, tmp_path)
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


# --- export, and back ---------------------------------------------------------------------------


def test_export_writes_env_values_as_shell_references() -> None:
    module = Module(
        request=Request(
            method="POST",
            url="{{env.BASE}}/v1/items?key={{env.API_KEY}}",
            headers=(("Authorization", "Bearer {{env.TOKEN}}"),),
            body=Body("json", '{"t": "{{env.TOKEN}}"}'),
        )
    )
    variables = Variables(environ={"BASE": "https://x.test", "TOKEN": "tok-1", "API_KEY": "k"})
    command = export_curl(module, variables)
    assert command == (
        """curl "$BASE"'/v1/items?key='"$API_KEY" -H 'Authorization: Bearer '"$TOKEN" """
        """-H 'Content-Type: application/json' --data-binary '{"t": "'"$TOKEN"'"}' -L --max-time 10"""
    )
    assert "tok-1" not in command
    revealed = export_curl(module, variables, reveal=True)
    assert "Bearer tok-1" in revealed and "$TOKEN" not in revealed
    # names need not be set to be referenced
    assert '"$TOKEN"' in export_curl(module, Variables(environ={}))


def test_export_refuses_an_env_name_a_shell_cannot_hold() -> None:
    module = Module(request=Request(url="https://x.test/{{env.A.B}}"))
    with pytest.raises(Exception, match="cannot be a shell variable"):
        export_curl(module, Variables(environ={}))


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.stem)
def test_import_of_export_is_the_profile(path: Path) -> None:
    """import(export(p)) sends what p sends, with the same {{env.*}} references and options.

    Other placeholders are filled by the export (curl has no variables), so the comparison is
    of the rendered requests, plus the settings a rendered request does not show."""
    module = read_module(path)
    variables = Variables(environ={"HOOKBENCH_DEMO_TOKEN": "demo-token-123"})
    command = export_curl(module, variables, base_dir=path.parent)
    back = import_curl(command, source_dir=path.parent).profiles[0].module
    assert render_request(back, variables, base_dir=path.parent) == render_request(
        module, variables, base_dir=path.parent
    )
    for setting in ("method", "timeout", "follow_redirects", "verify_tls"):
        assert getattr(back.request, setting) == getattr(module.request, setting)
    assert (back.request.body and back.request.body.content_type) == (
        module.request.body and module.request.body.content_type
    )
    env = re.compile(r"\{\{env\.[^}]+\}\}")
    assert sorted(env.findall(" ".join(back.request.template_texts()))) == sorted(
        env.findall(" ".join(module.request.template_texts()))
    )


NEW_FEATURES = {
    "text-body-tls": """name = "Log line"
[request]
method = "POST"
url = "https://logs.example.test/inputs/{{env.LOG_TOKEN}}"
verify_tls = "certs/ca.pem"
client_cert = "certs/client.pem"
client_key = "certs/client.key"
client_key_password = "{{env.KEY_PASS}}"
[request.headers]
Content-Type = "text/plain"
[request.body]
content_type = "text"
text = "disk 91% full on {{host}}\\nsecond line"
""",
    "ndjson-proxy": """name = "Bulk"
[request]
method = "POST"
url = "https://search.example.test/_bulk"
proxy = "http://ops:{{env.PROXY_PASS}}@proxy.example.test:3128"
timeout = 30
[request.headers]
Content-Type = "application/x-ndjson"
[request.body]
content_type = "text"
text = '''{"index":{}}
{"msg":"a"}
'''
""",
    "file-upload-insecure": """name = "Upload"
[request]
method = "PUT"
url = "https://files.example.test/v1/logo"
verify_tls = false
follow_redirects = false
[request.body]
content_type = "file"
file = "logo.png"
""",
    "csv-plain-proxy": """name = "CSV"
[request]
method = "PATCH"
url = "http://crm.example.test/import"
proxy = "http://proxy.example.test:8080"
[request.headers]
Content-Type = "text/csv"
[request.body]
content_type = "text"
text = "a,b\\n1,2\\n"
""",
}


@pytest.mark.parametrize("name", sorted(NEW_FEATURES))
def test_import_of_export_is_the_profile_for_tls_proxy_text_and_file(name: str, tmp_path: Path) -> None:
    """The same, for profiles using client certificates, a CA bundle, proxies (with a password
    from the environment), text and file bodies: the settings themselves come back equal."""
    folder = tmp_path / "profiles"
    (folder / "certs").mkdir(parents=True)
    for file in ("certs/ca.pem", "certs/client.pem", "certs/client.key"):
        (folder / file).write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    profile = folder / f"{name}.toml"
    profile.write_text(NEW_FEATURES[name], encoding="utf-8")
    module = read_module(profile)
    variables = Variables(environ={}, vars_file={"host": "db01"})
    command = export_curl(module, variables, base_dir=folder)
    assert "{{" not in command and "$" not in command.replace('"$', "")
    found = import_curl(command, source_dir=tmp_path)
    assert found.warnings == ()
    back = place_files(found.profiles[0], tmp_path, folder).module
    environ = {"LOG_TOKEN": "t-1", "KEY_PASS": "k-1", "PROXY_PASS": "p-1"}
    filled = Variables(environ=environ, vars_file={"host": "db01"})
    assert render_request(back, filled, base_dir=folder) == render_request(module, filled, base_dir=folder)
    expected, got = module.request, back.request
    for setting in (
        "method",
        "timeout",
        "follow_redirects",
        "verify_tls",
        "client_cert",
        "client_key",
        "client_key_password",
        "proxy",
        "headers",
        "body",
    ):
        wanted = getattr(expected, setting)
        if setting == "body" and wanted.content_type == "text":
            wanted = replace(wanted, text=wanted.text.replace("{{host}}", "db01"))
        assert getattr(got, setting) == wanted, setting
