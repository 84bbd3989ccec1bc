"""Run a module once: render, send, decode, map Set Variables, and decide the route.

Success means the exchange completed with a success status (2xx unless the profile says
otherwise) and, where the profile asks for it, every Set Variables path was found.
Everything else is the failure route, always with a reason a person can read.
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import PathError, SendError
from tui.core.exchange import DEFAULT_MAX_BODY, Exchange
from tui.core.model import Module, SetVariable
from tui.core.progress import Progress
from tui.core.render import RenderedRequest, render_request
from tui.core.responses import BIG, EMPTY, DecodedBody, decode_body
from tui.core.variables import Variables, as_text

if TYPE_CHECKING:
    from tui.core.send import Clients

SUCCESS, FAILURE = "success", "failure"


class _Missing:
    """The value of a Set Variables row whose path is not in the response."""

    def __repr__(self) -> str:
        return "missing"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class RowValue:
    """One Set Variables row's outcome: its value, or MISSING with the reason."""

    row: SetVariable
    value: Any
    problem: str | None = None

    @property
    def missing(self) -> bool:
        return self.value is MISSING


@dataclass(frozen=True)
class RunResult:
    """Everything a run yields; `published` is what later steps can use as `{{name}}`."""

    route: str
    reason: str
    request: RenderedRequest
    exchange: Exchange | None = None
    body: DecodedBody | None = None
    rows: tuple[RowValue, ...] = ()
    published: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.route == SUCCESS

    @property
    def status(self) -> int | None:
        return self.exchange.status if self.exchange else None

    @property
    def elapsed_ms(self) -> float | None:
        return self.exchange.elapsed_ms if self.exchange else None

    def variables(self) -> dict[str, Any]:
        """Each row's published name → its value (None when missing), plus the failure variable."""
        values: dict[str, Any] = {r.row.publishes: (None if r.missing else r.value) for r in self.rows}
        for name, value in self.published.items():
            values.setdefault(name, value)
        return values


def status_text(status: int, phrase: str = "") -> str:
    """`404 Not Found`, falling back to the standard phrase when the server sent none."""
    if not phrase:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
    return f"{status} {phrase}".strip()


def map_rows(rows: tuple[SetVariable, ...], body: DecodedBody | None) -> tuple[RowValue, ...]:
    """Resolve each row's dot path against the parsed body."""
    if not rows:
        return ()
    from tui.core.paths import resolve  # a module without Set Variables rows never needs it

    results = []
    for row in rows:
        if body is None or not body.parsed:
            problem = body.error if body and body.error else "the response has no JSON or XML body"
            results.append(RowValue(row, MISSING, problem))
            continue
        try:
            results.append(RowValue(row, resolve(body.data, row.name)))
        except PathError as exc:
            results.append(RowValue(row, MISSING, str(exc)))
    return tuple(results)


def judge(
    module: Module,
    request: RenderedRequest,
    exchange: Exchange,
    body: DecodedBody | None = None,
    *,
    progress: Progress | None = None,
) -> RunResult:
    """Decode the response (unless `body` is already decoded), map the rows, choose the route.

    `progress` follows (and can cancel) the decode of a big body."""
    if body is None:
        body = decode_body(
            exchange.body, exchange.header("content-type"), truncated=exchange.truncated, progress=progress
        )
    rows = map_rows(module.set_variables, body)
    reason = _failure_reason(module, exchange, body, rows)
    published = {r.row.publishes: as_text(r.value) for r in rows if not r.missing}
    route = FAILURE if reason else SUCCESS
    if route == FAILURE and module.failure_variable:
        published[module.failure_variable] = (
            module.failure_value if module.failure_value is not None else reason or ""
        )
    return RunResult(
        route=route,
        reason=reason or status_text(exchange.status, exchange.reason_phrase),
        request=request,
        exchange=exchange,
        body=body,
        rows=rows,
        published=published,
    )


def _failure_reason(
    module: Module, exchange: Exchange, body: DecodedBody, rows: tuple[RowValue, ...]
) -> str | None:
    if not module.request.is_success_status(exchange.status):
        return f"HTTP {status_text(exchange.status, exchange.reason_phrase)}"
    if module.set_variables and body.kind != EMPTY and not body.parsed and body.error:
        return body.error
    if module.request.fail_on_missing:
        missing = [r for r in rows if r.missing]
        if missing:
            return f"missing value for {missing[0].row.name!r}: {missing[0].problem}"
    return None


def transport_failure(module: Module, request: RenderedRequest, error: SendError) -> RunResult:
    """The failure route for an exchange that never completed."""
    published = {}
    if module.failure_variable:
        published[module.failure_variable] = (
            module.failure_value if module.failure_value is not None else error.reason
        )
    rows = tuple(RowValue(row, MISSING, error.reason) for row in module.set_variables)
    return RunResult(route=FAILURE, reason=error.reason, request=request, rows=rows, published=published)


async def run_module(
    module: Module,
    variables: Variables,
    clients: Clients,
    *,
    base_dir: Path | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    on_rendered: Callable[[RenderedRequest], object] | None = None,
    on_decoding: Callable[[Exchange, Progress], object] | None = None,
) -> RunResult:
    """Render and send `module`; TemplateError/BodyError propagate (nothing was sent).

    `on_rendered` sees the request just before it goes out (the app shows "Sending …"),
    `on_decoding` a big body's exchange and the progress of its decode.
    A body from BIG (1 MB) on is decoded in a thread and in slices: a 50 MB body must not
    stall an event loop with a UI on it; a smaller one is decoded in place. Cancelling the awaiting task stops the decode at its next slice, so
    the half-built tree is dropped at once rather than finished for nobody.
    """
    from tui.core.send import send

    request = render_request(module, variables, base_dir=base_dir)
    if on_rendered is not None:
        on_rendered(request)
    try:
        exchange = await send(request, clients, max_body_bytes=max_body_bytes)
    except SendError as error:
        return transport_failure(module, request, error)
    if exchange.auth_secrets:  # masked from here on, like every other credential
        request = replace(request, secrets=request.secrets | exchange.auth_secrets)
    if len(exchange.body) < BIG or exchange.truncated:  # decoded at once (a cut body is not parsed)
        return judge(module, request, exchange)
    progress = Progress()
    if on_decoding is not None:
        on_decoding(exchange, progress)
    try:
        return await asyncio.to_thread(judge, module, request, exchange, progress=progress)
    except asyncio.CancelledError:
        progress.cancel()
        raise


def run_module_sync(module: Module, variables: Variables, **options: Any) -> RunResult:
    """`run_module` for callers without an event loop (the headless CLI)."""

    from tui.core.send import Clients

    async def _run() -> RunResult:
        clients = Clients()
        try:
            return await run_module(module, variables, clients, **options)
        finally:
            await clients.aclose()

    return asyncio.run(_run())
