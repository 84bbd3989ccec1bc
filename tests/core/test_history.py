"""Run history in process: what a record holds, masking, toggles, listing, retention, safety."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core import history_toml
from tui.core.errors import HistoryError
from tui.core.history import (
    History,
    HistoryWarning,
    RecordSummary,
    _next_time,
    folder_key,
    history_base,
    new_record_id,
)
from tui.core.model import Module, Request
from tui.core.profile import read_module
from tui.core.render import RenderedRequest
from tui.core.run import Exchange, RunResult, run_module_sync
from tui.core.secrets import MASK
from tui.core.variables import Variables
from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("isolated_history")


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "records")


def write_profile(folder: Path, text: str, name: str = "profile.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def fake_result(
    url: str = "http://127.0.0.1:1/things",
    *,
    status: int = 200,
    method: str = "GET",
    headers: tuple[tuple[str, str], ...] = (),
    response_headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),),
    response_body: bytes = b'{"ok": true}',
    secrets: frozenset[str] = frozenset(),
) -> tuple[Module, RunResult]:
    """A module and a result without a network: for listing, retention and masking details."""
    module = Module(name="Fake", request=Request(method=method, url=url, headers=headers))
    rendered = RenderedRequest(method=method, url=url, headers=headers, secrets=secrets)
    exchange = Exchange(
        status=status,
        reason_phrase="OK",
        http_version="HTTP/1.1",
        headers=response_headers,
        body=response_body,
        truncated=False,
        elapsed_ms=12.5,
        url=url,
    )
    route = "success" if 200 <= status < 300 else "failure"
    return module, RunResult(route=route, reason=f"{status}", request=rendered, exchange=exchange)


def run_profile(path: Path, **overrides: str) -> tuple[Module, RunResult]:
    module = read_module(path)
    return module, run_module_sync(module, Variables(overrides=overrides), base_dir=path.parent)


def all_text(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in root.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- the TOML writer


@given(
    key=st.text(max_size=20),
    text=st.text(max_size=200),
    number=st.floats(allow_nan=False),
    whole=st.integers(),
)
@example(key="0\n", text="", number=0.0, whole=0)  # found by a draw: `$` matched before the newline
@example(key="a\r", text="\r", number=0.0, whole=0)
@example(key="\x1b[31m", text="\x00\x1b\x7f", number=0.0, whole=0)
@example(key='"', text='""""', number=0.0, whole=0)
@example(key="a.b", text="x\n", number=0.0, whole=0)
def test_writer_round_trips_through_tomllib(key: str, text: str, number: float, whole: int) -> None:
    data = {
        "plain": text,
        key or "k": text,
        "n": number,
        "i": whole,
        "flag": True,
        "list": [text, whole],
        "table": {key or "k": text, "nested": {"x": text}},
        "rows": [{"name": text}, {"name": key}],
    }
    assert tomllib.loads(history_toml.dumps(data)) == data


def test_writer_keeps_bodies_readable() -> None:
    text = history_toml.dumps({"body": {"text": '{\n  "a": "b"\n}'}})
    assert '"a": "b"' in text and '"""' in text


# --------------------------------------------------------------------------- what a record holds


