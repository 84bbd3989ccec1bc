"""Reading a record's response back and judging modules against it, on records of real sends."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui.core.errors import HistoryError
from tui.core.history import History
from tui.core.model import Module, Request, SetVariable
from tui.core.recorded import judge_recorded, newest_record, read_response, resolve_record, successful
from tui.core.run import run_module_sync
from tui.core.variables import Variables
from tui.sandbox import Sandbox


def module(url: str, **request: object) -> Module:
    return Module(
        name="m",
        request=Request(url=url, **request),  # type: ignore[arg-type]
        set_variables=(SetVariable("users.1.name", target="second"),),
        failure_variable="failed",
    )


def send(history: History, mod: Module, profile: str = "users") -> str:
    result = run_module_sync(mod, Variables())
    summary = history.record(mod, result, profile_path=Path(f"{profile}.toml"))
    assert summary is not None
    return summary.id


def test_a_module_judged_offline_gives_what_the_live_run_gave(sandbox: Sandbox, tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    mod = module(f"{sandbox.base_url}/users")
    live = run_module_sync(mod, Variables())
    record_id = send(history, mod)
    recorded = read_response(history, record_id)
    assert recorded.exchange is not None and recorded.exchange.status == 200
    assert recorded.set_variables == mod.set_variables
    offline = judge_recorded(mod, recorded)
    assert offline.variables() == live.variables() == {"second": "Grace Hopper"}
    # another mapping, judged against the same record: no call needed
    remapped = replace(mod, set_variables=(SetVariable("users.0.title", target="title"),))
    assert judge_recorded(remapped, recorded).variables() == {"title": "Ms"}


def test_a_recorded_timeout_is_judged_as_the_failure_route_again(sandbox: Sandbox, tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    mod = module(f"{sandbox.base_url}/fault/delay?seconds=2", timeout=0.3)
    recorded = read_response(history, send(history, mod))
    assert recorded.exchange is None
    result = judge_recorded(mod, recorded)
    assert result.route == "failure" and result.reason == "timeout after 0.3 s"
    assert result.variables()["failed"] == "timeout after 0.3 s"


def test_bodies_history_did_not_keep_whole_are_errors(sandbox: Sandbox, tmp_path: Path) -> None:
    history = History(tmp_path / "h", max_body=100)
    big = send(history, module(f"{sandbox.base_url}/fault/bytes?n=5000&type=json"))
    with pytest.raises(HistoryError, match="kept only the first 100 of 5000 bytes"):
        read_response(history, big)
    off = send(history, module(f"{sandbox.base_url}/users", log_response_body=False))
    with pytest.raises(HistoryError, match="log_response_body was off"):
        read_response(history, off)
    binary = send(history, module(f"{sandbox.base_url}/fault/binary"))
    with pytest.raises(HistoryError, match="the response was binary"):
        read_response(history, binary)


def test_a_charset_body_reads_back_as_the_text_it_was(sandbox: Sandbox, tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    mod = Module(name="m", request=Request(url=f"{sandbox.base_url}/fault/json-latin1"))
    recorded = read_response(history, send(history, mod))
    assert recorded.decoded().data == {"name": "café"}


def test_last_and_the_newest_successful_record_of_a_profile(sandbox: Sandbox, tmp_path: Path) -> None:
    history = History(tmp_path / "h")
    ok = send(history, module(f"{sandbox.base_url}/users"))
    failed = send(history, module(f"{sandbox.base_url}/fault/status/500"))
    other = send(history, module(f"{sandbox.base_url}/users"), profile="other")
    assert resolve_record(history, "last") == other
    assert resolve_record(history, "LAST", profile="users") == failed
    assert resolve_record(history, failed[:24]) == failed
    assert resolve_record(history, "last~1") == failed
    assert resolve_record(history, "last~1", profile="users") == ok
    with pytest.raises(HistoryError, match="fewer than 3 history records of users"):
        resolve_record(history, "last~2", profile="users")
    found = newest_record(history, profile="users", accept=successful)
    assert found is not None and found.id == ok
    with pytest.raises(HistoryError, match="no history record of nobody"):
        resolve_record(history, "last", profile="nobody")
