"""A completed HTTP exchange as a plain value (no httpx import, so judging and viewing stay light)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MAX_BODY = 50 * 1024 * 1024


@dataclass(frozen=True)
class Exchange:
    """A completed HTTP exchange: the final response and how long it took."""

    status: int
    reason_phrase: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    elapsed_ms: float
    url: str
    redirects: int = 0

    def header(self, name: str) -> str | None:
        """A response header's value, matched case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)
