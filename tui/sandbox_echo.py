"""The sandbox's echo endpoints: the request as JSON, or its body back byte for byte."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs

from tui.sandbox_http import Request, Response, json_response


def echo(request: Request) -> Response:
    headers = {
        name: ", ".join(request.headers.get_all(name, [])) for name in dict.fromkeys(request.headers.keys())
    }
    return json_response(
        200,
        {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "args": parse_qs(request.query, keep_blank_values=True),
            "headers": headers,
            "body": request.body.decode("utf-8", "replace"),
        },
    )


def echo_raw(request: Request) -> Response:
    """The request body back byte for byte, with its Content-Type and its SHA-256."""
    content_type = request.headers.get("Content-Type") or "application/octet-stream"
    digest = hashlib.sha256(request.body).hexdigest()
    return Response(200, request.body, content_type, {"X-Body-SHA256": digest})
