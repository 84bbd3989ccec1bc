"""Postman's dynamic variables as hookbench built-ins: a fresh value per render, never looked up."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import datetime

import pytest

from tui.core.errors import TemplateError
from tui.core.model import Body, Module, Request
from tui.core.render import render_request
from tui.core.template import names_in, render
from tui.core.variables import Variables

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def nothing(name: str) -> str | None:
    return None


def test_each_builtin_gives_a_value_of_its_kind() -> None:
    before = int(time.time())
    text = render(
        "{{$guid}} {{$randomUUID}} {{$timestamp}} {{$isoTimestamp}} {{$randomInt}}", nothing, where="url"
    )
    guid, random_uuid, stamp, iso, number = text.split(" ")
    assert UUID.fullmatch(guid) and UUID.fullmatch(random_uuid)
    assert before <= int(stamp) <= int(time.time())
    assert iso.endswith("Z") and datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() >= before - 1
    assert 0 <= int(number) <= 1000


def test_a_fresh_value_each_render_and_each_occurrence() -> None:
    first = render("{{$guid}}|{{$guid}}", nothing, where="url").split("|")
    second = render("{{$guid}}", nothing, where="url")
    assert len({*first, second}) == 3


def test_a_variable_source_never_answers_a_builtin() -> None:
    asked: list[str] = []

    def lookup(name: str) -> str | None:
        asked.append(name)
        return "from-variables"

    assert render("{{$guid}}", lookup, where="url") != "from-variables"
    assert asked == []


def test_an_unknown_builtin_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(TemplateError, match=r"unknown built-in in url: \$randomFirstName \(known: \$guid"):
        render("{{$randomFirstName}}", nothing, where="url")


def test_builtins_are_not_variables_a_person_must_supply() -> None:
    assert names_in("{{$guid}} {{user}} {{$timestamp}}") == ["user"]


def test_a_rendered_request_holds_the_values_sent_json_encoded() -> None:
    module = Module(
        request=Request(
            method="POST",
            url="http://127.0.0.1/x?id={{$randomUUID}}",
            body=Body("json", '{"ref": "{{$guid}}", "at": {{$timestamp}}}'),
        )
    )
    one = render_request(module, Variables(environ={}))
    two = render_request(module, Variables(environ={}))
    body = json.loads(one.content)
    assert uuid.UUID(body["ref"]) and isinstance(body["at"], int)
    assert one.url != two.url
