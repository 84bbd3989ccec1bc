"""Where the time of an exchange went, from httpcore's trace events.

Phases: `connect` (TCP), `tls` (handshake), `send` (request headers and body written),
`wait` (until the response headers arrived: the server's thinking time) and `receive`
(the body). A phase that did not happen — a connection reused, TLS on plain http — is
None. Across redirects each phase is the sum over the requests. Through a proxy, https
opens a tunnel first (a CONNECT exchange with the proxy): that belongs to `connect`, so
`send` and `wait` stay the server's. With OAuth2 a `token` phase comes first (the auth flow
measures it, see `tui.core.oauth2`): the token requests made for this send, None when the
token came from the cache.
"""

from __future__ import annotations

import time
from typing import Any

PHASES: tuple[str, ...] = ("connect", "tls", "send", "wait", "receive")
LABELS = {
    "token": "token",
    "connect": "connect",
    "tls": "TLS",
    "send": "send",
    "wait": "wait",
    "receive": "receive",
}
_STARTS = {
    "connect_tcp": "connect",
    "start_tls": "tls",
    "send_request_headers": "send",
    "receive_response_headers": "wait",
    "receive_response_body": "receive",
}
_ENDS = {
    "connect_tcp": "connect",
    "start_tls": "tls",
    "send_request_body": "send",
    "receive_response_headers": "wait",
    "receive_response_body": "receive",
}


class TimingTrace:
    """An httpcore `trace` extension that adds up the time spent in each phase."""

    def __init__(self) -> None:
        self._started: dict[str, float] = {}
        self._spent: dict[str, float] = {}
        self._tunnel = False
        self.peer: str | None = None
        """`host:port` of the last TCP connection opened (a proxy's, when one is used): failure reasons name it."""
        self.tls_ready = False
        """Whether the TLS handshake of that connection completed (a reset after it: a client certificate?)."""
        self.answered = False
        """Whether response headers arrived on that connection."""

    async def __call__(self, event: str, info: dict[str, Any]) -> None:
        now = time.perf_counter()
        step, _, state = event.partition(".")[2].rpartition(".")
        if step == "connect_tcp" and state == "started":
            self.peer, self.tls_ready, self.answered = f"{info.get('host')}:{info.get('port')}", False, False
        elif state == "complete" and step in ("start_tls", "receive_response_headers"):
            self.tls_ready |= step == "start_tls"
            self.answered |= step == "receive_response_headers"
        if state == "started" and step == "send_request_headers" and _opens_tunnel(info):
            self._tunnel = True  # the CONNECT exchange with the proxy, until its reply is in
            self._started["connect"] = now
        elif self._tunnel:
            if state == "complete" and step == "receive_response_headers":
                self._tunnel = False
                self._close("connect", now)
        elif state == "started" and step in _STARTS:
            self._started[_STARTS[step]] = now
        elif state == "complete" and step in _ENDS:
            self._close(_ENDS[step], now)

    def _close(self, phase: str, now: float) -> None:
        started = self._started.pop(phase, None)
        if started is not None:
            self._spent[phase] = self._spent.get(phase, 0.0) + now - started

    def finish(self) -> Timings:
        """The phases in order, in ms; a body read that stopped early ends now."""
        self._close("receive", time.perf_counter())
        return tuple(
            (phase, round(self._spent[phase] * 1000, 3) if phase in self._spent else None) for phase in PHASES
        )


Timings = tuple[tuple[str, float | None], ...]


def _opens_tunnel(info: dict[str, Any]) -> bool:
    """Whether a started event is the CONNECT request that opens a proxy tunnel (only started
    events name their request)."""
    request = info.get("request")
    return getattr(request, "method", None) == b"CONNECT"


def timings_text(timings: Timings) -> str:
    """`connect 1 ms · TLS 4 ms · send 0 ms · wait 12 ms · receive 1 ms`, skipping what did not happen."""
    return " · ".join(f"{LABELS.get(phase, phase)} {ms:.0f} ms" for phase, ms in timings if ms is not None)
