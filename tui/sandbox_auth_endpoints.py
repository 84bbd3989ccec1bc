"""The sandbox's auth endpoints: a bearer-protected profile, the OAuth2 token endpoint, `/auth/*`,
and a cookie session; the checks themselves are in `tui.sandbox_auth`.
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from tui.sandbox_auth import DEFAULT_LIFETIME, DEMO_API_KEY, DEMO_USERNAME, TokenError, basic_ok
from tui.sandbox_http import Request, Response, json_response, number_arg
from tui.sandbox_state import ApiError

DEMO_TOKEN = "demo-token"


def secure_profile(request: Request) -> Response:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip() == DEMO_TOKEN:
        return json_response(200, {"profile": {"name": "Demo Agent", "email": "agent@example.com"}})
    challenge = 'Bearer realm="hookbench"' + (', error="invalid_token"' if token else "")
    raise ApiError(401, f"send 'Authorization: Bearer {DEMO_TOKEN}'", {"WWW-Authenticate": challenge})


def oauth_token(request: Request) -> Response:
    """OAuth2 token endpoint (client_credentials, password, refresh_token); `?expires_in=N`."""
    form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    lifetime = int(number_arg(request, "expires_in", DEFAULT_LIFETIME, maximum=86_400))
    try:
        answer = request.state.auth.issue(form, request.headers.get("Authorization", ""), lifetime)
    except TokenError as exc:
        headers = {"WWW-Authenticate": 'Basic realm="hookbench"'} if exc.status == 401 else {}
        return json_response(exc.status, {"error": exc.error, "error_description": exc.description}, headers)
    return json_response(200, answer, {"Cache-Control": "no-store"})


def oauth_stats(request: Request) -> Response:
    auth = request.state.auth
    stats = {"token_requests": auth.token_requests, "grants": auth.grants}
    return json_response(200, {**stats, "protected_requests": auth.protected_requests})


def auth_oauth2(request: Request) -> Response:
    claims = request.state.auth.claims(request.headers.get("Authorization", ""))
    if claims is None:
        challenge = 'Bearer realm="hookbench", error="invalid_token"'
        raise ApiError(401, "send a live token from POST /oauth/token", {"WWW-Authenticate": challenge})
    return json_response(200, {"authenticated": "oauth2", **claims})


def auth_basic(request: Request) -> Response:
    if not basic_ok(request.headers.get("Authorization", "")):
        raise ApiError(
            401, f"send Basic auth for {DEMO_USERNAME}", {"WWW-Authenticate": 'Basic realm="hookbench"'}
        )
    return json_response(200, {"authenticated": "basic", "user": DEMO_USERNAME})


def auth_digest(request: Request) -> Response:
    auth = request.state.auth
    if not auth.digest_ok(request.method, request.headers.get("Authorization", "")):
        raise ApiError(
            401, f"send Digest auth for {DEMO_USERNAME}", {"WWW-Authenticate": auth.digest_challenge()}
        )
    return json_response(200, {"authenticated": "digest", "user": DEMO_USERNAME})


def auth_api_key(request: Request) -> Response:
    if request.headers.get("X-API-Key") == DEMO_API_KEY:
        return json_response(200, {"authenticated": "api_key", "in": "header"})
    if request.arg("api_key") == DEMO_API_KEY:
        return json_response(200, {"authenticated": "api_key", "in": "query"})
    raise ApiError(401, f"send 'X-API-Key: {DEMO_API_KEY}' or '?api_key={DEMO_API_KEY}'")


def open_session(request: Request) -> Response:
    """A login: the session cookie a later request must carry (flows share a cookie jar)."""
    token = f"sess-{secrets.token_hex(8)}"
    with request.state.lock:
        request.state.sessions.add(token)
    return json_response(200, {"session": "open"}, {"Set-Cookie": f"session={token}; Path=/; HttpOnly"})


def check_session(request: Request) -> Response:
    cookies = SimpleCookie(request.headers.get("Cookie", ""))
    token = cookies["session"].value if "session" in cookies else ""
    with request.state.lock:
        known = token in request.state.sessions
    if not known:
        raise ApiError(401, "no valid session cookie: POST /session first")
    return json_response(200, {"session": "valid"})
