"""Flows against the real sandbox: the newsletter paths, variables carried, loops and holes."""

from __future__ import annotations

import json
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tui.core.errors import FlowError, ProfileError, TemplateError
from tui.core.flows import (
    FlowGraph,
    StepResult,
    plan_flow,
    preview_flow,
    run_flow,
    run_flow_sync,
)
from tui.core.send import Clients
from tui.core.variables import Variables
from tui.sandbox import Sandbox

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
LOOKUP = PROFILES / "subscriber-lookup.toml"


@pytest.fixture
async def clients() -> AsyncIterator[Clients]:
    shared = Clients()
    yield shared
    await shared.aclose()


def write(folder: Path, stem: str, text: str) -> Path:
    """A profile in `folder`; `{base}` in the text stands for the sandbox URL placeholder."""
    path = folder / f"{stem}.toml"
    path.write_text(textwrap.dedent(text).replace("{base}", "{{base_url}}"), encoding="utf-8")
    return path


def start_vars(sandbox: Sandbox, **values: str) -> Variables:
    return Variables(overrides={"base_url": sandbox.base_url, **values})


# --- the newsletter flow ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "subscriber_id"), [("ada@example.com", "sub_1"), ("grace@example.com", "sub_2")]
)
async def test_known_email_reads_details_and_writes_nothing(
    fresh_sandbox: Sandbox, clients: Clients, email: str, subscriber_id: str
) -> None:
    result = await run_flow(LOOKUP, start_vars(fresh_sandbox, **{"source.email": email}), clients)

    assert [(s.stem, s.route) for s in result.steps] == [
        ("subscriber-lookup", "success"),
        ("subscriber-details", "success"),
    ]
    lookup, details = result.steps
    assert lookup.published["subscriber_id"] == subscriber_id
    # the id found by the lookup is the one the details step asked for (its default is sub_1)
    assert details.result.request.url == f"{fresh_sandbox.base_url}/subscribers/{subscriber_id}"
    assert details.published["details.user_email_address"] == email
    assert result.route == "success" and result.ok
    assert result.variables["subscriber_id"] == subscriber_id
    assert result.variables["source.email"] == email
    assert sorted(fresh_sandbox.state.subscribers) == ["sub_1", "sub_2"]
    assert fresh_sandbox.state.emails_sent == []


async def test_unknown_email_creates_subscriber_then_sends_one_discount(
    fresh_sandbox: Sandbox, clients: Clients
) -> None:
    email = "zoe@example.com"
    result = await run_flow(LOOKUP, start_vars(fresh_sandbox, **{"source.email": email}), clients)

    assert [(s.stem, s.route, s.status) for s in result.steps] == [
        ("subscriber-lookup", "failure", 404),
        ("subscriber-create", "success", 201),
        ("send-discount", "success", 202),
    ]
    lookup, create, discount = result.steps
    assert lookup.published == {"lookup_failed": "HTTP 404 Not Found"}
    assert lookup.next_stem == "subscriber-create" and discount.next_stem is None
    new_id = create.published["subscriber_id"]
    assert fresh_sandbox.state.subscribers[new_id]["email"] == email
    assert [s["email"] for s in fresh_sandbox.state.subscribers.values()].count(email) == 1
    assert [mail["email"] for mail in fresh_sandbox.state.emails_sent] == [email]
    assert json.loads(discount.result.request.content or b"") == {"email": email}
    assert result.variables["lookup_failed"] == "HTTP 404 Not Found"
    assert result.variables["subscriber_id"] == new_id
    assert result.variables["discount_code"] == fresh_sandbox.state.emails_sent[0]["code"]
    assert result.route == "success" and result.ok


async def test_on_step_sees_each_step_before_the_next_request(
    fresh_sandbox: Sandbox, clients: Clients
) -> None:
    seen: list[tuple[str, int]] = []

    async def on_step(step: StepResult) -> None:
        seen.append((step.stem, len(fresh_sandbox.state.subscribers)))

    await run_flow(
        LOOKUP, start_vars(fresh_sandbox, **{"source.email": "zoe@example.com"}), clients, on_step=on_step
    )
    # when the lookup is reported, the create step has not run yet
    assert seen == [("subscriber-lookup", 2), ("subscriber-create", 3), ("send-discount", 3)]


def test_run_flow_sync_runs_without_an_event_loop(fresh_sandbox: Sandbox) -> None:
    steps: list[str] = []
    result = run_flow_sync(LOOKUP, start_vars(fresh_sandbox), on_step=lambda step: steps.append(step.stem))
    assert steps == ["subscriber-lookup", "subscriber-details"]  # the profile's default e-mail is Ada's
    assert result.entry == LOOKUP


# --- the route graph --------------------------------------------------------------------


