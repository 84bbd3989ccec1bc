"""Profiles: load errors that name file, key and line; comment-preserving saves; atomic writes."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import tomlkit

from tui.core.errors import HookbenchError, ProfileError
from tui.core.model import Body, Module, Request, SetVariable
from tui.core.profile import load_profile, read_module, save_profile

DATA = Path(__file__).resolve().parents[1] / "data"
PROFILES = Path(__file__).resolve().parents[2] / "profiles"
EXAMPLES = sorted(PROFILES.glob("*.toml"))

Loader = Callable[[Path], object]
LOADERS = [
    pytest.param(read_module, id="read_module"),
    pytest.param(lambda path: load_profile(path).module, id="load_profile"),
]


def write(tmp_path: Path, text: str, name: str = "profile.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    """Temp files an interrupted atomic write could leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or p.name.startswith("."))


# --------------------------------------------------------------------------- load errors


@pytest.mark.parametrize("load", LOADERS)
def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path, load: Loader) -> None:
    path = write(
        tmp_path,
        """
        name = "broken"
        [request
        url = "http://example.test/"
    """,
    )
    with pytest.raises(ProfileError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: invalid TOML")
    assert "line 2" in message


@pytest.mark.parametrize("load", LOADERS)
def test_duplicate_key_is_a_profile_error_naming_file_and_line(tmp_path: Path, load: Loader) -> None:
    path = write(
        tmp_path,
        """
        name = "dup"
        [request]
        url = "http://example.test/a"
        url = "http://example.test/b"
    """,
    )
    with pytest.raises(ProfileError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: invalid TOML")
    assert "line 4" in str(caught.value)


BAD_PROFILES = [
    pytest.param(
        """
        name = "x"
        [request]
        method = "FETCH"
        url = "http://example.test/"
        """,
        ["request.method", "unknown method 'FETCH'", "GET, POST, PUT, PATCH, HEAD, DELETE", "(line 3)"],
        id="unknown-method",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        method = "GET"
        """,
        ["request.url", "is missing"],
        id="missing-url",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        timeout = "soon"
        """,
        ["request.timeout", "positive number of seconds", "'soon'", "(line 4)"],
        id="timeout-string",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        timeout = 0
        """,
        ["request.timeout", "positive number", "(line 4)"],
        id="timeout-zero",
    ),
    pytest.param(
        """
        name = 3
        [request]
        url = "http://example.test/"
        """,
        ["name: must be a string, not an integer", "(line 1)"],
        id="name-integer",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        log_request_body = "yes"
        """,
        ["request.log_request_body", "must be true or false, not a string", "(line 4)"],
        id="toggle-string",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        success_statuses = [200, "201"]
        """,
        ["request.success_statuses", "list of HTTP status codes", "(line 4)"],
        id="statuses-mixed",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [request.headers]
        X-Debug = true
        """,
        ["request.headers.X-Debug", "must be a string, not a boolean", "(line 5)"],
        id="header-boolean",
    ),
    pytest.param(
        """
        name = "x"
        request = 5
        """,
        ["request: must be a table, not an integer", "(line 2)"],
        id="request-not-table",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        method = "POST"
        url = "http://example.test/"
        [request.body]
        content_type = "yaml"
        """,
        [
            "request.body.content_type",
            "unknown content type 'yaml'",
            "json, xml, form, multipart",
            "(line 6)",
        ],
        id="unknown-content-type",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [[set_variables]]
        name = "users.0.id"
        type = "customer"
        target = "id"
        """,
        ["set_variables[0].type", "unknown type 'customer'", "variable, source, details", "(line 6)"],
        id="unknown-type",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [[set_variables]]
        name = "users.0.email"
        type = "source"
        target = "e-mail"
        """,
        ["set_variables[0].target", "unknown source target 'e-mail'", "phone_number, email", "(line 7)"],
        id="unknown-target",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [[set_variables]]
        name = "users.0.id"
        type = "variable"
        target = "1st"
        """,
        ["set_variables[0].target", "'1st' is not a usable variable name"],
        id="bad-variable-name",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [[set_variables]]
        type = "variable"
        target = "id"
        """,
        ["set_variables[0].name", "is missing"],
        id="row-without-path",
    ),
    pytest.param(
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [routes]
        expect = "maybe"
        """,
        ["routes.expect", "'maybe'", "(line 5)"],
        id="bad-expect",
    ),
]


@pytest.mark.parametrize("load", LOADERS)
@pytest.mark.parametrize(("text", "fragments"), BAD_PROFILES)
def test_load_errors_name_file_key_and_line(
    tmp_path: Path, load: Loader, text: str, fragments: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    for fragment in fragments:
        assert fragment in message


def test_error_in_second_row_points_at_the_second_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "x"
        [request]
        url = "http://example.test/"
        [[set_variables]]
        name = "users.0.id"
        type = "variable"
        target = "user_id"
        [[set_variables]]
        name = "users.0.email"
        type = "source"
        target = "bogus"
    """,
    )
    with pytest.raises(ProfileError) as caught:
        read_module(path)
    assert "set_variables[1].target" in str(caught.value)
    assert "(line 11)" in str(caught.value)


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile file") as caught:
        read_module(tmp_path / "absent.toml")
    assert "absent.toml" in str(caught.value)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b'name = "\xff\xfe"\n')
    with pytest.raises(ProfileError, match="not a UTF-8 text file") as caught:
        load_profile(binary)
    assert "binary.toml" in str(caught.value)


def test_profile_error_is_a_hookbench_error() -> None:
    assert issubclass(ProfileError, HookbenchError)


# --------------------------------------------------------------------------- what loads


def test_defaults_and_normalisation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [request]
        method = "post"
        url = "http://example.test/"

        [variables.source]
        email = "ada@example.com"

        [variables]
        count = 3
        flag = true
    """,
        name="minimal-profile.toml",
    )
    module = read_module(path)
    assert module.name == "minimal-profile"  # the file stem when no name is given
    request = module.request
    assert request.method == "POST"
    assert (request.timeout, request.log_request_body, request.log_response_body) == (10.0, False, True)
    assert (request.follow_redirects, request.verify_tls, request.fail_on_missing) == (True, True, False)
    assert request.success_statuses is None
    assert request.is_success_status(204) and not request.is_success_status(302)
    assert dict(module.variables) == {"source.email": "ada@example.com", "count": "3", "flag": "true"}


def test_every_key_of_the_format_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "Everything"
        description = "all keys"

        [request]
        method = "PUT"
        url = "http://example.test/{{id}}"
        timeout = 2.5
        log_request_body = true
        log_response_body = false
        success_statuses = [200, 404]
        follow_redirects = false
        verify_tls = false
        fail_on_missing = true

        [request.headers]
        Accept = "application/xml"

        [request.body]
        content_type = "multipart"

        [request.body.fields]
        note = "hello"
        file = "@attachment.txt"

        [[set_variables]]
        name = "user.@id"
        type = "linked_id"
        target = "custom_database"

        [on_failure]
        variable = "failed"
        value = "yes"

        [routes]
        success = "next"
        failure = "other"
    """,
    )
    module = read_module(path)
    assert module == load_profile(path).module
    assert module.description == "all keys"
    request = module.request
    assert (request.method, request.timeout, request.success_statuses) == ("PUT", 2.5, (200, 404))
    assert (request.log_request_body, request.log_response_body) == (True, False)
    assert (request.follow_redirects, request.verify_tls, request.fail_on_missing) == (False, False, True)
    assert request.headers == (("Accept", "application/xml"),)
    assert request.body == Body("multipart", "", (("note", "hello"), ("file", "@attachment.txt")))
    assert module.set_variables == (SetVariable("user.@id", "linked_id", "custom_database"),)
    assert module.set_variables[0].publishes == "linked_id.custom_database"
    assert (module.failure_variable, module.failure_value) == ("failed", "yes")
    assert (module.route_success, module.route_failure) == ("next", "other")


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_profiles_load_the_same_with_both_readers(path: Path) -> None:
    module = read_module(path)
    assert module == load_profile(path).module
    assert module.request.url.startswith("{{base_url}}/")


# --------------------------------------------------------------------------- load → edit → save


def test_edit_in_place_keeps_everything_else_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "lookup.toml"
    shutil.copy(DATA / "commented-profile.toml", path)
    original = path.read_text(encoding="utf-8")
    profile = load_profile(path)
    edited = dataclasses.replace(
        profile.module,
        name="Lookup v2",
        request=dataclasses.replace(profile.module.request, timeout=7.5),
    )
    save_profile(path, edited, profile.document)
    expected = original.replace('name = "Lookup"', 'name = "Lookup v2"').replace(
        "timeout = 5.0", "timeout = 7.5"
    )
    assert expected != original
    assert path.read_text(encoding="utf-8") == expected


def test_structural_edits_keep_comments_unknown_keys_and_order(tmp_path: Path) -> None:
    path = tmp_path / "lookup.toml"
    shutil.copy(DATA / "commented-profile.toml", path)
    original = path.read_text(encoding="utf-8")
    profile = load_profile(path)
    module = profile.module
    edited = dataclasses.replace(
        module,
        request=dataclasses.replace(module.request, headers=module.request.headers + (("X-Trace", "on"),)),
        set_variables=module.set_variables + (SetVariable("subscribers.0.email", "source", "email"),),
        failure_value="lookup failed",
        route_failure="subscriber-create",
    )
    save_profile(path, edited, profile.document)
    text = path.read_text(encoding="utf-8")

    comments = [line.strip() for line in original.splitlines() if "#" in line]
    assert len(comments) == 8
    for line in original.splitlines():
        if "#" in line:
            assert line in text  # each commented line survives verbatim

    saved = tomlkit.parse(text).unwrap()
    assert saved["owner"] == "team-newsletter"
    assert saved["request"]["retries"] == 3
    assert saved["set_variables"][0]["note"] == "unknown row key"
    assert saved["extra"] == {"colour": "blue"}
    assert list(saved) == ["name", "owner", "request", "set_variables", "on_failure", "extra", "routes"]
    assert list(saved["request"])[:4] == ["method", "url", "timeout", "log_request_body"]
    assert read_module(path) == edited


def test_removing_rows_and_headers_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "lookup.toml"
    shutil.copy(DATA / "commented-profile.toml", path)
    profile = load_profile(path)
    edited = dataclasses.replace(
        profile.module,
        set_variables=(),
        request=dataclasses.replace(profile.module.request, headers=()),
        failure_variable=None,
    )
    save_profile(path, edited, profile.document)
    text = path.read_text(encoding="utf-8")
    assert "set_variables" not in text and "subscriber_id" not in text
    assert "Accept" not in text
    assert "lookup_failed" not in text
    assert "# Subscriber lookup, hand-written: these comments must survive a save." in text
    assert 'owner = "team-newsletter"  # not a hookbench key: kept as is' in text
    assert read_module(path) == edited


def test_adding_a_variable_keeps_comments_on_the_others(tmp_path: Path) -> None:
    path = tmp_path / "lookup.toml"
    shutil.copy(PROFILES / "subscriber-lookup.toml", path)
    profile = load_profile(path)
    edited = dataclasses.replace(profile.module, variables=profile.module.variables + (("region", "eu"),))
    save_profile(path, edited, profile.document)
    text = path.read_text(encoding="utf-8")
    assert 'region = "eu"' in text
    assert "# `hookbench sandbox` listens here" in text


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_saving_an_unchanged_example_changes_nothing(tmp_path: Path, example: Path) -> None:
    path = tmp_path / example.name
    shutil.copy(example, path)
    profile = load_profile(path)
    save_profile(path, profile.module, profile.document)
    assert path.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")


def test_saving_an_unchanged_minimal_profile_changes_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        # short and sweet
        name = "Users"

        [request]
        method = "GET"
        url = "{{base_url}}/users"
    """,
    )
    original = path.read_text(encoding="utf-8")
    profile = load_profile(path)
    save_profile(path, profile.module, profile.document)
    assert path.read_text(encoding="utf-8") == original


def test_new_profile_round_trips_every_field(tmp_path: Path) -> None:
    module = Module(
        name="Create",
        description="multi\nline",
        request=Request(
            method="POST",
            url="{{base_url}}/subscribers",
            headers=(("Accept", "application/json"), ("X-Quote", 'say "hi"')),
            body=Body("json", '{\n  "email": "{{source.email}}"\n}\n'),
            timeout=3.0,
            log_request_body=True,
            success_statuses=(201, 409),
            follow_redirects=False,
            verify_tls=False,
            fail_on_missing=True,
        ),
        set_variables=(
            SetVariable("id", "variable", "subscriber_id"),
            SetVariable("email", "source", "email"),
        ),
        failure_variable="create_failed",
        failure_value="no",
        route_success="next",
        variables=(("base_url", "http://127.0.0.1:1"), ("source.email", "a@example.com")),
    )
    path = tmp_path / "new.toml"
    document = save_profile(path, module)
    assert read_module(path) == module
    # the returned document is the one to edit next
    again = dataclasses.replace(module, name="Create 2")
    save_profile(path, again, document)
    assert read_module(path).name == "Create 2"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- atomic writes


def test_write_onto_a_directory_fails_cleanly(tmp_path: Path) -> None:
    target = tmp_path / "folder.toml"
    target.mkdir()
    with pytest.raises(ProfileError) as caught:
        save_profile(target, Module(request=Request(url="http://example.test/")))
    assert str(caught.value).startswith(f"{target}: cannot write")
    assert leftovers(tmp_path) == []
    assert target.is_dir()


def test_failed_serialisation_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "old"
        [request]
        url = "http://example.test/"
    """,
    )
    before = path.read_bytes()
    profile = load_profile(path)
    unencodable = dataclasses.replace(profile.module, name="half a surrogate \ud800")
    with pytest.raises((ProfileError, UnicodeEncodeError)):
        save_profile(path, unencodable, profile.document)
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_disk_full_mid_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    """A real short write: a file-size limit makes the kernel refuse the temp file's bytes (EFBIG)."""
    path = write(
        tmp_path,
        """
        name = "old"
        [request]
        url = "http://example.test/"
    """,
    )
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import dataclasses, resource, signal, sys
        from pathlib import Path
        from tui.core.errors import ProfileError
        from tui.core.profile import load_profile, save_profile
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        path = Path({str(path)!r})
        profile = load_profile(path)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
        try:
            save_profile(path, dataclasses.replace(profile.module, description="x" * 500), profile.document)
        except ProfileError as exc:
            print(exc)
            sys.exit(3)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 3, done.stderr
    assert done.stdout.strip() == f"{path}: cannot write: File too large"
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_save_keeps_the_file_mode(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        name = "private"
        [request]
        url = "http://example.test/"
    """,
    )
    os.chmod(path, 0o600)
    profile = load_profile(path)
    save_profile(path, dataclasses.replace(profile.module, name="still private"), profile.document)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_module(path).name == "still private"


# --------------------------------------------------------------------------- keys of issue 8


def test_tls_proxy_and_new_body_keys_are_read_and_round_trip(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [request]
        method = "POST"
        url = "https://soap.corp.test/service"
        verify_tls = "certs/corp-ca.pem"
        client_cert = "certs/client.pem"
        client_key = "certs/client.key"
        client_key_password = "{{env.KEY_PASS}}"
        proxy = "http://proxy.corp.test:3128"

        [request.body]
        content_type = "graphql"
        query = "{ users { id } }"
        variables = '{"n": 1}'
    """,
    )
    request = read_module(path).request
    assert (request.verify_tls, request.client_cert, request.client_key) == (
        "certs/corp-ca.pem",
        "certs/client.pem",
        "certs/client.key",
    )
    assert (request.client_key_password, request.proxy) == ("{{env.KEY_PASS}}", "http://proxy.corp.test:3128")
    assert request.body == Body("graphql", query="{ users { id } }", variables='{"n": 1}')
    for body in (Body("text", text="a,b\n1,2\n"), Body("file", file="data/rows.csv"), request.body):
        module = Module(request=dataclasses.replace(request, body=body, verify_tls="system"))
        saved = tmp_path / "saved.toml"
        save_profile(saved, module)
        assert read_module(saved) == module


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('""', 'must be true, false, "system" or the path of a CA bundle, not an empty string'),
        ("3", 'must be true, false, "system" or the path of a CA bundle, not an integer'),
    ],
)
def test_bad_verify_tls_names_the_key(tmp_path: Path, value: str, message: str) -> None:
    path = write(tmp_path, f'[request]\nurl = "http://x.test/"\nverify_tls = {value}\n')
    with pytest.raises(ProfileError) as caught:
        read_module(path)
    assert str(caught.value) == f"{path}: request.verify_tls: {message} (line 3)"


