"""Every auth scheme sent for real: the sandbox's `/auth/*` and OAuth2 token endpoint, and httpbin.

The token cache is checked where it matters: one token request for many sends, a new one on
expiry, one renewal and one retry on a 401, and a failure route that says what the token
endpoint answered.
"""

from __future__ import annotations

import json
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tui.core.model import Auth, Module, Request
from tui.core.run import RunResult, run_module
from tui.core.secrets import mask_text
from tui.core.send import Clients
from tui.core.token_cache import TokenCache
from tui.core.variables import Variables
from tui.sandbox import Sandbox
from tui.sandbox_auth import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME


@pytest.fixture
async def clients(tmp_path: Path) -> AsyncIterator[Clients]:
    clients = Clients(tokens=TokenCache(tmp_path / "tokens"))
    yield clients
    await clients.aclose()


async def send(url: str, auth: Auth, clients: Clients, method: str = "GET") -> RunResult:
    module = Module(name="auth", request=Request(method=method, url=url, auth=auth, timeout=10))
    return await run_module(module, Variables(environ={}), clients)


def basic(password: str = DEMO_PASSWORD, kind: str = "basic") -> Auth:
    return Auth(kind, (("username", DEMO_USERNAME), ("password", password)))


def oauth2(sandbox: Sandbox, *extra: tuple[str, str], query: str = "", **values: str) -> Auth:
    defaults = {
        "token_url": f"{sandbox.base_url}/oauth/token{query}",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    return Auth("oauth2", tuple((defaults | values).items()), tuple(extra))


# --------------------------------------------------------------------------- each scheme


@pytest.mark.parametrize(
    ("path", "auth", "answer"),
    [
        ("/auth/basic", basic(), {"authenticated": "basic", "user": DEMO_USERNAME}),
        ("/auth/digest", basic(kind="digest"), {"authenticated": "digest", "user": DEMO_USERNAME}),
        (
            "/auth/bearer",
            Auth("bearer", (("token", "demo-token"),)),
            {"profile": {"name": "Demo Agent", "email": "agent@example.com"}},
        ),
        (
            "/auth/api-key",
            Auth("api_key", (("name", "X-API-Key"), ("value", "demo-key"))),
            {"authenticated": "api_key", "in": "header"},
        ),
        (
            "/auth/api-key?other=1",
            Auth("api_key", (("name", "api_key"), ("value", "demo-key"), ("in", "query"))),
            {"authenticated": "api_key", "in": "query"},
        ),
    ],
)
async def test_each_scheme_gets_through(
    sandbox: Sandbox, clients: Clients, path: str, auth: Auth, answer: dict
) -> None:
    result = await send(sandbox.base_url + path, auth, clients)
    assert result.ok, result.reason
    assert result.body is not None and result.body.data == answer
    assert (
        result.exchange is not None and result.exchange.redirects == 0
    )  # auth round trips are not redirects
    assert "token" not in dict(result.exchange.timings_ms)  # no token phase without oauth2


@pytest.mark.parametrize(
    ("path", "auth"),
    [
        ("/auth/basic", basic("wrong")),
        ("/auth/digest", basic("wrong", kind="digest")),
        ("/auth/bearer", Auth("bearer", (("token", "not-it"),))),
        ("/auth/api-key", Auth("api_key", (("name", "X-API-Key"), ("value", "not-it")))),
    ],
)
async def test_a_wrong_credential_is_the_failure_route(
    sandbox: Sandbox, clients: Clients, path: str, auth: Auth
) -> None:
    result = await send(sandbox.base_url + path, auth, clients)
    assert (result.route, result.reason) == ("failure", "HTTP 401 Unauthorized")


@pytest.mark.parametrize("kind", ["basic", "digest"])
async def test_basic_and_digest_against_httpbin(httpbin, clients: Clients, kind: str) -> None:
    path = "/basic-auth/ann/s3cret" if kind == "basic" else "/digest-auth/auth/ann/s3cret"
    good = Auth(kind, (("username", "ann"), ("password", "s3cret")))
    result = await send(httpbin.url + path, good, clients)
    assert (
        result.ok and result.body is not None and result.body.data == {"authenticated": True, "user": "ann"}
    )
    bad = Auth(kind, (("username", "ann"), ("password", "nope")))
    assert (await send(httpbin.url + path, bad, clients)).status == 401


async def test_what_the_flow_put_on_the_wire_is_masked(sandbox: Sandbox, clients: Clients) -> None:
    """The Basic header's base64 never appeared in the rendered request, yet /echo sends it back."""
    result = await send(sandbox.base_url + "/echo", basic(), clients)
    assert result.exchange is not None
    echoed = result.exchange.body.decode()
    sent = json.loads(echoed)["headers"]["Authorization"]
    assert sent.startswith("Basic ") and sent in result.request.secrets
    shown = mask_text(echoed, result.request.secrets)
    assert sent[6:] not in shown and DEMO_PASSWORD not in shown


# --------------------------------------------------------------------------- oauth2


async def test_client_credentials_token_is_fetched_once_and_reused(
    fresh_sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    auth = oauth2(fresh_sandbox, ("resource", "orders"), scope="orders.read", audience="crm")
    url = fresh_sandbox.base_url + "/auth/oauth2"
    first = await send(url, auth, clients)
    assert first.ok, first.reason
    assert first.body is not None and first.body.data == {
        "authenticated": "oauth2",
        "client_id": DEMO_CLIENT_ID,
        "scope": "orders.read",
        "audience": "crm",
        "username": "",
        "params": {"resource": "orders"},
    }
    assert (await send(url, auth, clients)).ok
    async with _NewClients(tmp_path) as other:
        assert (await send(url, auth, other)).ok  # another process: from the state folder
    assert fresh_sandbox.state.auth.grants == ["client_credentials"]
    folder = tmp_path / "tokens"
    (cached,) = folder.iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    token = json.loads(cached.read_text())["access_token"]
    assert token in fresh_sandbox.state.auth.tokens
    assert first.request.secrets >= {token, f"Bearer {token}", DEMO_CLIENT_SECRET}


class _NewClients:
    """A second set of clients on the same state folder, as a second `hookbench run` has."""

    def __init__(self, tmp_path: Path) -> None:
        self.clients = Clients(tokens=TokenCache(tmp_path / "tokens"))

    async def __aenter__(self) -> Clients:
        return self.clients

    async def __aexit__(self, *exc: object) -> None:
        await self.clients.aclose()


async def test_client_secret_in_the_body(fresh_sandbox: Sandbox, clients: Clients) -> None:
    auth = oauth2(fresh_sandbox, client_auth="body")
    assert (await send(fresh_sandbox.base_url + "/auth/oauth2", auth, clients)).ok


async def test_an_expired_token_is_fetched_again(fresh_sandbox: Sandbox, clients: Clients) -> None:
    auth = oauth2(fresh_sandbox, query="?expires_in=31")  # usable for 1 s (31 − 30)
    url = fresh_sandbox.base_url + "/auth/oauth2"
    assert (await send(url, auth, clients)).ok
    assert (await send(url, auth, clients)).ok
    assert fresh_sandbox.state.auth.grants == ["client_credentials"]
    time.sleep(1.1)
    assert (await send(url, auth, clients)).ok
    assert fresh_sandbox.state.auth.grants == ["client_credentials", "client_credentials"]


async def test_password_grant_renews_with_its_refresh_token(fresh_sandbox: Sandbox, clients: Clients) -> None:
    auth = oauth2(
        fresh_sandbox,
        query="?expires_in=31",
        grant="password",
        username=DEMO_USERNAME,
        password=DEMO_PASSWORD,
    )
    url = fresh_sandbox.base_url + "/auth/oauth2"
    result = await send(url, auth, clients)
    assert result.ok and result.body is not None and result.body.data["username"] == DEMO_USERNAME
    time.sleep(1.1)
    renewed = await send(url, auth, clients)
    assert renewed.ok and renewed.body is not None and renewed.body.data["username"] == DEMO_USERNAME
    assert fresh_sandbox.state.auth.grants == ["password", "refresh_token"]


async def test_refresh_token_grant(fresh_sandbox: Sandbox, clients: Clients) -> None:
    answer = httpx.post(
        fresh_sandbox.base_url + "/oauth/token",
        data={"grant_type": "password", "username": DEMO_USERNAME, "password": DEMO_PASSWORD},
        auth=(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    ).json()
    auth = oauth2(fresh_sandbox, grant="refresh_token", refresh_token=answer["refresh_token"])
    result = await send(fresh_sandbox.base_url + "/auth/oauth2", auth, clients)
    assert result.ok, result.reason
    assert fresh_sandbox.state.auth.grants == ["password", "refresh_token"]


@pytest.mark.parametrize(
    ("grant", "renewal"),
    [("client_credentials", ["client_credentials"]), ("password", ["refresh_token", "password"])],
)
async def test_a_401_renews_once_and_retries_once(
    fresh_sandbox: Sandbox, clients: Clients, grant: str, renewal: list[str]
) -> None:
    auth = oauth2(fresh_sandbox, grant=grant, username=DEMO_USERNAME, password=DEMO_PASSWORD)
    url = fresh_sandbox.base_url + "/auth/oauth2"
    first = await send(url, auth, clients)
    assert first.ok and first.exchange is not None
    assert dict(first.exchange.timings_ms)["token"] is not None
    fresh_sandbox.reset()  # the server forgets every token it issued: the cached one gets a 401
    result = await send(url, auth, clients)
    assert result.ok, result.reason
    assert result.exchange is not None
    assert dict(result.exchange.timings_ms)["token"] is not None  # the renewal was timed
    # the refresh token was forgotten too, so the password grant falls back to a full grant
    assert fresh_sandbox.state.auth.grants == renewal
    assert fresh_sandbox.state.auth.protected_requests == 2  # the 401 and the retry


async def test_a_401_that_persists_is_not_a_loop(fresh_sandbox: Sandbox, clients: Clients) -> None:
    result = await send(fresh_sandbox.base_url + "/fault/status/401", oauth2(fresh_sandbox), clients)
    assert (result.route, result.reason) == ("failure", "HTTP 401 Unauthorized")
    assert fresh_sandbox.state.auth.grants == ["client_credentials", "client_credentials"]


async def test_a_bad_client_secret_is_the_failure_route_with_the_reason(
    fresh_sandbox: Sandbox, clients: Clients
) -> None:
    auth = oauth2(fresh_sandbox, client_secret="not-the-secret")
    module = Module(
        name="o",
        request=Request(url=fresh_sandbox.base_url + "/auth/oauth2", auth=auth),
        failure_variable="why",
    )
    result = await run_module(module, Variables(environ={}), clients)
    reason = (
        f"token request to {fresh_sandbox.base_url}/oauth/token failed: "
        "HTTP 401 invalid_client (client authentication failed)"
    )
    assert (result.route, result.reason, result.published) == ("failure", reason, {"why": reason})
    assert fresh_sandbox.state.auth.protected_requests == 0  # the API was never called


@pytest.mark.parametrize(
    ("token_path", "problem"),
    [
        ("/fault/malformed-json", "the response is not a JSON object (HTTP 200)"),
        ("/echo", "the response has no access_token"),
        ("/fault/status/503", "HTTP 503 Service Unavailable"),
    ],
)
async def test_a_token_endpoint_that_answers_nonsense(
    fresh_sandbox: Sandbox, clients: Clients, token_path: str, problem: str
) -> None:
    auth = oauth2(fresh_sandbox, token_url=fresh_sandbox.base_url + token_path)
    result = await send(fresh_sandbox.base_url + "/auth/oauth2", auth, clients)
    assert result.reason == f"token request to {fresh_sandbox.base_url}{token_path} failed: {problem}"


async def test_an_unreachable_token_endpoint_says_so(fresh_sandbox: Sandbox, clients: Clients) -> None:
    auth = oauth2(fresh_sandbox, token_url="http://127.0.0.1:9/oauth/token")
    result = await send(fresh_sandbox.base_url + "/auth/oauth2", auth, clients)
    assert (
        result.reason
        == "token request to http://127.0.0.1:9/oauth/token failed: connection refused by 127.0.0.1:9"
    )


async def test_a_broken_cache_file_means_a_new_token(
    fresh_sandbox: Sandbox, clients: Clients, tmp_path: Path
) -> None:
    auth = oauth2(fresh_sandbox)
    url = fresh_sandbox.base_url + "/auth/oauth2"
    assert (await send(url, auth, clients)).ok
    (cached,) = (tmp_path / "tokens").iterdir()
    cached.write_text("{not json")
    async with _NewClients(tmp_path) as other:
        assert (await send(url, auth, other)).ok
    assert fresh_sandbox.state.auth.grants == ["client_credentials", "client_credentials"]
    assert json.loads(cached.read_text())["access_token"] in fresh_sandbox.state.auth.tokens


async def test_an_http_library_error_quoting_a_header_never_shows_a_secret(
    clients: Clients, sandbox: Sandbox
) -> None:
    """Rendering refuses such values; should one still reach h11, its error text is masked."""
    from tui.core.errors import SendError
    from tui.core.render import RenderedRequest
    from tui.core.send import send as send_request

    secret = "SECRETVALUE\nInjected: 1"
    request = RenderedRequest(
        method="GET",
        url=f"{sandbox.base_url}/echo",
        headers=(("X-API-Key", secret),),
        secrets=frozenset({secret}),
    )
    with pytest.raises(SendError) as caught:
        await send_request(request, clients)
    reason = caught.value.reason
    assert "Illegal header value" in reason, reason  # h11's own words reached the reason …
    assert "SECRETVALUE" not in reason and "••••••" in reason  # … with the value masked
