"""How headless commands print a rendered request and a run's result (text and JSON).

What they return is safe to print: server text goes through `tui.core.safe_text`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core.connection import connection_lines
from tui.core.exchange import human_size
from tui.core.model import Module
from tui.core.render import RenderedRequest
from tui.core.run import RunResult, status_text
from tui.core.safe_text import safe_json, safe_text
from tui.core.secrets import mask_header, mask_text
from tui.core.timings import timings_text

if TYPE_CHECKING:
    from tui.core.environments import Environment


def format_request(request: RenderedRequest) -> str:
    """The rendered request as a person reads it, secrets masked; used by --dry-run."""
    secrets = request.secrets
    lines = [f"{request.method} {mask_text(request.url, secrets)}"]
    lines += [f"{name}: {mask_text(mask_header(name, value), secrets)}" for name, value in request.headers]
    if request.auth is not None:
        lines.append(f"auth: {mask_text(request.auth.describe(), secrets)}")
    lines = [safe_text(line, single_line=True) for line in lines]
    body = request.body_text()
    if body:
        lines += ["", safe_text(mask_text(body, secrets))]
    return "\n".join(lines)


def format_outgoing(request: RenderedRequest, environment: Environment | None = None) -> str:
    """`format_request`, then `#` lines naming the environment, and the proxy, trust and client
    certificate the send would use."""
    notes = connection_lines(request.url, request.connection, request.secrets)
    if environment is not None:
        notes.insert(0, f"environment {environment.name}" + (" (protected)" if environment.protected else ""))
    return "\n".join(
        [format_request(request), "", *(safe_text(f"# {line}", single_line=True) for line in notes)]
    )


def _value_text(value: Any) -> str:
    return safe_json(value)


def format_result(module: Module, result: RunResult) -> str:
    """One status line, the route with its reason, and a table of variables."""
    url = mask_text(result.request.url, result.request.secrets)
    exchange = result.exchange
    if exchange is not None:
        size = human_size(len(exchange.body)) + (" (truncated)" if exchange.truncated else "")
        head = f"{status_text(exchange.status, exchange.reason_phrase)} · {exchange.elapsed_ms:.0f} ms · {size} · {result.request.method} {url}"
    else:
        head = f"no response · {result.request.method} {url}"
    lines = [head]
    if exchange is not None and exchange.timings_ms:
        lines.append(f"timings: {timings_text(exchange.timings_ms)}")
    lines.append(f"route: {result.route.upper()} — {result.reason}")
    if result.body is not None and result.body.error and result.ok:
        lines.append(f"note: {result.body.error}")
    if result.rows:
        width = max(len(r.row.publishes) for r in result.rows)
        lines.append("variables:")
        for row_value in result.rows:
            name = row_value.row.publishes.ljust(width)
            if row_value.missing:
                lines.append(f"  {name}  missing  ({row_value.problem})")
            else:
                lines.append(f"  {name}  = {mask_text(_value_text(row_value.value), result.request.secrets)}")
    if not result.ok and module.failure_variable:
        lines.append(
            f"failure variable: {module.failure_variable} = {_value_text(result.published.get(module.failure_variable, ''))}"
        )
    return "\n".join(safe_text(line, single_line=True) for line in lines)


def result_json(result: RunResult) -> dict[str, Any]:
    """The `--json` object: route, status, reason, elapsed_ms, timings_ms, variables."""
    exchange = result.exchange
    return {
        "route": result.route,
        "status": result.status,
        "reason": result.reason,
        "elapsed_ms": round(result.elapsed_ms, 1) if result.elapsed_ms is not None else None,
        "timings_ms": {k: None if v is None else round(v, 1) for k, v in exchange.timings_ms}
        if exchange is not None
        else None,
        "variables": result.variables(),
    }
