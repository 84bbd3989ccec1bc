"""The Postman importer on a v2.1 collection written for these tests (tests/data/importers):
every body mode, auth type, inheritance level, disabled entry and script pattern."""

from __future__ import annotations

import codecs
import json
from pathlib import Path, PurePosixPath

import pytest

from tui.core.errors import ImportSourceError
from tui.core.importers import DocumentImport
from tui.core.importers.postman import import_postman
from tui.core.importers.postman_scripts import read_scripts

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
COLLECTION = (DATA / "postman-collection.json").read_bytes()
ENVIRONMENT = (DATA / "postman-environment.json").read_bytes()


def imported(collection: bytes = COLLECTION, **options: object) -> DocumentImport:
    return import_postman(collection, source="c.json", environments=[("e.json", ENVIRONMENT)], **options)  # type: ignore[arg-type]


def by_path(result: DocumentImport) -> dict[str, object]:
    return {str(p.path): p for p in result.imported.profiles}


def test_folders_become_sub_folders_and_requests_profiles() -> None:
    paths = set(by_path(imported()))
    assert {
        "subscribers/lookup-subscriber.toml",
        "subscribers/nested/get-subscriber.toml",
        "subscribers/create-subscriber.toml",
        "echo/form-post.toml",
        "echo/multipart-post.toml",
        "echo/xml-post.toml",
        "secure-profile.toml",
    } <= paths


def test_disabled_query_entries_and_headers_are_left_out() -> None:
    lookup = imported().imported.profiles[0]
    assert lookup.path == PurePosixPath("subscribers/lookup-subscriber.toml")
    assert lookup.module.request.url == "{{base_url}}/subscribers?email={{email}}"
    assert lookup.module.request.headers == (("Accept", "application/json"),)


def test_path_variables_become_placeholders_with_their_values_as_defaults() -> None:
    profile = by_path(imported())["subscribers/nested/get-subscriber.toml"]
    assert profile.module.request.url == "{{base_url}}/subscribers/{{id}}"  # type: ignore[attr-defined]
    assert ("id", "sub_1") in profile.module.variables  # type: ignore[attr-defined]


def test_collection_variables_become_variables_names_respelled_secrets_as_env() -> None:
    result = imported()
    form = by_path(result)["echo/form-post.toml"]
    assert form.module.request.url == "{{base_url}}/echo?page_size={{page_size}}"  # type: ignore[attr-defined]
    variables = dict(form.module.variables)  # type: ignore[attr-defined]
    assert variables == {
        "base_url": "http://127.0.0.1:8765",
        "page_size": "20",
    }  # disabled and secret left out
    assert result.secrets == (
        ("HOOKBENCH_NEWSLETTER_API_TOKEN", "demo-token"),
        ("HOOKBENCH_NEWSLETTER_API_USERNAME", "ada"),  # a literal credential in an auth table
    )


def test_keep_secrets_keeps_secret_variables_literal() -> None:
    result = imported(keep_secrets=True)
    assert result.secrets == ()
    assert ("token", "demo-token") in result.imported.profiles[0].module.variables
    form = by_path(result)["echo/form-post.toml"].module.request.auth  # type: ignore[attr-defined]
    assert form is not None and form.get("username") == "ada"
    assert dict(result.environments[0].secrets) == {"api_key": "sandbox-api-key", "password": "s3cret"}


def test_environment_values_split_into_variables_and_secrets_disabled_left_out() -> None:
    (environment,) = imported().environments
    assert environment.name == "sandbox"
    assert dict(environment.variables) == {"base_url": "http://127.0.0.1:8765", "email": "ada@example.com"}
    assert dict(environment.secrets) == {
        "HOOKBENCH_NEWSLETTER_API_API_KEY": "sandbox-api-key",
        "HOOKBENCH_NEWSLETTER_API_PASSWORD": "s3cret",
    }


def test_body_modes() -> None:
    profiles = by_path(imported())
    create = profiles["subscribers/create-subscriber.toml"].module.request.body  # type: ignore[attr-defined]
    assert create.content_type == "json" and "{{$guid}}" in create.text and "{{$timestamp}}" in create.text
    form = profiles["echo/form-post.toml"].module.request.body  # type: ignore[attr-defined]
    assert (form.content_type, form.fields) == ("form", (("email", "{{email}}"),))
    multipart = profiles["echo/multipart-post.toml"].module.request.body  # type: ignore[attr-defined]
    assert (multipart.content_type, multipart.fields) == (
        "multipart",
        (("note", "hello"), ("attachment", "@attachment.txt")),
    )
    xml = profiles["echo/xml-post.toml"].module.request.body  # type: ignore[attr-defined]
    assert (xml.content_type, xml.text) == ("xml", "<note><to>{{email}}</to></note>")


def test_text_file_and_graphql_bodies() -> None:
    profiles = by_path(imported())
    text = profiles["echo/text-post.toml"].module.request.body  # type: ignore[attr-defined]
    assert text.content_type == "text" and "{{$isoTimestamp}}" in text.text
    assert profiles["echo/file-upload.toml"].module.request.body.file == "attachment.txt"  # type: ignore[attr-defined]
    graphql = profiles["echo/graph-ql-query.toml"].module.request.body  # type: ignore[attr-defined]
    assert graphql.query.startswith("query {") and json.loads(graphql.variables) == {"id": 1}


def test_unsupported_method_is_skipped_with_the_reason() -> None:
    skipped = {s.name: s.reason for s in imported().imported.skipped}
    assert "method OPTIONS is not one hookbench sends" in skipped["Echo / Preflight"]


def test_unsupported_auth_is_reported() -> None:
    hawk = by_path(imported())["echo/hawk-signed.toml"]
    assert any("auth 'hawk'" in note for note in hawk.notes)  # type: ignore[attr-defined]


