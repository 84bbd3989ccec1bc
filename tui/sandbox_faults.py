"""The sandbox's fault endpoints: slow, dripping, dropped, malformed, redirecting, binary and
wrongly encoded answers, and an XML entity bomb.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator

from tui.sandbox_http import Endpoint, Request, Response, Stream, json_response, number_arg
from tui.sandbox_state import ApiError

_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    doctype = "\n".join(entities)
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{doctype}\n]>\n<lolz>&lol9;</lolz>\n'.encode()


def delay(request: Request) -> Response:
    seconds = number_arg(request, "seconds", 1.0, maximum=300)
    time.sleep(seconds)
    return json_response(200, {"delayed": seconds})


def drip(request: Request) -> Response:
    seconds = number_arg(request, "seconds", 2.0, maximum=300)
    size = int(number_arg(request, "bytes", 10, maximum=1_000_000))
    return Response(200, Stream(size, _dripping(size, seconds / max(size, 1))), "text/plain")


def _dripping(size: int, interval: float) -> Iterator[bytes]:
    for _ in range(size):
        time.sleep(interval)
        yield b"*"


def drop(request: Request) -> Response:
    return Response(200, Stream(1000, [b"0123456789"]), "text/plain", abort=True)


def status(request: Request) -> Response:
    code = int(request.params[0])
    if not 200 <= code <= 599:
        raise ApiError(400, f"status must be between 200 and 599, got {code}")
    return json_response(code, {"status": code})


def redirect(request: Request) -> Response:
    hops = int(request.params[0])
    if hops == 0:
        return json_response(200, {"redirected": True})
    location = f"/fault/redirect/{hops - 1}"
    return json_response(302, {"location": location}, {"Location": location})


def _constant(body: bytes, content_type: str) -> Endpoint:
    return lambda request: Response(200, body, content_type)


malformed_json = _constant(b'{"users": [1, 2,', "application/json")
malformed_xml = _constant(b"<a><b></a>", "application/xml")
xml_bomb = _constant(_billion_laughs(), "application/xml")
binary = _constant(_PNG, "image/png")
latin1 = _constant("café".encode("latin-1"), "text/plain; charset=iso-8859-1")
json_latin1 = _constant('{"name": "café"}'.encode("latin-1"), "application/json; charset=iso-8859-1")