def test_plan_reads_every_reachable_profile_and_draws_the_graph() -> None:
    graph = plan_flow(LOOKUP)
    assert list(graph.nodes) == [
        "subscriber-lookup",
        "subscriber-details",
        "subscriber-create",
        "send-discount",
    ]
    assert graph.edges() == (
        ("subscriber-lookup", "success", "subscriber-details"),
        ("subscriber-lookup", "failure", "subscriber-create"),
        ("subscriber-create", "success", "send-discount"),
    )
    assert graph.text() == (
        "subscriber-lookup ─success→ subscriber-details\n"
        "                  ─failure→ subscriber-create ─success→ send-discount"
    )


def test_every_example_profile_still_plans_on_its_own() -> None:
    for path in PROFILES.glob("*.toml"):
        assert isinstance(plan_flow(path), FlowGraph)


def test_route_to_a_missing_profile_names_both(tmp_path: Path) -> None:
    write(
        tmp_path,
        "start",
        """
        [request]
        url = "{base}/users"
        [routes]
        failure = "no-such-step"
    """,
    )
    with pytest.raises(FlowError) as caught:
        plan_flow(tmp_path / "start.toml")
    assert "start.toml" in str(caught.value) and "routes.failure" in str(caught.value)
    assert "'no-such-step'" in str(caught.value)


def test_route_must_name_a_stem_not_a_path(tmp_path: Path) -> None:
    write(
        tmp_path,
        "start",
        """
        [request]
        url = "{base}/users"
        [routes]
        success = "../elsewhere"
    """,
    )
    with pytest.raises(FlowError, match=r"start\.toml: routes\.success = '\.\./elsewhere'"):
        plan_flow(tmp_path / "start.toml")


