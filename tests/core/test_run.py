"""Running a module: the route, the failure reason, mapped rows and the names they publish."""

from __future__ import annotations

import socket

import pytest

from tui.core.errors import BodyError, TemplateError
from tui.core.model import Body, Module, Request, SetVariable
from tui.core.run import FAILURE, SUCCESS, run_module_sync, status_text
from tui.core.variables import Variables
from tui.sandbox import Sandbox

NO_ENV = Variables(environ={})


def module(url: str, *rows: tuple[str, str, str], **options: object) -> Module:
    failure_variable = options.pop("failure_variable", "failed")
    failure_value = options.pop("failure_value", None)
    return Module(
        request=Request(url=url, **options),  # type: ignore[arg-type]
        set_variables=tuple(SetVariable(*row) for row in rows),
        failure_variable=failure_variable,  # type: ignore[arg-type]
        failure_value=failure_value,  # type: ignore[arg-type]
    )


def test_status_text() -> None:
    assert status_text(404) == "404 Not Found"
    assert status_text(200, "Fine") == "200 Fine"
    assert status_text(599) == "599"


def test_success_maps_rows_and_publishes_names(fresh_sandbox: Sandbox) -> None:
    result = run_module_sync(
        module(
            f"{fresh_sandbox.base_url}/subscribers?email=ada@example.com",
            ("subscribers.0.id", "variable", "subscriber_id"),
            ("subscribers.0.email", "source", "email"),
            ("subscribers.0.first_name", "details", "user_first_name"),
            ("subscribers.0.tags", "details", "tags"),
            ("subscribers.0.phone", "routing", "inbound_number"),
            ("subscribers.0.id", "linked_id", "custom_database"),
            ("subscribers.0.last_name", "advanced", "surname"),
        ),
        NO_ENV,
    )
    assert (result.route, result.reason, result.status) == (SUCCESS, "200 OK", 200)
    assert result.ok
    assert result.elapsed_ms is not None and result.elapsed_ms > 0
    assert result.published == {
        "subscriber_id": "sub_1",
        "source.email": "ada@example.com",
        "details.user_first_name": "Ada",
        "details.tags": '["vip", "newsletter"]',
        "routing.inbound_number": "+44 20 7946 0018",
        "linked_id.custom_database": "sub_1",
        "advanced.surname": "Lovelace",
    }
    assert result.variables()["details.tags"] == ["vip", "newsletter"]  # the value itself, not its text
    assert "failed" not in result.published


def test_published_values_feed_the_next_module(fresh_sandbox: Sandbox) -> None:
    lookup = run_module_sync(
        module(
            f"{fresh_sandbox.base_url}/subscribers?email=grace@example.com",
            ("subscribers.0.id", "variable", "subscriber_id"),
        ),
        NO_ENV,
    )
    following = module(
        f"{fresh_sandbox.base_url}/subscribers/{{{{subscriber_id}}}}",
        ("last_name", "details", "user_last_name"),
    )
    result = run_module_sync(following, NO_ENV.with_published(lookup.published))
    assert result.request.url == f"{fresh_sandbox.base_url}/subscribers/sub_2"
    assert result.published == {"details.user_last_name": "Hopper"}


@pytest.mark.parametrize(
    ("path", "statuses", "route", "reason"),
    [
        ("/fault/status/404", None, FAILURE, "HTTP 404 Not Found"),
        ("/fault/status/500", None, FAILURE, "HTTP 500 Internal Server Error"),
        ("/fault/status/204", None, SUCCESS, "204 No Content"),
        ("/fault/status/404", (404,), SUCCESS, "404 Not Found"),
        ("/fault/status/200", (201,), FAILURE, "HTTP 200 OK"),
        ("/fault/redirect/1", None, SUCCESS, "200 OK"),
    ],
)
def test_route_follows_success_statuses(
    sandbox: Sandbox, path: str, statuses: tuple[int, ...] | None, route: str, reason: str
) -> None:
    result = run_module_sync(module(sandbox.base_url + path, success_statuses=statuses), NO_ENV)
    assert (result.route, result.reason) == (route, reason)
    if route == FAILURE:
        assert result.published["failed"] == reason


def test_redirect_not_followed_is_a_failure(sandbox: Sandbox) -> None:
    result = run_module_sync(module(f"{sandbox.base_url}/fault/redirect/2", follow_redirects=False), NO_ENV)
    assert (result.route, result.reason, result.status) == (FAILURE, "HTTP 302 Found", 302)


def test_missing_row_is_reported_but_not_a_failure_by_default(sandbox: Sandbox) -> None:
    result = run_module_sync(
        module(
            f"{sandbox.base_url}/users",
            ("users.0.title", "variable", "title"),
            ("users.5.title", "variable", "sixth"),
        ),
        NO_ENV,
    )
    assert result.route == SUCCESS
    found, missing = result.rows
    assert (found.value, found.missing, found.problem) == ("Ms", False, None)
    assert missing.missing
    assert missing.problem == "no value at 'users.5.title': 'users' has 2 items"
    assert result.variables() == {"title": "Ms", "sixth": None}
    assert result.published == {"title": "Ms"}


