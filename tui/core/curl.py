"""A rendered request as a curl command line, for pasting into a shell or a bug report."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from urllib.parse import urlencode

from tui.core.auth import RenderedAuth, client_in_body, token_form
from tui.core.render import RenderedRequest
from tui.core.secrets import mask_header, mask_text

_TOKEN_FROM_JSON = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"


def to_curl(request: RenderedRequest, *, mask_secrets: bool = True) -> str:
    """`curl -X POST URL -H … --data-binary …`; secrets masked unless asked otherwise.

    An oauth2 request becomes two commands: the token request, then the call using its token.
    """

    def clean(text: str) -> str:
        return mask_text(text, request.secrets) if mask_secrets else text

    parts = ["curl", "-sS"]
    if request.method != "GET" or request.content is not None:
        parts += ["-X", request.method]
    url = request.url
    auth = request.auth
    if auth is not None and auth.type == "api_key" and auth.get("in") == "query":
        url += ("&" if "?" in url else "?") + urlencode({auth.get("name"): auth.get("value")})
    parts.append(shlex.quote(clean(url)))
    for name, value in request.headers:
        shown = mask_header(name, value) if mask_secrets else value
        parts += ["-H", shlex.quote(f"{name}: {clean(shown)}")]
    prefix = ""
    if auth is not None:
        if auth.type == "oauth2":
            prefix = f"TOKEN=$({_token_command(auth, clean)}) && "
        parts += _auth_args(auth, clean)
    if request.content is not None:
        parts += ["--data-binary", shlex.quote(clean(request.content.decode("utf-8", errors="replace")))]
    for name, value in request.fields:
        parts += ["-F", shlex.quote(f"{name}={clean(value)}")]
    for attachment in request.attachments:
        parts += [
            "-F",
            shlex.quote(f"{attachment.field}=@{attachment.filename};type={attachment.media_type}"),
        ]
    if request.follow_redirects:
        parts.append("-L")
    if not request.verify_tls:
        parts.append("-k")
    parts += ["--max-time", f"{request.timeout:g}"]
    return prefix + " ".join(parts)


def _auth_args(auth: RenderedAuth, clean: Callable[[str], str]) -> list[str]:
    if auth.type in ("basic", "digest"):
        user = shlex.quote(clean(f"{auth.get('username')}:{auth.get('password')}"))
        return ["--digest", "-u", user] if auth.type == "digest" else ["-u", user]
    if auth.type == "bearer":
        return ["-H", shlex.quote(clean(f"Authorization: Bearer {auth.get('token')}"))]
    if auth.type == "api_key" and auth.get("in") == "header":
        return ["-H", shlex.quote(clean(f"{auth.get('name')}: {auth.get('value')}"))]
    if auth.type == "oauth2":
        return ["-H", '"Authorization: Bearer $TOKEN"']
    return []


def _token_command(auth: RenderedAuth, clean: Callable[[str], str]) -> str:
    """The token request as curl, printing the access token (read with python3, always at hand)."""
    form = token_form(auth)
    parts = ["curl", "-sS", "-X", "POST", shlex.quote(auth.get("token_url"))]
    if client_in_body(auth):
        form["client_id"] = auth.get("client_id")
        if auth.get("client_secret"):
            form["client_secret"] = auth.get("client_secret")
    else:
        parts += ["-u", shlex.quote(clean(f"{auth.get('client_id')}:{auth.get('client_secret')}"))]
    for name, value in form.items():
        parts += ["--data-urlencode", shlex.quote(clean(f"{name}={value}"))]
    return " ".join(parts) + " | " + _TOKEN_FROM_JSON
