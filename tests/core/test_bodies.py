"""text, file and graphql bodies: rendered, then echoed byte for byte by the sandbox."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui.core.errors import BodyError
from tui.core.model import Body, Module, Request
from tui.core.profile import read_module
from tui.core.render import render_request
from tui.core.run import run_module
from tui.core.send import Clients
from tui.core.variables import Variables
from tui.sandbox import Sandbox


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    shared = Clients()
    yield shared
    await shared.aclose()


def post(sandbox: Sandbox, body: Body, headers: tuple[tuple[str, str], ...] = ()) -> Module:
    return Module(
        request=Request(method="POST", url=f"{sandbox.base_url}/echo/raw", headers=headers, body=body)
    )


async def echoed(module: Module, clients: Clients, variables: Variables, base_dir: Path | None = None):
    result = await run_module(module, variables, clients, base_dir=base_dir)
    assert result.exchange is not None, result.reason
    exchange = result.exchange
    assert exchange.header("x-body-sha256") == hashlib.sha256(exchange.body).hexdigest()
    return exchange


async def test_text_body_is_sent_as_is_with_a_plain_text_default(sandbox: Sandbox, clients: Clients) -> None:
    csv = 'id,name\n1,"Ada, Countess"\n2,{{who}}\n'
    module = post(sandbox, Body("text", text=csv))
    exchange = await echoed(module, clients, Variables(environ={}, overrides={"who": 'Grace "G" Hopper'}))
    assert exchange.body == b'id,name\n1,"Ada, Countess"\n2,Grace "G" Hopper\n'
    assert exchange.header("content-type") == "text/plain; charset=utf-8"


async def test_text_body_takes_its_content_type_from_a_header(sandbox: Sandbox, clients: Clients) -> None:
    ndjson = '{"n": 1}\n{"n": 2}\n'
    module = post(sandbox, Body("text", text=ndjson), headers=(("Content-Type", "application/x-ndjson"),))
    exchange = await echoed(module, clients, Variables(environ={}))
    assert exchange.body == ndjson.encode()
    assert exchange.header("content-type") == "application/x-ndjson"


async def test_file_body_is_the_whole_file_streamed(
    sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    payload = bytes(range(256)) * 1024 + b"\x00tail"  # binary, 256 kB: several chunks
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "blob.png").write_bytes(payload)
    module = post(sandbox, Body("file", file="data/blob.png"))
    exchange = await echoed(module, clients, Variables(environ={}), base_dir=tmp_path)
    assert exchange.body == payload
    assert exchange.header("content-type") == "image/png"  # guessed from the name


async def test_file_body_from_a_saved_profile(sandbox: Sandbox, clients: Clients, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_bytes(b"a;b\r\n1;2\r\n")
    profile = tmp_path / "upload.toml"
    profile.write_text(
        f'[request]\nmethod = "PUT"\nurl = "{sandbox.base_url}/echo/raw"\n'
        '[request.headers]\nContent-Type = "text/csv; charset=windows-1252"\n'
        '[request.body]\ncontent_type = "file"\nfile = "rows.csv"\n',
        encoding="utf-8",
    )
    exchange = await echoed(read_module(profile), clients, Variables(environ={}), base_dir=tmp_path)
    assert exchange.body == b"a;b\r\n1;2\r\n"
    assert exchange.header("content-type") == "text/csv; charset=windows-1252"


async def test_graphql_body_is_query_and_variables_as_json(sandbox: Sandbox, clients: Clients) -> None:
    query = 'query Find($email: String!) { subscriber(email: $email) { id name(lang: "{{lang}}") } }'
    variables = '{"email": "{{source.email}}", "limit": 2}'
    module = post(sandbox, Body("graphql", query=query, variables=variables))
    chain = Variables(environ={}, overrides={"source.email": 'ada"@example.com', "lang": "en"})
    exchange = await echoed(module, clients, chain)
    expected = {
        "query": query.replace("{{lang}}", "en"),
        "variables": {"email": 'ada"@example.com', "limit": 2},
    }
    assert exchange.body == json.dumps(expected, ensure_ascii=False).encode()
    assert exchange.header("content-type") == "application/json"


async def test_graphql_without_variables_sends_only_the_query(sandbox: Sandbox, clients: Clients) -> None:
    module = post(sandbox, Body("graphql", query="{ users { id } }"))
    exchange = await echoed(module, clients, Variables(environ={}))
    assert exchange.body == b'{"query": "{ users { id } }"}'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (Body("graphql", query=" "), "GraphQL body: the query is empty"),
        (
            Body("graphql", query="{ a }", variables='{"a" 1}'),  # worded alike by every Python
            "GraphQL variables are not valid JSON after rendering: Expecting ':' delimiter at line 1, column 6",
        ),
        (Body("graphql", query="{ a }", variables="[1]"), "GraphQL variables must be a JSON object"),
        (Body("file"), "file body: no file given (request.body.file)"),
        (Body("file", file="absent.bin"), "file body: cannot read 'absent.bin': No such file or directory"),
    ],
)
def test_body_errors_name_the_problem(tmp_path: Path, body: Body, message: str) -> None:
    module = Module(request=Request(method="POST", url="http://127.0.0.1:1/", body=body))
    with pytest.raises(BodyError) as caught:
        render_request(module, Variables(environ={}), base_dir=tmp_path)
    assert str(caught.value).startswith(message)


def test_dry_run_text_of_a_file_body(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_bytes(b"{}\n")
    module = Module(
        request=Request(method="POST", url="http://127.0.0.1:1/", body=Body("file", file="x.json"))
    )
    request = render_request(module, Variables(environ={}), base_dir=tmp_path)
    assert request.body_text() == f"@{tmp_path / 'x.json'} (3 bytes, application/json)"
