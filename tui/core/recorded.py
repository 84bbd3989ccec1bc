"""Recorded responses as a test bed: judge a module against what history kept; send nothing.

Third-party APIs bill per call, rate-limit, or create things. A history record keeps the
response (status, headers, body when `log_response_body` is on), so a module's mapping,
route and failure variable can be judged against it again and again — `run --from-history`,
`flow --offline`, `diff`, `check` and the workbench's "Map against this response" all read
records through here.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from tui.core.diff import ShapeDiff, diff_documents
from tui.core.errors import HistoryError, SendError, TemplateError
from tui.core.exchange import Exchange
from tui.core.history import History, HistoryWarning, RecordSummary
from tui.core.model import Module, SetVariable
from tui.core.render import RenderedRequest, render_url
from tui.core.responses import XML, DecodedBody, decode_body, media_type_of
from tui.core.run import SUCCESS, RunResult, judge, transport_failure
from tui.core.secrets import mask_text
from tui.core.variables import Variables

__all__ = [
    "LAST",
    "OfflineRunner",
    "RecordedResponse",
    "diff_with_previous",
    "judge_recorded",
    "newest_record",
    "read_response",
    "record_cutoff",
    "resolve_record",
    "successful",
]

LAST = "last"
"""Stands for the newest record (of a profile, where one is named); `last~1` the one before."""
_LAST = re.compile(LAST + r"(?:~(\d{1,6}))?")


@dataclass(frozen=True)
class RecordedResponse:
    """A record's response; `exchange` is None when the exchange never completed (a timeout)."""

    id: str
    time: str
    profile: str
    method: str
    url: str
    reason: str
    exchange: Exchange | None
    set_variables: tuple[SetVariable, ...] = ()

    @property
    def request(self) -> RenderedRequest:
        """The request as recorded (secrets masked): what offline output names."""
        return RenderedRequest(method=self.method, url=self.url, headers=())

    def decoded(self) -> DecodedBody:
        """The body decoded by its recorded content type (an empty one when nothing arrived)."""
        if self.exchange is None:
            return decode_body(b"", None)
        return decode_body(
            self.exchange.body, self.exchange.header("content-type"), truncated=self.exchange.truncated
        )


def resolve_record(history: History, text: str, *, profile: str | None = None) -> str:
    """A record id from an id, an unambiguous prefix, `last` (newest, of `profile` if given)
    or `last~N` (the one N records before it)."""
    match = _LAST.fullmatch(text.strip().lower())
    if match is None:
        return history.resolve_id(text)
    skip = int(match.group(1) or 0)
    seen = 0

    def nth(summary: RecordSummary) -> bool:
        nonlocal seen
        seen += 1
        return seen > skip

    found = newest_record(history, profile=profile, accept=nth)
    if found is None:
        whose = f" of {profile}" if profile else ""
        what = "no history record" if not skip else f"fewer than {skip + 1} history records"
        raise HistoryError(f"{what}{whose} in {history.root}")
    return found.id


def newest_record(
    history: History, *, profile: str | None = None, accept: Callable[[RecordSummary], bool] | None = None
) -> RecordSummary | None:
    """The newest record of `profile` (any, when None) that `accept` takes; broken ones skipped."""

    def wanted(summary: RecordSummary) -> bool:
        return (profile is None or summary.profile == profile) and (accept is None or accept(summary))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HistoryWarning)  # a broken record is simply not a candidate
        return history.newest(wanted)