def test_fail_on_missing_turns_a_missing_row_into_the_failure_route(sandbox: Sandbox) -> None:
    result = run_module_sync(
        module(
            f"{sandbox.base_url}/users",
            ("users.0.title", "variable", "title"),
            ("users.0.nickname", "variable", "nick"),
            fail_on_missing=True,
        ),
        NO_ENV,
    )
    assert result.route == FAILURE
    problem = result.rows[1].problem
    assert problem is not None and "nickname" in problem and "users.0" in problem
    assert result.reason == f"missing value for 'users.0.nickname': {problem}"
    assert result.published == {"title": "Ms", "failed": result.reason}


def test_failure_variable_with_a_fixed_value(sandbox: Sandbox) -> None:
    result = run_module_sync(module(f"{sandbox.base_url}/fault/status/503", failure_value="yes"), NO_ENV)
    assert result.route == FAILURE
    assert result.reason == "HTTP 503 Service Unavailable"
    assert result.published == {"failed": "yes"}
    assert result.variables() == {"failed": "yes"}


def test_no_failure_variable_publishes_nothing_on_failure(sandbox: Sandbox) -> None:
    result = run_module_sync(module(f"{sandbox.base_url}/fault/status/404", failure_variable=None), NO_ENV)
    assert result.route == FAILURE and result.published == {}


def test_transport_failure_marks_every_row_missing_with_the_reason() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_module_sync(
        module(f"http://127.0.0.1:{port}/users", ("users.0.title", "variable", "title")), NO_ENV
    )
    reason = f"connection refused by 127.0.0.1:{port}"
    assert (result.route, result.reason, result.status, result.elapsed_ms) == (FAILURE, reason, None, None)
    assert [(r.missing, r.problem) for r in result.rows] == [(True, reason)]
    assert result.variables() == {"title": None, "failed": reason}


def test_timeout_is_the_failure_route(sandbox: Sandbox) -> None:
    result = run_module_sync(module(f"{sandbox.base_url}/fault/delay?seconds=2", timeout=0.3), NO_ENV)
    assert (result.route, result.reason) == (FAILURE, "timeout after 0.3 s")
    assert result.published == {"failed": "timeout after 0.3 s"}


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/fault/malformed-json", "body is not JSON: Expecting value at line 1, column 17"),
        ("/fault/malformed-xml", "body is not XML: mismatched tag: line 1, column 8"),
        ("/fault/binary", "binary body (image/png, 70 bytes)"),
    ],
)
def test_unreadable_body_fails_a_module_that_maps_rows(sandbox: Sandbox, path: str, reason: str) -> None:
    mapped = run_module_sync(module(sandbox.base_url + path, ("a", "variable", "a")), NO_ENV)
    assert (mapped.route, mapped.reason) == (FAILURE, reason)
    assert mapped.rows[0].problem == reason
    unmapped = run_module_sync(module(sandbox.base_url + path), NO_ENV)
    assert unmapped.route == SUCCESS  # nothing to read, so nothing failed


def test_truncated_body_is_flagged_and_fails_a_module_that_maps_rows(sandbox: Sandbox) -> None:
    url = f"{sandbox.base_url}/fault/bytes?n=5000&type=json"
    result = run_module_sync(module(url, ("0", "variable", "first")), NO_ENV, max_body_bytes=1000)
    assert result.exchange is not None and result.exchange.truncated
    assert result.body is not None and result.body.truncated
    assert (result.route, result.reason) == (FAILURE, "body truncated at 1000 bytes; not parsed as JSON")
    whole = run_module_sync(module(url, ("0", "variable", "first")), NO_ENV)
    assert (whole.route, whole.published) == (SUCCESS, {"first": "0"})


def test_xml_single_element_is_read_with_index_zero(fresh_sandbox: Sandbox) -> None:
    soap = Module(
        request=Request(
            method="POST",
            url=f"{fresh_sandbox.base_url}/soap/subscribers",
            body=Body(
                "xml",
                (
                    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                    '<GetUser xmlns="urn:hookbench:subscribers"><email>{{source.email}}</email></GetUser>'
                    "</s:Body></s:Envelope>"
                ),
            ),
        ),
        set_variables=(
            SetVariable("soap:Envelope.soap:Body.GetUserResponse.user.0.@id", "linked_id", "custom_database"),
            SetVariable("soap:Envelope.soap:Body.GetUserResponse.user.name", "details", "user_full_name"),
        ),
    )
    result = run_module_sync(soap, NO_ENV.with_overrides({"source.email": "ada@example.com"}))
    assert result.route == SUCCESS, result.reason
    assert result.published == {
        "linked_id.custom_database": "sub_1",
        "details.user_full_name": "Ada Lovelace",
    }


def test_template_and_body_errors_propagate_and_nothing_is_sent(fresh_sandbox: Sandbox) -> None:
    url = f"{fresh_sandbox.base_url}/subscribers"
    unknown = Module(
        request=Request(
            method="POST", url=url, body=Body("json", '{"email": "x@example.com", "first_name": "{{who}}"}')
        )
    )
    with pytest.raises(TemplateError, match="unknown variable in JSON body: who"):
        run_module_sync(unknown, NO_ENV)
    broken = Module(
        request=Request(method="POST", url=url, body=Body("json", '{"email": "x@example.com", "n": {{n}}}'))
    )
    with pytest.raises(BodyError, match="line 1, column"):
        run_module_sync(broken, NO_ENV.with_overrides({"n": "1 2"}))
    assert fresh_sandbox.state.find("x@example.com") == []