def test_record_is_a_replayable_profile_with_a_result(
    sandbox: Sandbox, history: History, tmp_path: Path
) -> None:
    path = write_profile(
        tmp_path / "profiles",
        f"""
        name = "Echo post"
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo?x=1"
        timeout = 4.0
        log_request_body = true
        [request.headers]
        Accept = "application/json"
        [request.body]
        content_type = "json"
        text = '{{"hello": "world"}}'
        [[set_variables]]
        name = "method"
        target = "echoed_method"
        [[set_variables]]
        name = "nothing.here"
        target = "gone"
        [on_failure]
        variable = "failed"
        [routes]
        success = "next-step"
    """,
        name="echo-post.toml",
    )
    module, result = run_profile(path)
    summary = history.record(module, result, profile_path=path)
    assert summary is not None and history.last_error is None
    assert (summary.method, summary.status, summary.route, summary.profile) == (
        "POST",
        200,
        "success",
        "echo-post",
    )
    assert summary.url == f"{sandbox.base_url}/echo?x=1"

    record_path = history.path_of(summary.id)
    assert record_path.name == f"{summary.id}.toml"
    replayable = read_module(record_path)  # a record is a profile
    assert replayable.request.method == "POST" and replayable.request.timeout == 4.0
    assert replayable.request.body is not None and replayable.request.body.text == '{"hello": "world"}'
    assert replayable.route_success == "next-step" and replayable.failure_variable == "failed"
    assert [row.target for row in replayable.set_variables] == ["echoed_method", "gone"]

    data = history.read(summary.id)
    assert data["profile"] == "echo-post"
    result_table = data["result"]
    assert result_table["status"] == 200 and result_table["route"] == "success"
    assert result_table["time"].endswith("Z") and result_table["time"].startswith("20")
    assert result_table["elapsed_ms"] > 0 and result_table["response_size"] > 0
    assert result_table["headers"]["content-type"] == "application/json"
    assert result_table["variables"] == {"echoed_method": "POST"}
    assert "gone" in result_table["missing"]
    assert history.load(summary.id) == replayable


@pytest.mark.parametrize("log_request", [True, False])
@pytest.mark.parametrize("log_response", [True, False])
def test_body_toggles_decide_what_reaches_the_disk(
    sandbox: Sandbox, history: History, tmp_path: Path, log_request: bool, log_response: bool
) -> None:
    path = write_profile(
        tmp_path / "profiles",
        f"""
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo"
        log_request_body = {str(log_request).lower()}
        log_response_body = {str(log_response).lower()}
        [request.body]
        content_type = "json"
        text = '{{"marker": "REQUEST-BODY-MARKER"}}'
    """,
    )
    module, result = run_profile(path)
    summary = history.record(module, result, profile_path=path)
    assert summary is not None
    data = history.read(summary.id)
    body = data["request"]["body"]
    raw = history.path_of(summary.id).read_text()
    if log_request:
        assert "REQUEST-BODY-MARKER" in body["text"]
    else:
        assert body == {"content_type": "json", "omitted": True}
    if log_response:
        assert '"path": "/echo"' in data["result"]["body"]["text"]
    else:
        assert data["result"]["body"] == {"omitted": True}
        assert "hookbench/0.1" not in raw  # the echo (it holds our User-Agent) never reached the disk
    if not log_request and not log_response:
        assert "REQUEST-BODY-MARKER" not in raw


def test_response_body_is_capped_and_the_cut_noted(tmp_path: Path) -> None:
    history = History(tmp_path / "records", max_body=1000)
    module, result = fake_result(
        response_body=b"x" * 5000, response_headers=(("Content-Type", "text/plain"),)
    )
    summary = history.record(module, result, profile_path=None)
    assert summary is not None
    stored = history.read(summary.id)["result"]["body"]
    assert stored["truncated"] is True and stored["size"] == 5000 and len(stored["text"]) == 1000


def test_a_transport_failure_is_recorded_without_a_status(history: History, tmp_path: Path) -> None:
    path = write_profile(
        tmp_path / "profiles",
        """
        [request]
        url = "http://127.0.0.1:9/nothing-listens-here"
        timeout = 2.0
    """,
    )
    module, result = run_profile(path)
    summary = history.record(module, result, profile_path=path)
    assert summary is not None and summary.status is None and summary.route == "failure"
    assert "status" not in history.read(summary.id)["result"]


# --------------------------------------------------------------------------- secrets


