"""A completed HTTP exchange as a plain value (no httpx import, so judging and viewing stay light)."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_BODY = 50 * 1024 * 1024


@dataclass(frozen=True)
class Exchange:
    """A completed HTTP exchange: the final response and how long it took."""

    status: int
    reason_phrase: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes = field(repr=False)  # tens of MB: a repr (a worker's description) must not copy it
    truncated: bool
    elapsed_ms: float
    url: str
    redirects: int = 0
    auth_secrets: frozenset[str] = frozenset()  # credentials the auth flow put on the wire
    timings_ms: tuple[tuple[str, float | None], ...] = ()
    """(phase, ms) for token (OAuth2 only), connect, tls, send, wait, receive; None for a phase
    that did not happen."""
    request_headers: tuple[tuple[str, str], ...] = ()
    """The headers of the last request as it went out, with what the client added (cookies)."""

    def header(self, name: str) -> str | None:
        """A response header's value, matched case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def human_size(size: int) -> str:
    """1234 → `1.2 kB`."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"