def test_a_broken_profile_down_the_routes_is_a_profile_error(tmp_path: Path) -> None:
    write(
        tmp_path,
        "start",
        """
        [request]
        url = "{base}/users"
        [routes]
        success = "broken"
    """,
    )
    (tmp_path / "broken.toml").write_text("[request]\nmethod = 'FETCH'\nurl = 'http://x'\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="broken.toml"):
        plan_flow(tmp_path / "start.toml")


def test_loops_and_joins_are_drawn_once(tmp_path: Path) -> None:
    write(tmp_path, "a", '[request]\nurl = "{base}/echo"\n[routes]\nsuccess = "b"\nfailure = "c"\n')
    write(tmp_path, "b", '[request]\nurl = "{base}/echo"\n[routes]\nsuccess = "a"\nfailure = "c"\n')
    write(tmp_path, "c", '[request]\nurl = "{base}/echo"\n[routes]\nexpect = "failure"\n')
    assert plan_flow(tmp_path / "a.toml").text() == (
        "a ─success→ b ─success→ a ↺ loops back\n"
        "              ─failure→ c (failure expected)\n"
        "  ─failure→ c (continues above)"
    )


# --- loops, holes, expectations ---------------------------------------------------------


def loop_profiles(folder: Path) -> Path:
    write(folder, "ping", '[request]\nurl = "{base}/echo?step=ping"\n[routes]\nsuccess = "pong"\n')
    write(folder, "pong", '[request]\nurl = "{base}/echo?step=pong"\n[routes]\nsuccess = "ping"\n')
    return folder / "ping.toml"


async def test_a_loop_stops_at_max_steps_naming_the_profiles(
    sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    ran: list[str] = []
    with pytest.raises(FlowError) as caught:
        await run_flow(
            loop_profiles(tmp_path),
            start_vars(sandbox),
            clients,
            max_steps=5,
            on_step=lambda s: ran.append(s.stem),
        )
    assert ran == ["ping", "pong", "ping", "pong", "ping"]
    assert "stopped after 5 steps" in str(caught.value)
    assert "loop pong → ping → pong" in str(caught.value)


async def test_a_long_chain_is_not_called_a_loop(sandbox: Sandbox, clients: Clients, tmp_path: Path) -> None:
    write(tmp_path, "one", '[request]\nurl = "{base}/echo"\n[routes]\nsuccess = "two"\n')
    write(tmp_path, "two", '[request]\nurl = "{base}/echo"\n[routes]\nsuccess = "three"\n')
    write(tmp_path, "three", '[request]\nurl = "{base}/echo"\n')
    with pytest.raises(FlowError, match="before running three; raise --max-steps"):
        await run_flow(tmp_path / "one.toml", start_vars(sandbox), clients, max_steps=2)
    result = await run_flow(tmp_path / "one.toml", start_vars(sandbox), clients, max_steps=3)
    assert [s.stem for s in result.steps] == ["one", "two", "three"]


async def test_timeout_in_the_middle_step_takes_its_failure_route(
    sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "start",
        """
        [request]
        url = "{base}/echo?ticket=T-42"
        [[set_variables]]
        name = "args.ticket.0"
        target = "ticket"
        [routes]
        success = "slow"
    """,
    )
    write(
        tmp_path,
        "slow",
        """
        [request]
        url = "{base}/fault/delay?seconds=3"
        timeout = 0.5
        [on_failure]
        variable = "slow_failed"
        [routes]
        success = "never"
        failure = "report"
    """,
    )
    write(tmp_path, "never", '[request]\nurl = "{base}/users"\n')
    write(
        tmp_path,
        "report",
        """
        [request]
        method = "POST"
        url = "{base}/echo?why={{slow_failed}}"
        [request.body]
        content_type = "json"
        text = '{"ticket": "{{ticket}}", "why": "{{slow_failed}}"}'
        [[set_variables]]
        name = "body"
        target = "echoed"
    """,
    )
    result = await run_flow(tmp_path / "start.toml", start_vars(sandbox), clients)

    assert [(s.stem, s.route) for s in result.steps] == [
        ("start", "success"),
        ("slow", "failure"),
        ("report", "success"),
    ]
    slow = result.steps[1]
    assert slow.status is None and slow.reason == "timeout after 0.5 s"
    assert slow.published == {"slow_failed": "timeout after 0.5 s"}
    echoed = json.loads(result.steps[2].published["echoed"])
    assert echoed == {"ticket": "T-42", "why": "timeout after 0.5 s"}
    assert result.steps[2].result.request.url.endswith("why=timeout%20after%200.5%20s")


async def test_unknown_placeholder_mid_flow_names_the_step(
    sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    write(tmp_path, "first", '[request]\nurl = "{base}/echo"\n[routes]\nsuccess = "second"\n')
    write(tmp_path, "second", '[request]\nurl = "{base}/echo?x={{nowhere}}"\n')
    ran: list[str] = []
    with pytest.raises(TemplateError) as caught:
        await run_flow(
            tmp_path / "first.toml", start_vars(sandbox), clients, on_step=lambda s: ran.append(s.stem)
        )
    assert ran == ["first"]
    assert "flow step 2, second" in str(caught.value) and "nowhere" in str(caught.value)


async def test_expected_failure_ends_the_flow_ok(sandbox: Sandbox, clients: Clients, tmp_path: Path) -> None:
    write(tmp_path, "gone", '[request]\nurl = "{base}/fault/status/410"\n[routes]\nexpect = "failure"\n')
    write(tmp_path, "broken", '[request]\nurl = "{base}/fault/status/500"\n')
    expected = await run_flow(tmp_path / "gone.toml", start_vars(sandbox), clients)
    assert expected.route == "failure" and expected.ok and expected.last.expected
    unexpected = await run_flow(tmp_path / "broken.toml", start_vars(sandbox), clients)
    assert unexpected.route == "failure" and not unexpected.ok
    assert unexpected.last.reason == "HTTP 500 Internal Server Error"


async def test_var_values_win_over_values_published_by_steps(
    sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "first",
        """
        [request]
        url = "{base}/echo?colour=red"
        [[set_variables]]
        name = "args.colour.0"
        target = "colour"
        [routes]
        success = "second"
    """,
    )
    write(
        tmp_path,
        "second",
        '[request]\nurl = "{base}/echo?got={{colour}}&from={{source}}"\n[variables]\nsource = "default"\n',
    )
    carried = await run_flow(tmp_path / "first.toml", start_vars(sandbox), clients)
    assert carried.last.result.request.url.endswith("got=red&from=default")
    pinned = await run_flow(tmp_path / "first.toml", start_vars(sandbox, colour="blue"), clients)
    assert pinned.last.result.request.url.endswith("got=blue&from=default")


# --- dry run ----------------------------------------------------------------------------


def test_preview_tells_values_set_later_from_real_holes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "login",
        """
        [request]
        url = "{base}/echo"
        [[set_variables]]
        name = "token"
        target = "token"
        [routes]
        success = "use"
    """,
    )
    write(tmp_path, "use", '[request]\nurl = "{base}/echo?t={{token}}&h={{hole}}"\n')
    previews = preview_flow(
        plan_flow(tmp_path / "login.toml"), Variables(overrides={"base_url": "http://127.0.0.1:9"})
    )
    login, use = previews
    assert login.request is not None and not login.blocking
    assert use.request is None and use.missing == ("token", "hole")
    assert use.set_upstream == {"token": ("login",), "hole": ()}
    assert use.blocking


# --- one cookie jar for the whole flow ------------------------------------------------------


async def test_a_login_cookie_reaches_the_next_step(sandbox: Sandbox, tmp_path: Path) -> None:
    write(
        tmp_path,
        "login",
        """
        [request]
        method = "POST"
        url = "{base}/session"
        [routes]
        success = "check"
        """,
    )
    write(tmp_path, "check", '[request]\nurl = "{base}/session"\n')
    shared, other = Clients(), Clients()
    try:
        result = await run_flow(tmp_path / "login.toml", start_vars(sandbox), shared)
        alone = await run_flow(tmp_path / "check.toml", start_vars(sandbox), other)
    finally:
        await shared.aclose()
        await other.aclose()
    assert [(s.stem, s.status) for s in result.steps] == [("login", 200), ("check", 200)]
    assert alone.steps[0].status == 401  # without the login step there is no cookie
    sent = dict(result.steps[1].result.exchange.request_headers)  # type: ignore[union-attr]
    assert sent["cookie"].startswith("session=sess-")
