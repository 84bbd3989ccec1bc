"""Rendering a module into the exact request: bodies, Content-Type, attachments, and the errors
that stop a request before anything is sent. The round trips go over loopback to the sandbox."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from tui.core.errors import BodyError, TemplateError
from tui.core.model import Body, Module, Request
from tui.core.render import render_request
from tui.core.run import run_module_sync
from tui.core.variables import Variables
from tui.sandbox import Sandbox

DATA = Path(__file__).resolve().parents[1] / "data"
TRICKY = 'Zoë "Z" O\'Brien & <Sons> ☕'


def post(
    body: Body, *, url: str = "http://example.test/x", headers: tuple[tuple[str, str], ...] = ()
) -> Module:
    return Module(request=Request(method="POST", url=url, headers=headers, body=body))


def no_env(**overrides: str) -> Variables:
    return Variables(environ={}, overrides=overrides)


# --------------------------------------------------------------------------- the rendered request


def test_url_headers_and_json_body_are_rendered() -> None:
    module = Module(
        request=Request(
            method="POST",
            url="{{base_url}}/subscribers?ref={{ref}}",
            headers=(("X-Ref", "{{ref}}"), ("Accept", "application/json")),
            body=Body("json", '{"email": "{{source.email}}", "n": {{n}}}'),
            timeout=4.0,
            follow_redirects=False,
            verify_tls=False,
        ),
        variables=(("base_url", "http://127.0.0.1:9"), ("n", "7")),
    )
    request = render_request(module, no_env(ref="a b", **{"source.email": "ada@example.com"}))
    assert request.method == "POST"
    assert request.url == "http://127.0.0.1:9/subscribers?ref=a%20b"
    assert request.headers == (
        ("X-Ref", "a b"),
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
    )
    assert json.loads(request.content or b"") == {"email": "ada@example.com", "n": 7}
    assert (request.timeout, request.follow_redirects, request.connection.verify) == (4.0, False, False)
    assert request.secrets == frozenset()


@pytest.mark.parametrize(
    ("kind", "text", "media"),
    [
        ("json", "{}", "application/json"),
        ("xml", "<a/>", "application/xml"),
        ("form", "", "application/x-www-form-urlencoded"),
    ],
)
def test_content_type_follows_the_body_kind(kind: str, text: str, media: str) -> None:
    request = render_request(post(Body(kind, text, (("a", "1"),))), no_env())
    assert request.header("content-type") == media
    assert [name for name, _ in request.headers].count("Content-Type") == 1


def test_a_content_type_header_wins_whatever_its_case() -> None:
    module = post(Body("json", "{}"), headers=(("content-type", "application/vnd.api+json"),))
    request = render_request(module, no_env())
    assert request.headers == (("content-type", "application/vnd.api+json"),)


def test_multipart_leaves_content_type_to_the_client() -> None:
    request = render_request(post(Body("multipart", fields=(("a", "1"),))), no_env())
    assert request.header("Content-Type") is None  # httpx adds it with the boundary
    assert request.fields == (("a", "1"),)
    assert request.content is None


def test_form_fields_are_url_encoded() -> None:
    module = post(Body("form", fields=(("name", "{{name}}"), ("note", "x & y=z"), ("plus", "1+1"))))
    request = render_request(module, no_env(name=TRICKY))
    assert request.content == (
        b"name=Zo%C3%AB+%22Z%22+O%27Brien+%26+%3CSons%3E+%E2%98%95&note=x+%26+y%3Dz&plus=1%2B1"
    )
    assert parse_qsl((request.content or b"").decode()) == [
        ("name", TRICKY),
        ("note", "x & y=z"),
        ("plus", "1+1"),
    ]


def test_bodies_are_only_sent_with_post_put_patch() -> None:
    for method in ("GET", "HEAD", "DELETE"):
        module = Module(
            request=Request(
                method=method, url="http://example.test/", body=Body("json", '{"a": {{unknown}}}')
            )
        )
        request = render_request(module, no_env())
        assert (request.content, request.content_type, request.header("Content-Type")) == (None, None, None)


def test_env_values_are_recorded_as_secrets() -> None:
    module = Module(request=Request(url="http://example.test/?k={{env.API_KEY}}&u={{user}}"))
    request = render_request(module, Variables(environ={"API_KEY": "k-123"}, overrides={"user": "bob"}))
    assert request.secrets == frozenset({"k-123"})


# --------------------------------------------------------------------------- errors before sending


def test_json_body_not_valid_after_rendering_names_line_and_column() -> None:
    module = post(Body("json", '{"a": 1,\n "n": {{n}}}'))
    with pytest.raises(BodyError) as caught:
        render_request(module, no_env(n="5}"))
    assert str(caught.value) == "JSON body is not valid after rendering: Extra data at line 2, column 9"


def test_json_body_with_an_unquoted_text_value_is_caught() -> None:
    with pytest.raises(
        BodyError, match=r"JSON body is not valid after rendering: Expecting value at line 1, column 7"
    ):
        render_request(post(Body("json", '{"a": {{v}}}')), no_env(v="hello"))


def test_xml_body_not_well_formed_after_rendering_names_line_and_column() -> None:
    module = post(Body("xml", "<a>\n  <b>{{v}}</a>"))
    with pytest.raises(BodyError) as caught:
        render_request(module, no_env(v="x"))
    message = str(caught.value)
    assert message.startswith(
        "XML body is not well-formed after rendering: mismatched tag at line 2, column "
    )
    # a value that would break XML is escaped, not an error
    request = render_request(post(Body("xml", "<a>{{v}}</a>")), no_env(v="</a><b>"))
    assert request.content == b"<a>&lt;/a&gt;&lt;b&gt;</a>"


def test_unknown_placeholders_are_named_wherever_they_are() -> None:
    cases = [
        (Module(request=Request(url="http://example.test/{{nope}}")), "unknown variable in url: nope"),
        (
            Module(request=Request(url="http://example.test/", headers=(("X-A", "{{h1}} {{h2}}"),))),
            "unknown variables in header 'X-A': h1, h2",
        ),
        (post(Body("json", '{"a": "{{who}}"}')), "unknown variable in JSON body: who"),
        (post(Body("xml", "<a>{{who}}</a>")), "unknown variable in XML body: who"),
        (
            post(Body("form", fields=(("email", "{{source.email}}"),))),
            "unknown variable in body field 'email': source.email",
        ),
        (
            Module(request=Request(url="http://example.test/?t={{env.NOT_SET_ANYWHERE}}")),
            "unknown variable in url: env.NOT_SET_ANYWHERE",
        ),
    ]
    for module, message in cases:
        with pytest.raises(TemplateError) as caught:
            render_request(module, no_env())
        assert str(caught.value) == message


def test_rendered_url_must_be_http() -> None:
    with pytest.raises(TemplateError) as caught:
        render_request(Module(request=Request(url="{{base}}/x")), no_env(base="ftp://files.example.test"))
    assert str(caught.value) == "url 'ftp://files.example.test/x' is not an http:// or https:// URL"


def test_missing_attachment_names_field_path_and_folder(tmp_path: Path) -> None:
    module = post(Body("multipart", fields=(("cv", "@docs/cv.pdf"),)))
    with pytest.raises(BodyError) as caught:
        render_request(module, no_env(), base_dir=tmp_path)
    assert str(caught.value) == (
        f"body field 'cv': cannot attach 'docs/cv.pdf': No such file or directory ({tmp_path / 'docs' / 'cv.pdf'})"
    )


def test_attachment_is_read_relative_to_the_base_dir(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    shutil.copy(DATA / "attachment.txt", tmp_path / "files" / "note.txt")
    module = post(Body("multipart", fields=(("email", "{{e}}"), ("doc", "@files/{{name}}"))))
    request = render_request(module, no_env(e="a@example.com", name="note.txt"), base_dir=tmp_path)
    assert request.fields == (("email", "a@example.com"),)
    [attachment] = request.attachments
    assert (attachment.field, attachment.filename, attachment.media_type) == ("doc", "note.txt", "text/plain")
    assert attachment.content == (DATA / "attachment.txt").read_bytes()
    assert (
        request.body_text()
        == f"email=a@example.com\ndoc=@note.txt ({len(attachment.content)} bytes, text/plain)"
    )


def test_a_variable_value_starting_with_at_is_text_not_a_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "private.txt"
    secret_file.write_text("do not upload", encoding="utf-8")
    module = post(Body("multipart", fields=(("handle", "{{handle}}"),)))
    request = render_request(module, no_env(handle=f"@{secret_file}"), base_dir=tmp_path)
    assert request.attachments == ()
    assert request.fields == (("handle", f"@{secret_file}"),)


# --------------------------------------------------------------------------- over the wire


def test_json_body_values_reach_the_server_intact(fresh_sandbox: Sandbox) -> None:
    module = Module(
        request=Request(
            method="POST",
            url=f"{fresh_sandbox.base_url}/subscribers",
            body=Body("json", '{"email": "{{e}}", "first_name": "{{name}}"}'),
            success_statuses=(201,),
        )
    )
    result = run_module_sync(module, no_env(e="zoe@example.com", name=TRICKY))
    assert result.route == "success", result.reason
    [created] = fresh_sandbox.state.find("zoe@example.com")
    assert created["first_name"] == TRICKY


def test_xml_body_values_reach_the_server_intact(fresh_sandbox: Sandbox) -> None:
    module = Module(
        request=Request(
            method="POST",
            url=f"{fresh_sandbox.base_url}/subscribers",
            body=Body("xml", "<subscriber><email>{{e}}</email><last_name>{{name}}</last_name></subscriber>"),
        )
    )
    result = run_module_sync(module, no_env(e="xml@example.com", name=TRICKY))
    assert result.status == 201, result.reason
    [created] = fresh_sandbox.state.find("xml@example.com")
    assert created["last_name"] == TRICKY


def test_form_values_reach_the_server_intact(fresh_sandbox: Sandbox) -> None:
    module = Module(
        request=Request(
            method="POST",
            url=f"{fresh_sandbox.base_url}/subscribers",
            body=Body("form", fields=(("email", "form@example.com"), ("first_name", "{{name}}"))),
        )
    )
    assert run_module_sync(module, no_env(name=TRICKY)).status == 201
    [created] = fresh_sandbox.state.find("form@example.com")
    assert created["first_name"] == TRICKY


def test_multipart_attachment_is_recorded_by_the_server(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    shutil.copy(DATA / "attachment.txt", tmp_path / "attachment.txt")
    module = Module(
        request=Request(
            method="POST",
            url=f"{fresh_sandbox.base_url}/subscribers",
            body=Body(
                "multipart",
                fields=(
                    ("email", "multi@example.com"),
                    ("first_name", "{{name}}"),
                    ("cv", "@attachment.txt"),
                ),
            ),
        )
    )
    result = run_module_sync(module, no_env(name=TRICKY), base_dir=tmp_path)
    assert result.status == 201, result.reason
    [created] = fresh_sandbox.state.find("multi@example.com")
    assert created["first_name"] == TRICKY
    size = (DATA / "attachment.txt").stat().st_size
    assert created["attachments"] == [{"field": "cv", "filename": "attachment.txt", "size": size}]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ((), "application/json"),
        ((("Content-Type", "application/merge-patch+json"),), "application/merge-patch+json"),
    ],
)
def test_content_type_on_the_wire(
    sandbox: Sandbox, headers: tuple[tuple[str, str], ...], expected: str
) -> None:
    module = Module(
        request=Request(
            method="PATCH", url=f"{sandbox.base_url}/echo", headers=headers, body=Body("json", '{"a": 1}')
        )
    )
    result = run_module_sync(module, no_env())
    echoed = result.body.data if result.body else None
    assert echoed["headers"]["Content-Type"] == expected
    assert echoed["method"] == "PATCH"
    assert json.loads(echoed["body"]) == {"a": 1}


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "http://[::1/x",
            "is not a valid URL: the [address] is not a valid IPv6 address (an unclosed '[' or bad digits)",
        ),
        (
            "http://[zz]/x",
            "is not a valid URL: the [address] is not a valid IPv6 address (an unclosed '[' or bad digits)",
        ),
        ("http://127.0.0.1:99999/", "is not a valid URL: the port must be a number from 0 to 65535"),
        ("http://example.test:abc/", "is not a valid URL: the port must be a number from 0 to 65535"),
        ("http://exa mple.test/", ": 'exa mple.test' is not a valid host name"),
    ],
)
def test_a_url_the_parser_rejects_is_a_clear_error(url: str, problem: str) -> None:
    for source in (url, "{{target}}"):  # typed in the profile, or arriving through a variable
        with pytest.raises(TemplateError) as caught:
            render_request(Module(request=Request(url=source)), no_env(target=url))
        assert str(caught.value) == f"url {url!r} {problem}".replace(" :", ":")


def test_a_malformed_international_host_is_a_clear_error() -> None:
    with pytest.raises(TemplateError) as caught:
        render_request(Module(request=Request(url="http://☃☃-.com/")), no_env())
    assert str(caught.value).startswith(
        "url 'http://☃☃-.com/': '☃☃-.com' is not a valid internationalised host name ("
    )
    request = render_request(Module(request=Request(url="http://exämple.test/ä")), no_env())
    assert request.url == "http://exämple.test/ä"  # a valid one is fine


@pytest.mark.parametrize("host", ["xn--a.com", "xn--zz-.com", "api.XN--A.example"])
def test_a_malformed_punycode_label_in_an_ascii_host_is_a_clear_error(host: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render_request(Module(request=Request(url=f"http://{host}/")), no_env())
    assert f"{host.lower()!r} is not a valid internationalised host name (" in str(caught.value)


def test_a_valid_punycode_host_passes() -> None:
    request = render_request(Module(request=Request(url="http://xn--bcher-kva.example/")), no_env())
    assert request.url == "http://xn--bcher-kva.example/"