def test_script_patterns_become_rows_and_statuses() -> None:
    profiles = by_path(imported())
    lookup = profiles["subscribers/lookup-subscriber.toml"]
    assert [(r.name, r.target) for r in lookup.module.set_variables] == [
        ("subscribers.0.id", "subscriber_id")
    ]  # type: ignore[attr-defined]
    assert lookup.module.request.success_statuses == (200,)  # type: ignore[attr-defined]
    assert "script: console.log(jsonData);" in lookup.notes  # type: ignore[attr-defined]
    create = profiles["subscribers/create-subscriber.toml"]
    assert [(r.name, r.target) for r in create.module.set_variables] == [("id", "new_id")]  # type: ignore[attr-defined]
    assert create.module.request.success_statuses == (201,)  # type: ignore[attr-defined]
    assert any(n.startswith("script: pre-request: pm.variables.set") for n in create.notes)  # type: ignore[attr-defined]
    nested = profiles["subscribers/nested/get-subscriber.toml"]
    assert [(r.name, r.target) for r in nested.module.set_variables] == [("first_name", "first_name")]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ('pm.environment.set("x", pm.response.json().a.b[0].c);', ("a.b.0.c", "x")),
        ("pm.collectionVariables.set('x', pm.response.json()['odd key'][2]);", ('"odd key".2', "x")),
        ('pm.globals.set("g", JSON.parse(responseBody).token)', ("token", "g")),
        ('postman.setEnvironmentVariable("t", pm.response.json().data.id);', ("data.id", "t")),
    ],
)
def test_setter_patterns(line: str, row: tuple[str, str]) -> None:
    assert read_scripts([line], []).rows == (row,)


def test_other_script_lines_are_kept_not_translated() -> None:
    script = read_scripts(
        ['pm.environment.set("x", pm.response.json().items.length);', "// a comment", "", "if (x) {"], []
    )
    assert script.rows == ()
    assert script.untranslated == ('pm.environment.set("x", pm.response.json().items.length);', "if (x) {")


def test_auth_inheritance_levels() -> None:
    profiles = by_path(imported())

    def auth(path: str) -> tuple[str, dict[str, str]] | None:
        value = profiles[path].module.request.auth  # type: ignore[attr-defined]
        return None if value is None else (value.type, dict(value.values))

    assert auth("subscribers/lookup-subscriber.toml") == (
        "api_key",
        {"name": "X-Api-Key", "value": "{{env.HOOKBENCH_NEWSLETTER_API_API_KEY}}", "in": "header"},
    )
    assert auth("subscribers/nested/get-subscriber.toml") == auth("subscribers/lookup-subscriber.toml")
    assert auth("subscribers/create-subscriber.toml") is None  # noauth
    assert auth("secure-profile.toml") == ("bearer", {"token": "{{env.HOOKBENCH_NEWSLETTER_API_TOKEN}}"})
    assert auth("echo/form-post.toml") == (
        "basic",
        {
            "username": "{{env.HOOKBENCH_NEWSLETTER_API_USERNAME}}",
            "password": "{{env.HOOKBENCH_NEWSLETTER_API_PASSWORD}}",
        },
    )
    assert auth("echo/xml-post.toml") == auth("echo/form-post.toml")  # explicit inherit
    assert auth("echo/multipart-post.toml")[0] == "digest"  # type: ignore[index]
    oauth = auth("echo/oauth-call.toml")
    assert oauth is not None and oauth[0] == "oauth2" and oauth[1]["grant"] == "client_credentials"
    assert oauth[1]["token_url"] == "{{base_url}}/oauth/token" and oauth[1]["scope"] == "read"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_bom_and_utf16_files_are_read(encoding: str) -> None:
    text = COLLECTION.decode("utf-8").replace("Newsletter API", "Newsletter API ✓")
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    result = import_postman(data, source="c.json")
    assert len(result.imported.profiles) == len(imported().imported.profiles)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b'{"id": "x", "name": "Old", "order": [], "requests": []}', "format v1"),
        (
            b'{"info": {"schema": "https://schema.getpostman.com/json/collection/v1.0.0/"}, "item": []}',
            "v1.0",
        ),
        (b"[1, 2]", "not a Postman collection"),
        (b'{"info": {"name": "x"}, "item": [', "not valid JSON"),
        (b'{"hello": "world"}', "no 'info' and 'item'"),
        (b"\xff\xfe\x00\xd8", "not readable"),
    ],
)
def test_bad_collections_are_clear_errors(document: bytes, message: str) -> None:
    with pytest.raises(ImportSourceError, match=message):
        import_postman(document, source="c.json")


def test_a_bad_environment_is_a_clear_error() -> None:
    with pytest.raises(ImportSourceError, match="not a Postman environment"):
        import_postman(COLLECTION, environments=[("env.json", b'{"name": "x"}')])


def test_v2_0_shapes_auth_as_object_headers_as_text_request_as_string() -> None:
    collection = {
        "info": {
            "name": "Old style",
            "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json",
        },
        "item": [
            {"name": "Plain", "request": "https://api.example.com/ping"},
            {
                "name": "Headers",
                "request": {
                    "method": "GET",
                    "url": "https://api.example.com/x",
                    "header": "Accept: text/plain\nX-Trace: on",
                },
            },
        ],
    }
    result = import_postman(json.dumps(collection).encode(), source="c.json")
    plain, headers = result.imported.profiles
    assert (plain.module.request.method, plain.module.request.url) == ("GET", "https://api.example.com/ping")
    assert headers.module.request.headers == (("Accept", "text/plain"), ("X-Trace", "on"))
