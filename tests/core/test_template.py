"""`{{placeholder}}` replacement, encoding for where a value lands, and where values come from."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.errors import HookbenchError, TemplateError
from tui.core.model import Body, Module, Request
from tui.core.render import render_request
from tui.core.template import (
    encode_for_header,
    encode_for_json,
    encode_for_url,
    encode_for_xml,
    find_placeholders,
    names_in,
    render,
)
from tui.core.variables import (
    Variables,
    parse_assignment,
    read_env_file,
    read_vars_file,
)

TRICKY = 'Say "hi" & <b>bye</b> café ☕'


def values(mapping: dict[str, str]):
    return mapping.get


# --------------------------------------------------------------------------- finding placeholders


def test_find_placeholders_gives_names_and_spans() -> None:
    text = "{{base_url}}/x?e={{ source.email }}&k={{a-b_c}}"
    found = find_placeholders(text)
    assert [(p.name, text[p.start : p.end]) for p in found] == [
        ("base_url", "{{base_url}}"),
        ("source.email", "{{ source.email }}"),
        ("a-b_c", "{{a-b_c}}"),
    ]
    assert names_in("{{a}} {{b}} {{a}} {{bad name}}") == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "column", "snippet"),
    [
        ("{{ }}", 1, "'{{ }}'"),
        ("id={{1abc}}", 4, "'{{1abc}}'"),
        ("abc {{name", 5, "'{{name'"),
        ("{{ok}} and {{two words}}", 12, "'{{two words}}'"),
        ("x{{a|b}}", 2, "'{{a|b}}'"),
    ],
)
def test_malformed_placeholder_names_where_and_column(text: str, column: int, snippet: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render(text, values({"ok": "1"}), where="url")
    message = str(caught.value)
    assert f"malformed placeholder in url at column {column}: {snippet}" in message


def test_malformed_placeholder_in_a_body_names_line_and_column() -> None:
    body = '{\n  "a": 1,\n  "b": "{{oops"\n}'
    with pytest.raises(TemplateError) as caught:
        render(body, values({}), where="JSON body")
    assert "line 3" in str(caught.value)
    assert "column 9" in str(caught.value)


def test_unknown_placeholders_are_listed_once_each() -> None:
    with pytest.raises(TemplateError) as caught:
        render(
            "{{known}}/{{missing_one}}/{{missing_two}}/{{missing_one}}", values({"known": "k"}), where="url"
        )
    assert str(caught.value) == "unknown variables in url: missing_one, missing_two"
    with pytest.raises(TemplateError) as caught:
        render("{{source.email}}", values({}), where="header 'X-Email'")
    assert str(caught.value) == "unknown variable in header 'X-Email': source.email"
    assert isinstance(caught.value, HookbenchError)


def test_text_without_placeholders_is_returned_unchanged() -> None:
    assert render("plain { text } }}", values({}), where="url") == "plain { text } }}"


# --------------------------------------------------------------------------- encoding


def test_url_values_are_percent_encoded_after_the_origin() -> None:
    lookup = values({"base_url": "http://127.0.0.1:8765", "v": TRICKY, "id": "a/b"})
    url = render(
        "{{base_url}}/subscribers/{{id}}?q={{v}}&again={{ v }}", lookup, where="url", encode=encode_for_url
    )
    encoded = "Say%20%22hi%22%20%26%20%3Cb%3Ebye%3C%2Fb%3E%20caf%C3%A9%20%E2%98%95"
    assert url == f"http://127.0.0.1:8765/subscribers/a%2Fb?q={encoded}&again={encoded}"


def test_url_host_and_port_placeholders_are_inserted_raw() -> None:
    lookup = values({"host": "example.test", "port": "8080"})
    assert (
        render("https://{{host}}:{{port}}/p", lookup, where="url", encode=encode_for_url)
        == "https://example.test:8080/p"
    )


def test_json_values_are_escaped_inside_strings_and_raw_outside() -> None:
    lookup = values({"v": 'quote " backslash \\ newline \n tab \t & <x> ü', "n": "42"})
    text = render(
        '{"a": "{{v}}", "n": {{n}}, "s": "n={{n}}"}', lookup, where="JSON body", encode=encode_for_json
    )
    assert json.loads(text) == {"a": 'quote " backslash \\ newline \n tab \t & <x> ü', "n": 42, "s": "n=42"}


def test_json_string_detection_survives_escaped_quotes_before_the_placeholder() -> None:
    lookup = values({"v": 'x"y'})
    text = render('{"a\\"b": "{{v}}"}', lookup, where="JSON body", encode=encode_for_json)
    assert json.loads(text) == {'a"b': 'x"y'}


def test_xml_values_are_escaped_in_text_and_attributes() -> None:
    lookup = values({"v": TRICKY, "q": "it's"})
    text = render("<a b=\"{{v}}\" c='{{q}}'>{{v}}</a>", lookup, where="XML body", encode=encode_for_xml)
    assert text == (
        "<a b=\"Say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt; café ☕\" c='it&apos;s'>"
        "Say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt; café ☕</a>"
    )
    root = ET.fromstring(text)
    assert root.text == TRICKY and root.get("b") == TRICKY and root.get("c") == "it's"


def test_header_values_with_line_breaks_are_refused() -> None:
    assert encode_for_header("Bearer abc", "", 0) == "Bearer abc"
    with pytest.raises(TemplateError, match="holds a line break; refusing to send it"):
        render(
            "{{v}}", values({"v": "x\r\nX-Injected: 1"}), where="header 'X-Trace'", encode=encode_for_header
        )


# --------------------------------------------------------------------------- property tests

XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\r\ufffe\uffff",
).filter(lambda c: c in "\t\n" or ord(c) >= 0x20)


def _module(method: str, url: str, body: Body | None = None) -> Module:
    return Module(request=Request(method=method, url=url, body=body))


@given(st.text())
@example('"')
@example("\\")
@example("\u2028 \x00 \x1f")
@example("{{not_a_placeholder}}")
def test_property_json_string_round_trips(value: str) -> None:
    rendered = render_request(
        _module("POST", "http://example.test/", Body("json", '{"a": "{{v}}"}')),
        Variables(environ={}, overrides={"v": value}),
    )
    assert rendered.content is not None
    assert json.loads(rendered.content.decode("utf-8"))["a"] == value


@given(st.text(alphabet=XML_CHARS))
@example("]]>")
@example("&amp;")
@example("<![CDATA[x]]>")
def test_property_xml_text_round_trips(value: str) -> None:
    rendered = render_request(
        _module("POST", "http://example.test/", Body("xml", "<a>{{v}}</a>")),
        Variables(environ={}, overrides={"v": value}),
    )
    assert rendered.content is not None
    assert (ET.fromstring(rendered.content).text or "") == value


@given(st.text())
@example("a&b=c")
@example("+ %20 #frag ?x")
@example("")
def test_property_url_query_round_trips(value: str) -> None:
    rendered = render_request(
        _module("GET", "http://example.test/search?q={{v}}&page=2"),
        Variables(environ={}, overrides={"v": value}),
    )
    query = parse_qs(urlsplit(rendered.url).query, keep_blank_values=True)
    assert query == {"q": [value], "page": ["2"]}


def test_xml_text_keeps_a_carriage_return() -> None:
    rendered = render_request(
        _module("POST", "http://example.test/", Body("xml", "<a>{{v}}</a>")),
        Variables(environ={}, overrides={"v": "line one\r\nline two"}),
    )
    assert rendered.content is not None
    assert ET.fromstring(rendered.content).text == "line one\r\nline two"


# --------------------------------------------------------------------------- where values come from


def test_lookup_precedence_for_plain_names() -> None:
    chain = Variables(environ={})
    assert chain.lookup("v") is None
    chain = chain.with_defaults({"v": "profile"})
    assert chain.lookup("v") == "profile"
    chain = Variables(vars_file={"v": "vars-file"}, environ={}).with_defaults({"v": "profile"})
    assert chain.lookup("v") == "vars-file"
    chain = chain.with_published({"v": "published"})
    assert chain.lookup("v") == "published"
    chain = chain.with_overrides({"v": "cli"})
    assert chain.lookup("v") == "cli"


def test_lookup_precedence_for_env_names() -> None:
    layers = {
        "defaults": {"env.T": "profile"},
        "vars_file": {"env.T": "vars-file"},
        "env_file": {"T": "env-file"},
        "environ": {"T": "process"},
        "overrides": {"env.T": "cli"},
    }
    expected = {
        "defaults": "profile",
        "vars_file": "vars-file",
        "env_file": "env-file",
        "environ": "process",
        "overrides": "cli",
    }
    active: dict[str, dict[str, str]] = {"environ": {}}
    for layer in layers:
        active[layer] = layers[layer]
        assert Variables(**active).lookup("env.T") == expected[layer], layer
    assert Variables(environ={"T": "x"}).lookup("T") is None  # env values only as {{env.T}}


def test_parse_assignment() -> None:
    assert parse_assignment("source.email=a=b@example.com") == ("source.email", "a=b@example.com")
    assert parse_assignment("empty=") == ("empty", "")
    with pytest.raises(TemplateError, match=r"--var 'novalue': expected NAME=VALUE"):
        parse_assignment("novalue")
    with pytest.raises(TemplateError, match=r"--var '=x': expected NAME=VALUE"):
        parse_assignment("=x")


def test_read_env_file(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        textwrap.dedent("""
        # a comment
        TOKEN=abc123
        export QUOTED="two words # not a comment"
        SINGLE='single'
        TRAILING=value # a comment
        ESCAPED="a\\nb"
    """),
        encoding="utf-8",
    )
    assert read_env_file(path) == {
        "TOKEN": "abc123",
        "QUOTED": "two words # not a comment",
        "SINGLE": "single",
        "TRAILING": "value",
        "ESCAPED": "a\nb",
    }


def test_env_file_quoted_value_with_a_trailing_comment(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text('TOKEN="abc" # the demo token\n', encoding="utf-8")
    assert read_env_file(path) == {"TOKEN": "abc"}


def test_env_file_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.env"
    path.write_text("GOOD=1\n\nthis is not an assignment\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        read_env_file(path)
    assert str(caught.value) == f"--env-file {path}: line 3: expected NAME=value"
    with pytest.raises(TemplateError, match="cannot read: No such file or directory") as caught:
        read_env_file(tmp_path / "absent.env")
    assert "absent.env" in str(caught.value)


def test_read_vars_file_flattens_tables(tmp_path: Path) -> None:
    path = tmp_path / "vars.toml"
    path.write_text(
        textwrap.dedent("""
        base_url = "http://127.0.0.1:1"
        count = 3
        on = true
        tags = ["a", "b"]
        [source]
        email = "ada@example.com"
    """),
        encoding="utf-8",
    )
    assert read_vars_file(path) == {
        "base_url": "http://127.0.0.1:1",
        "count": "3",
        "on": "true",
        "tags": '["a", "b"]',
        "source.email": "ada@example.com",
    }


def test_vars_file_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "vars.toml"
    path.write_text('a = "1"\nb = \n', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        read_vars_file(path)
    assert str(caught.value).startswith(f"--vars-file {path}: invalid TOML")
    assert "line 2" in str(caught.value)
    with pytest.raises(TemplateError, match="cannot read") as caught:
        read_vars_file(tmp_path / "absent.toml")
    assert "absent.toml" in str(caught.value)
