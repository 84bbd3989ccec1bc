"""The OpenAPI importer on a 3.0 (YAML) and a 3.1 (JSON) document written for these tests:
refs, recursive schemas, parameters, examples, security schemes, servers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.errors import ImportSourceError
from tui.core.importers import DocumentImport
from tui.core.importers.openapi import import_openapi
from tui.core.importers.openapi_schema import Resolver

DATA = Path(__file__).resolve().parents[1] / "data" / "importers"
V30 = (DATA / "openapi-3.0.yaml").read_bytes()
V31 = (DATA / "openapi-3.1.json").read_bytes()


def profiles(result: DocumentImport) -> dict[str, object]:
    return {str(p.path): p.module for p in result.imported.profiles}


def test_one_profile_per_operation_named_from_operation_id_in_a_folder_per_tag() -> None:
    result = import_openapi(V30, source="api.yaml")
    assert set(profiles(result)) == {
        "subscribers/list-subscribers.toml",
        "subscribers/create-subscriber.toml",
        "subscribers/get-subscriber.toml",
        "subscribers/delete-subscribers-subscriber-id.toml",  # no operationId: method and path
        "catalogue/create-category.toml",
        "subscribe-by-form.toml",  # no tag: top folder
    }
    assert [(s.name, s.reason) for s in result.imported.skipped] == [
        ("preflight", "method OPTIONS is not one hookbench sends")
    ]


def test_parameters_path_required_query_and_header_with_examples() -> None:
    modules = profiles(import_openapi(V30, source="api.yaml"))
    listing = modules["subscribers/list-subscribers.toml"]
    assert listing.request.url == "{{base_url}}/subscribers?email={{email}}"  # type: ignore[attr-defined]
    assert listing.request.headers == (("X-Request-Id", "{{X-Request-Id}}"),)  # type: ignore[attr-defined]
    variables = dict(listing.variables)  # type: ignore[attr-defined]
    assert variables["email"] == "ada@example.com"  # the $ref'd parameter's example
    assert variables["base_url"] == "http://127.0.0.1:8765"  # the first server, its variable filled
    one = modules["subscribers/get-subscriber.toml"]
    assert one.request.url == "{{base_url}}/subscribers/{{subscriberId}}"  # type: ignore[attr-defined]
    assert dict(one.variables)["subscriberId"] == "sub_1"  # type: ignore[attr-defined]


def test_json_bodies_from_examples_else_synthesised_from_the_schema() -> None:
    modules = profiles(import_openapi(V30, source="api.yaml"))
    created = json.loads(modules["subscribers/create-subscriber.toml"].request.body.text)  # type: ignore[attr-defined]
    assert created == {"email": "user@example.com", "first_name": "Ada", "tags": ["vip"]}  # required only
    category = json.loads(modules["catalogue/create-category.toml"].request.body.text)  # type: ignore[attr-defined]
    assert category == {"name": "Shoes", "children": []}  # the named example


def test_form_bodies_from_required_properties() -> None:
    form = profiles(import_openapi(V30, source="api.yaml"))["subscribe-by-form.toml"]
    assert form.request.body.content_type == "form"  # type: ignore[attr-defined]
    assert form.request.body.fields == (("email", "user@example.com"), ("consent", "true"))  # type: ignore[attr-defined]


def test_servers_become_environments_holding_base_url() -> None:
    sandbox, production = import_openapi(V30, source="api.yaml").environments
    assert (sandbox.name, dict(sandbox.variables)) == (
        "sandbox",
        {"base_url": "http://127.0.0.1:8765", "port": "8765"},
    )
    assert (production.name, dict(production.variables)) == (
        "production",
        {"base_url": "https://api.example.com/v1"},
    )


def test_recursive_schemas_end() -> None:
    resolver = Resolver(json.loads(V31), "api.json")
    comment = resolver.sample({"$ref": "#/components/schemas/Comment"})
    assert comment == {"text": "hello", "replies": []}
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["next", "name"],
                    "properties": {"next": {"$ref": "#/components/schemas/Node"}, "name": {"type": "string"}},
                },
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"$ref": "#/components/schemas/A"},
            }
        }
    }
    resolver = Resolver(document, "d")
    assert resolver.sample({"$ref": "#/components/schemas/Node"}) == {"name": "string"}
    assert resolver.sample({"$ref": "#/components/schemas/A"}) is None


def test_3_1_type_lists_examples_const_and_path_defaults() -> None:
    modules = profiles(import_openapi(V31, source="api.json"))
    comment = modules["comments/add-comment.toml"]
    assert json.loads(comment.request.body.text) == {"text": "hello", "replies": []}  # type: ignore[attr-defined]
    assert dict(comment.variables)["id"] == "7"  # type: ignore[attr-defined]
    listing = modules["tickets/get-tickets.toml"]
    assert listing.request.url == "{{base_url}}/tickets?status={{status}}"  # type: ignore[attr-defined]
    assert dict(listing.variables)["status"] == "open"  # type: ignore[attr-defined]
    resolver = Resolver(json.loads(V31), "api.json")
    assert resolver.sample({"$ref": "#/components/schemas/Ticket"}) == {
        "subject": "Printer on fire",
        "priority": 1,
        "thread": [{"text": "hello", "replies": []}],
    }


def test_security_schemes_become_auth_with_env_credentials() -> None:
    modules = profiles(import_openapi(V30, source="api.yaml"))

    def auth(path: str) -> tuple[str, dict[str, str]] | None:
        value = modules[path].request.auth  # type: ignore[attr-defined]
        return None if value is None else (value.type, dict(value.values))

    assert auth("subscribers/list-subscribers.toml") == (
        "api_key",
        {"name": "X-Api-Key", "value": "{{env.HOOKBENCH_NEWSLETTER_API_X_API_KEY}}", "in": "header"},
    )
    assert auth("subscribers/create-subscriber.toml") == (
        "bearer",
        {"token": "{{env.HOOKBENCH_NEWSLETTER_API_TOKEN}}"},
    )
    assert auth("catalogue/create-category.toml")[0] == "basic"  # type: ignore[index]
    assert auth("subscribers/delete-subscribers-subscriber-id.toml") is None  # security: []
    oauth = auth("subscribe-by-form.toml")
    assert oauth is not None and oauth[1]["token_url"] == "http://127.0.0.1:8765/oauth/token"
    assert oauth[1]["scope"] == "newsletter.write"


def test_unmapped_security_is_noted() -> None:
    result = import_openapi(V31, source="api.json")
    notes = {str(p.path): p.notes for p in result.imported.profiles}
    assert any("cookieKey not mapped" in note for note in notes["tickets/get-tickets.toml"])


def test_tag_filter() -> None:
    result = import_openapi(V30, source="api.yaml", tags=["catalogue"])
    assert list(profiles(result)) == ["catalogue/create-category.toml"]
    with pytest.raises(ImportSourceError, match="no operation has the tag"):
        import_openapi(V30, source="api.yaml", tags=["nope"])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"openapi: [unclosed", "not valid YAML or JSON"),
        (b'{"openapi": "3.0.0", "paths": ', "not valid JSON"),
        (b'swagger: "2.0"\npaths: {}\n', "Swagger 2.0 is not read"),
        (b"openapi: 4.0.0\npaths: {}\n", "OpenAPI 4.0.0 is not read"),
        (b"- just\n- a list\n", "not an OpenAPI document"),
        (b"title: no version\n", "no 'openapi' version"),
    ],
)
def test_bad_documents_are_clear_errors(document: bytes, message: str) -> None:
    with pytest.raises(ImportSourceError, match=message):
        import_openapi(document, source="api.yaml")


def test_a_broken_ref_skips_the_operation_with_the_reason() -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {
            "/x": {
                "post": {"operationId": "broken", "requestBody": {"$ref": "#/components/requestBodies/Gone"}}
            }
        },
    }
    result = import_openapi(json.dumps(document).encode(), source="api.json")
    assert "points at nothing" in result.imported.skipped[0].reason


def test_a_big_import_is_written_whole_through_the_parallel_writer(tmp_path: Path) -> None:
    from tui.core.importers.writing import write_import

    paths = {f"/items{n}": {"get": {"operationId": f"getItem{n}", "tags": ["items"]}} for n in range(40)}
    document = {"openapi": "3.1.0", "servers": [{"url": "http://127.0.0.1:1"}], "paths": paths}
    result = import_openapi(json.dumps(document).encode(), source="big.json")
    written = write_import(result.imported, tmp_path)
    assert len(written.profiles) == 40
    assert sorted(p.name for p in (tmp_path / "items").iterdir()) == sorted(
        f"get-item{n}.toml" for n in range(40)
    )
    assert 'url = "{{base_url}}/items39"' in (tmp_path / "items" / "get-item39.toml").read_text(
        encoding="utf-8"
    )