def read_response(history: History, record_id: str) -> RecordedResponse:
    """The response a record kept; HistoryError when it kept no usable body.

    A body that was not logged (`log_response_body` off), cut at history's 1 MB cap, or binary
    cannot stand in for the response: judging it would report rows missing that are not.
    """
    data = history.read(record_id)
    try:
        return _response(record_id, data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise HistoryError(f"history record {record_id} is not a hookbench record ({exc})") from exc


def _response(record_id: str, data: dict[str, Any]) -> RecordedResponse:
    request, result = data["request"], data.get("result") or {}
    rows = tuple(
        SetVariable(name=str(row["name"]), type=str(row.get("type", "variable")), target=str(row["target"]))
        for row in data.get("set_variables") or ()
    )
    unanswered = RecordedResponse(
        id=record_id,
        time=str(result.get("time") or ""),
        profile=str(data.get("profile") or ""),
        method=str(request.get("method", "GET")),
        url=str(request["url"]),
        reason=str(result.get("reason") or ""),
        exchange=None,
        set_variables=rows,
    )
    status = result.get("status")
    if status is None:
        return unanswered
    body = result.get("body") or {}
    if body.get("omitted"):
        raise HistoryError(
            f"history record {record_id} has no response body: log_response_body was off when it was "
            "sent, so there is nothing to judge against (turn it on and send once more)"
        )
    if body.get("binary"):
        raise HistoryError(f"history record {record_id} kept no body: the response was binary")
    if body.get("truncated"):
        raise HistoryError(
            f"history record {record_id} kept only the first {body.get('kept_bytes')} of "
            f"{body.get('size')} bytes of the response (history's cap), too little to judge against"
        )
    headers = tuple((str(k), str(v)) for k, v in (result.get("headers") or {}).items())
    exchange = Exchange(
        status=int(status),
        reason_phrase="",
        http_version=str(result.get("http_version") or "HTTP/1.1"),
        headers=_as_utf8(headers),
        body=str(body.get("text", "")).encode("utf-8"),
        truncated=bool(result.get("response_truncated")),
        elapsed_ms=float(result.get("elapsed_ms") or 0.0),
        url=str(result.get("final_url") or request["url"]),
    )
    return replace(unanswered, exchange=exchange)


def _as_utf8(headers: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """History stores the body as UTF-8 text, so a declared charset no longer applies to it."""
    fixed = []
    for name, value in headers:
        if name.lower() == "content-type" and media_type_of(value)[1] is not None:
            value = f"{media_type_of(value)[0]}; charset=utf-8"
        fixed.append((name, value))
    return tuple(fixed)


def judge_recorded(
    module: Module, recorded: RecordedResponse, request: RenderedRequest | None = None
) -> RunResult:
    """Judge `module` (route, reason, rows, failure variable) against a recorded response."""
    request = request or recorded.request
    if recorded.exchange is None:
        return transport_failure(module, request, SendError(recorded.reason or "no response was recorded"))
    return judge(module, request, recorded.exchange)


@dataclass
class OfflineRunner:
    """Runs a flow step from history: the newest record of its profile with its method and URL.

    `used` lists the record each step was judged against, in step order.
    """

    history: History
    used: list[RecordedResponse] = field(default_factory=list)

    async def __call__(self, stem: str, module: Module, variables: Variables) -> RunResult:
        chain = variables.with_defaults(module.variables)
        url, secrets = render_url(module.request.url, chain)
        method = module.request.method

        def matches(summary: RecordSummary) -> bool:
            if summary.method != method:
                return False
            with contextlib.suppress(TemplateError):  # a record naming an {{env.*}} not set here
                return render_url(summary.url, chain)[0] == url
            return False

        found = newest_record(self.history, profile=stem, accept=matches)
        if found is None:
            raise HistoryError(
                f"no recorded response of {stem} for {method} {mask_text(url, secrets)} in {self.history.root}"
                f" (send it once, e.g. hookbench run, or run the flow without --offline)"
            )
        recorded = read_response(self.history, found.id)
        self.used.append(recorded)
        request = RenderedRequest(method=method, url=url, headers=(), secrets=secrets)
        return judge_recorded(module, recorded, request)


def record_cutoff(moment: datetime) -> str:
    """The id prefix of a record made at `moment`: every record older than it sorts before it."""
    moment = moment.astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%S}.{moment.microsecond:06d}Z"


def diff_with_previous(
    history: History,
    profile: str,
    before: str,
    body: DecodedBody,
    rows: tuple[SetVariable, ...] = (),
) -> tuple[ShapeDiff, RecordedResponse]:
    """`body` against the newest record of `profile` older than `before` (a record id or cutoff).

    HistoryError says why there is nothing to compare with: no earlier record, or one that
    kept no JSON or XML body.
    """
    found = newest_record(history, profile=profile, accept=lambda summary: summary.id < before)
    if found is None:
        raise HistoryError(f"no earlier response of {profile} in the history to compare with")
    previous = read_response(history, found.id)
    earlier = previous.decoded()
    if not earlier.parsed:
        raise HistoryError(
            f"the previous response of {profile} (record {found.id}) is not JSON or XML: "
            f"{earlier.error or earlier.kind}"
        )
    xml = earlier.kind == XML and body.kind == XML
    return diff_documents(earlier.data, body.data, rows=rows, xml=xml), previous


def successful(summary: RecordSummary) -> bool:
    """A record on the success route: `check`'s baseline."""
    return summary.route == SUCCESS