def test_unknown_keys_are_warned_about_with_line_and_nearest_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        nmae = "typo at the top"

        [request]
        url = "http://x.test/"
        timout = 5

        [request.headers]
        X-Anything = "headers are free-form"

        [request.bdoy]
        content_type = "text"

        [[set_variables]]
        name = "a"
        target = "b"
        taget = "c"

        [variables]
        anything = "free-form too"
    """,
    )
    profile = load_profile(path)
    assert profile.warnings == (
        f"{path}: nmae: unknown key, kept but not used; did you mean name? (line 1)",
        f"{path}: request.timout: unknown key, kept but not used; did you mean timeout? (line 5)",
        f"{path}: request.bdoy: unknown key, kept but not used; did you mean body? (line 10)",
        f"{path}: set_variables[0].taget: unknown key, kept but not used; did you mean target? (line 16)",
    )
    assert profile.module.request.timeout == 10.0  # the typo changed nothing silently: it is named
    save_profile(path, dataclasses.replace(profile.module, name="Renamed"), profile.document)
    kept = path.read_text(encoding="utf-8")
    assert "timout = 5" in kept and "[request.bdoy]" in kept and 'taget = "c"' in kept


def test_example_profiles_have_no_unknown_keys() -> None:
    for path in EXAMPLES:
        assert load_profile(path).warnings == (), path


def test_unknown_auth_keys_are_named_for_the_scheme_in_use(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        [request]
        url = "http://x.test/"

        [request.auth]
        type = "basic"
        username = "u"
        pasword = "p"
        password = "p"
        token = "a bearer key, not a basic one"
    """,
    )
    assert load_profile(path).warnings == (
        f"{path}: request.auth.pasword: unknown key, kept but not used; did you mean password? (line 7)",
        f"{path}: request.auth.token: unknown key, kept but not used (line 9)",
    )