def test_secret_headers_and_env_values_are_masked_everywhere(
    sandbox: Sandbox, history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HB_URL_SECRET", "url-secret-4f1a")
    monkeypatch.setenv("HB_BODY_SECRET", "body-secret-9c2e")
    path = write_profile(
        tmp_path / "profiles",
        f"""
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo?key={{{{env.HB_URL_SECRET}}}}"
        log_request_body = true
        log_response_body = true
        [request.headers]
        Authorization = "Bearer literal-auth-secret-77"
        Cookie = "sid=cookie-secret-5b; theme=plain"
        X-Api-Key = "api-key-secret-31"
        X-Session-Token = "session-token-secret-08"
        [request.body]
        content_type = "json"
        text = '{{"password": "{{{{env.HB_BODY_SECRET}}}}", "note": "keep me"}}'
        [[set_variables]]
        name = "headers.Authorization"
        target = "seen_auth"
    """,
    )
    module, result = run_profile(path)
    assert history.record(module, result, profile_path=path) is not None
    stored = all_text(history.root)
    for secret in (
        "url-secret-4f1a",
        "body-secret-9c2e",
        "literal-auth-secret-77",
        "cookie-secret-5b",
        "api-key-secret-31",
        "session-token-secret-08",
    ):
        assert secret not in stored
    assert "keep me" in stored  # the rest of the body is still there
    data = history.read(history.list()[0].id)
    headers = data["request"]["headers"]
    assert headers["Authorization"] == f"Bearer {MASK}"
    assert headers["Cookie"] == MASK and headers["X-Api-Key"] == MASK
    assert data["result"]["variables"]["seen_auth"] == MASK


def test_env_values_become_placeholders_so_the_record_still_replays(
    sandbox: Sandbox, history: History, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HB_TOKEN", "tok/with space&more")
    path = write_profile(
        tmp_path / "profiles",
        f"""
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo?t={{{{env.HB_TOKEN}}}}"
        log_request_body = true
        [request.headers]
        Authorization = "Bearer {{{{env.HB_TOKEN}}}}"
        [request.body]
        content_type = "xml"
        text = "<a>{{{{env.HB_TOKEN}}}}</a>"
    """,
    )
    module, result = run_profile(path)
    summary = history.record(module, result, profile_path=path)
    assert summary is not None
    assert summary.url.endswith("/echo?t={{env.HB_TOKEN}}")
    replay = history.load_for_replay(summary.id)
    assert replay.request.headers[0] == ("Authorization", "Bearer {{env.HB_TOKEN}}")
    assert replay.request.body is not None and replay.request.body.text == "<a>{{env.HB_TOKEN}}</a>"
    again = run_module_sync(replay, Variables())
    assert again.request.url == result.request.url
    assert again.request.content == result.request.content
    assert again.request.header("Authorization") == "Bearer tok/with space&more"
    assert "tok/with" not in all_text(history.root) and "tok%2Fwith" not in all_text(history.root)


def test_set_cookie_from_the_server_is_masked_in_headers_and_body(history: History) -> None:
    module, result = fake_result(
        response_headers=(
            ("Set-Cookie", "sid=server-cookie-secret-6d; Path=/"),
            ("Content-Type", "application/json"),
        ),
        response_body=b'{"cookies": {"sid": "server-cookie-secret-6d"}}',
    )
    summary = history.record(module, result, profile_path=None)
    assert summary is not None
    assert "server-cookie-secret-6d" not in all_text(history.root)
    assert history.read(summary.id)["result"]["headers"]["Set-Cookie"] == MASK


def test_cookie_attributes_are_not_secrets(history: History) -> None:
    module, result = fake_result(
        "http://api.example.test/login?next=/home",
        response_headers=(("Set-Cookie", "sid=cookie-value-91; Domain=api.example.test; Path=/home"),),
        response_body=b"see api.example.test/home",
    )
    summary = history.record(module, result, profile_path=None)
    assert summary is not None and summary.url == "http://api.example.test/login?next=/home"
    stored = history.read(summary.id)["result"]
    assert stored["final_url"] == summary.url and stored["body"]["text"] == "see api.example.test/home"
    assert "cookie-value-91" not in all_text(history.root)


def test_a_masked_secret_refuses_to_replay_but_loads_for_editing(history: History) -> None:
    module, result = fake_result(headers=(("X-Api-Key", "literal-key-123"),))
    summary = history.record(module, result, profile_path=None)
    assert summary is not None
    assert dict(history.load(summary.id).request.headers)["X-Api-Key"] == MASK
    with pytest.raises(HistoryError, match="X-Api-Key"):
        history.load_for_replay(summary.id)


def test_an_omitted_request_body_refuses_to_replay(
    sandbox: Sandbox, history: History, tmp_path: Path
) -> None:
    path = write_profile(
        tmp_path / "profiles",
        f"""
        [request]
        method = "POST"
        url = "{sandbox.base_url}/echo"
        [request.body]
        content_type = "json"
        text = '{{"a": 1}}'
    """,
    )
    module, result = run_profile(path)
    summary = history.record(module, result, profile_path=path)
    assert summary is not None
    with pytest.raises(HistoryError, match="log_request_body"):
        history.load_for_replay(summary.id)


def test_files_are_0600_in_a_0700_folder(history: History) -> None:
    summary = history.record(*fake_result(), profile_path=None)
    assert summary is not None
    assert stat.S_IMODE(history.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(history.path_of(summary.id).stat().st_mode) == 0o600


def test_a_loose_existing_folder_is_tightened(tmp_path: Path) -> None:
    root = tmp_path / "records"
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    History(root).record(*fake_result(), profile_path=None)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


# --------------------------------------------------------------------------- replay


def test_replay_sends_the_same_request(sandbox: Sandbox, history: History, tmp_path: Path) -> None:
    attachment = tmp_path / "profiles" / "note.txt"
    attachment.parent.mkdir(parents=True)
    attachment.write_text("attached text")
    for kind, body in (
        ("json", r"""text = '{"n": 1, "s": "a \"quoted\" word ü"}'"""),
        ("form", '[request.body.fields]\nname = "Ada Lovelace"\nplus = "a+b&c=d"'),
        ("multipart", '[request.body.fields]\nnote = "@note.txt"\ntitle = "hello"'),
    ):
        path = write_profile(
            tmp_path / "profiles",
            f"""
            [request]
            method = "PUT"
            url = "{sandbox.base_url}/echo?q=a%20b&z=1"
            log_request_body = true
            log_response_body = true
            [request.headers]
            X-Custom = "custom value"
            [request.body]
            content_type = "{kind}"
        """
            + textwrap.indent(body, "            "),
            name=f"{kind}.toml",
        )
        module, result = run_profile(path)
        first = history.record(module, result, profile_path=path)
        assert first is not None
        again = run_module_sync(history.load_for_replay(first.id), Variables())
        echoed = [json.loads(r.exchange.body) for r in (result, again) if r.exchange]
        if kind == "multipart":  # boundaries are random: compare the parts, not the bytes
            for one in echoed:
                one["body"] = sorted(
                    line
                    for line in one["body"].splitlines()
                    if "boundary" not in line and not line.startswith("--")
                )
                one["headers"].pop("Content-Type"), one["headers"].pop("Content-Length")
        assert echoed[0] == echoed[1], kind


# --------------------------------------------------------------------------- listing


def test_list_is_newest_first_limited_and_filtered(history: History) -> None:
    for index in range(12):
        history.record(
            *fake_result(f"http://127.0.0.1:1/item/{index}", status=404 if index % 4 == 0 else 200),
            profile_path=Path(f"p{index % 2}.toml"),
        )
    records = history.list()
    assert [r.url.rsplit("/", 1)[1] for r in records] == [str(i) for i in range(11, -1, -1)]
    assert len(history.list(limit=5)) == 5
    assert {r.url for r in history.list(query="404")} == {f"http://127.0.0.1:1/item/{i}" for i in (0, 4, 8)}
    assert all(r.profile == "p1" for r in history.list(query="P1"))
    assert [r.url for r in history.list(query="item/1 failure")] == []
    assert len(history.list(query="failure")) == 3


def test_listing_an_empty_or_missing_folder_is_empty(tmp_path: Path) -> None:
    assert History(tmp_path / "never-created").list() == []


def test_a_truncated_record_is_skipped_with_a_warning(
    history: History, hand_broken_records: set[Path]
) -> None:
    first = history.record(*fake_result("http://127.0.0.1:1/first"), profile_path=None)
    broken = history.record(*fake_result("http://127.0.0.1:1/broken"), profile_path=None)
    assert first is not None and broken is not None
    path = history.path_of(broken.id)
    hand_broken_records.add(path)
    path.write_bytes(path.read_bytes()[:40])  # cut inside the summary line
    with pytest.warns(HistoryWarning, match=broken.id):
        records = history.list()
    assert [r.id for r in records] == [first.id]
    assert len(history.skipped) == 1 and str(path) in history.skipped[0]
    with pytest.raises(HistoryError, match=broken.id):
        history.load(broken.id)


def test_a_record_cut_after_its_summary_line_is_skipped_too(
    history: History, hand_broken_records: set[Path]
) -> None:
    summary = history.record(*fake_result(), profile_path=None)
    assert summary is not None
    path = history.path_of(summary.id)
    text = path.read_text()
    hand_broken_records.add(path)
    path.write_text(text[: text.index("[result]") + 5])
    with pytest.warns(HistoryWarning, match="not valid TOML"):
        assert history.list() == []


def test_a_record_edited_by_hand_but_valid_is_still_listed(history: History) -> None:
    summary = history.record(*fake_result("http://127.0.0.1:1/old"), profile_path=None)
    assert summary is not None
    path = history.path_of(summary.id)
    path.write_text(path.read_text().replace("/old", "/edited-by-hand"))
    assert [r.url for r in history.list()] == ["http://127.0.0.1:1/edited-by-hand"]


def test_temp_files_of_a_killed_writer_are_ignored_and_cleaned(history: History) -> None:
    summary = history.record(*fake_result(), profile_path=None)
    assert summary is not None
    leftover = history.root / f".{new_record_id(_next_time())}.toml.k2j3.tmp"
    leftover.write_text("# hookbench-record v1 {half")
    assert [r.id for r in history.list()] == [summary.id]
    old = time.time() - 7200
    os.utime(leftover, (old, old))
    history.prune()
    assert not leftover.exists()


# --------------------------------------------------------------------------- retention


def test_retention_keeps_the_newest_and_touches_nothing_else(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profile = write_profile(profiles, '[request]\nurl = "http://127.0.0.1:1/"\n', name="saved.toml")
    history = History(tmp_path / "records", keep=5)
    ids = [history.record(*fake_result(f"http://127.0.0.1:1/{i}"), profile_path=profile).id for i in range(8)]
    stray = history.root / "notes.toml"
    stray.write_text("mine")
    history.prune()
    assert [r.id for r in history.list(limit=0)] == ids[::-1][:5]
    assert stray.read_text() == "mine"
    assert profile.exists() and sorted(p.name for p in profiles.iterdir()) == ["saved.toml"]


def test_keep_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOOKBENCH_HISTORY_KEEP", "7")
    assert History.for_profiles(tmp_path).keep == 7
    monkeypatch.setenv("HOOKBENCH_HISTORY_KEEP", "lots")
    with pytest.raises(HistoryError, match="HOOKBENCH_HISTORY_KEEP"):
        History.for_profiles(tmp_path)
    monkeypatch.setenv("HOOKBENCH_HISTORY_KEEP", "0")
    nothing = History.for_profiles(tmp_path)
    assert nothing.record(*fake_result(), profile_path=None) is None and nothing.last_error is None
    assert nothing.list() == []


# --------------------------------------------------------------------------- where it lives


def test_history_lives_under_the_override_then_xdg_then_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_history: Path
) -> None:
    folder = tmp_path / "My Profiles"
    folder.mkdir()
    key = folder_key(folder)
    assert key.startswith("my-profiles-") and len(key) == len("my-profiles-") + 10
    assert folder_key(tmp_path / "other" / "My Profiles") != key
    assert History.for_profiles(folder).root == isolated_history / key
    monkeypatch.delenv("HOOKBENCH_HISTORY_DIR")
    assert history_base() == tmp_path / "state" / "hookbench" / "history"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert history_base() == tmp_path / "home" / ".local" / "state" / "hookbench" / "history"


def test_recording_never_raises_on_disk_trouble(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    history = History(blocker / "records")
    assert history.record(*fake_result(), profile_path=None) is None
    assert history.last_error is not None and str(blocker) in history.last_error


# --------------------------------------------------------------------------- ids and opening


def test_ids_sort_by_time_and_never_repeat() -> None:
    ids = [new_record_id(_next_time()) for _ in range(2000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert f"-{os.getpid()}-" in ids[0]


def test_ids_resolve_by_unambiguous_prefix(history: History) -> None:
    summary = history.record(*fake_result(), profile_path=None)
    assert summary is not None
    assert history.resolve_id(summary.id[:22]) == summary.id
    assert history.resolve_id(summary.id + ".toml") == summary.id
    for bad in ("nope", "../../etc/passwd", "2099"):
        with pytest.raises(HistoryError, match="no history record"):
            history.resolve_id(bad)
    history.record(*fake_result(), profile_path=None)
    with pytest.raises(HistoryError, match="matches 2 history records"):
        history.resolve_id(summary.id[:8])


def test_save_as_profile_keeps_secrets_masked(history: History, tmp_path: Path) -> None:
    module, result = fake_result(
        headers=(("Authorization", "Bearer saved-secret-42"), ("Accept", "text/plain"))
    )
    summary = history.record(module, result, profile_path=None)
    assert summary is not None
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = history.save_as_profile(summary.id, folder, "from history")
    assert path == folder / "from-history.toml"
    saved = read_module(path)
    assert saved.name == "from history"
    assert dict(saved.request.headers) == {"Authorization": f"Bearer {MASK}", "Accept": "text/plain"}
    assert "saved-secret-42" not in path.read_text() and "[result]" not in path.read_text()
    with pytest.raises(HistoryError, match="already exists"):
        history.save_as_profile(summary.id, folder, "from history")
    assert history.save_as_profile(summary.id, folder, "from history", overwrite=True) == path
    with pytest.raises(HistoryError, match="needs a name"):
        history.save_as_profile(summary.id, folder, "  ")
    # a name is turned into a file stem, so it can never leave the folder or hide the file
    assert history.save_as_profile(summary.id, folder, "../escape") == folder / "escape.toml"
    assert history.save_as_profile(summary.id, folder, ".hidden") == folder / "hidden.toml"


def test_summary_json_round_trips() -> None:
    summary = RecordSummary(
        "id", "2026-01-01T00:00:00.000000Z", "GET", "http://x/", None, "failure", None, "p"
    )
    assert RecordSummary.from_json(summary.to_json()) == summary


# --------------------------------------------------------------------------- concurrency

_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
sys.path.insert(0, {tests!r})
from test_history import fake_result
from tui.core.history import History
history = History(Path(sys.argv[1]))
for index in range(int(sys.argv[2])):
    module, result = fake_result(f"http://127.0.0.1:1/{{sys.argv[3]}}/{{index}}")
    assert history.record(module, result, profile_path=None) is not None, history.last_error
"""


def test_two_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    root = tmp_path / "records"
    script = _WRITER.format(root=str(ROOT), tests=str(Path(__file__).parent))
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(root), "60", name], stderr=subprocess.PIPE, text=True
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    records = History(root).list(limit=0)
    assert len(records) == 120
    assert {r.url for r in records} == {f"http://127.0.0.1:1/{n}/{i}" for n in "ab" for i in range(60)}
    for record in records[::10]:
        assert History(root).read(record.id)["result"]["status"] == 200
