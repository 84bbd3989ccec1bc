"""The history pane through Pilot, in a tiny host app: it loads, filters and posts its messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from tui.app.widgets.history_list import HistoryList, record_label
from tui.core.history import History, RecordSummary
from tui.core.model import Module, Request
from tui.core.render import RenderedRequest
from tui.core.run import Exchange, RunResult

pytestmark = pytest.mark.usefixtures("isolated_history")


def record(history: History, url: str, *, status: int = 200, profile: str = "users") -> str:
    """Record a run without a network (the pane only reads records)."""
    module = Module(name=profile, request=Request(url=url))
    exchange = Exchange(
        status=status,
        reason_phrase="",
        http_version="HTTP/1.1",
        headers=(),
        body=b"",
        truncated=False,
        elapsed_ms=42.0,
        url=url,
    )
    result = RunResult(
        route="success" if status < 400 else "failure",
        reason=str(status),
        request=RenderedRequest(method="GET", url=url, headers=()),
        exchange=exchange,
    )
    summary = history.record(module, result, profile_path=Path(f"{profile}.toml"))
    assert summary is not None
    return summary.id


class Host(App[None]):
    """Mounts one HistoryList and keeps every message it posts."""

    def __init__(self, history: History) -> None:
        super().__init__()
        self.history = history
        self.posted: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield HistoryList(self.history, id="history")

    @on(HistoryList.Opened)
    def _opened(self, message: HistoryList.Opened) -> None:
        self.posted.append(("opened", message.record_id))

    @on(HistoryList.ReplayRequested)
    def _replay(self, message: HistoryList.ReplayRequested) -> None:
        self.posted.append(("replay", message.record_id))

    @on(HistoryList.SaveAsRequested)
    def _save(self, message: HistoryList.SaveAsRequested) -> None:
        assert message.control is self.query_one(HistoryList)
        self.posted.append(("save", message.record_id))

    @on(HistoryList.MapRequested)
    def _map(self, message: HistoryList.MapRequested) -> None:
        self.posted.append(("map", message.record_id))


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "records")


@pytest.fixture
def ids(history: History) -> list[str]:
    """Four records, oldest first: two of `users`, a 404 of `orders`, one more of `users`."""
    return [
        record(history, "http://127.0.0.1:1/users/1"),
        record(history, "http://127.0.0.1:1/users/2"),
        record(history, "http://127.0.0.1:1/orders/9", status=404, profile="orders"),
        record(history, "http://127.0.0.1:1/users/[3]"),
    ]


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def shown(pilot: Pilot) -> list[str | None]:
    options = pilot.app.query_one("#history-options", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_lists_newest_first_with_its_columns(history: History, ids: list[str]) -> None:
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        assert shown(pilot) == ids[::-1]
        pane = pilot.app.query_one(HistoryList)
        label = record_label(pane.records[1]).plain
        for part in ("GET", "404", "failure", "42 ms", "http://127.0.0.1:1/orders/9", "orders"):
            assert part in label
        assert "[3]" in record_label(pane.records[0]).plain  # brackets are text, not markup


async def test_typing_filters_by_url_profile_or_status(history: History, ids: list[str]) -> None:
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        pilot.app.query_one("#history-filter", Input).focus()
        await pilot.press(*"orders")
        await settle(pilot)
        assert shown(pilot) == [ids[2]]
        pilot.app.query_one("#history-filter", Input).value = "404"
        await settle(pilot)
        assert shown(pilot) == [ids[2]]
        pilot.app.query_one("#history-filter", Input).value = "users/2"
        await settle(pilot)
        assert shown(pilot) == [ids[1]]
        pilot.app.query_one("#history-filter", Input).value = "nothing like it"
        await settle(pilot)
        assert shown(pilot) == [None]  # the "(no recorded runs match)" line
        assert pilot.app.query_one(HistoryList).highlighted_id is None


async def test_enter_opens_and_keys_ask_for_replay_and_save(history: History, ids: list[str]) -> None:
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        pilot.app.query_one("#history-filter", Input).focus()
        await pilot.press("r", "s", "m")  # typed into the filter, not actions
        await settle(pilot)
        assert pilot.app.posted == [] and pilot.app.query_one("#history-filter", Input).value == "rsm"
        pilot.app.query_one("#history-filter", Input).value = ""
        await settle(pilot)
        await pilot.press("enter")  # from the filter to the list
        await pilot.press("down")
        await pilot.press("enter")
        await pilot.press("r")
        await pilot.press("s")
        await pilot.press("m")
        await pilot.pause()
        assert pilot.app.posted == [("opened", ids[2]), ("replay", ids[2]), ("save", ids[2]), ("map", ids[2])]


async def test_click_opens_a_record(history: History, ids: list[str]) -> None:
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        options = pilot.app.query_one("#history-options", OptionList)
        await pilot.click(options, offset=(5, 2))  # border, then the second row
        await pilot.pause()
        assert pilot.app.posted == [("opened", ids[2])]


async def test_a_new_run_is_highlighted_otherwise_the_highlight_stays(
    history: History, ids: list[str]
) -> None:
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        pane = pilot.app.query_one(HistoryList)
        pilot.app.query_one("#history-options", OptionList).highlighted = 1
        chosen = pane.highlighted_id
        assert chosen is not None
        pane.refresh_records()
        await settle(pilot)
        assert pane.highlighted_id == chosen  # nothing new: the highlight stays
        newest = record(history, "http://127.0.0.1:1/users/4")
        pane.refresh_records()
        await settle(pilot)
        assert shown(pilot) == [newest, *ids[::-1]]
        assert pane.highlighted_id == newest  # a new run is shown at the top


@pytest.mark.filterwarnings("ignore::tui.core.history.HistoryWarning")
async def test_empty_history_and_broken_records_are_shown_not_fatal(
    history: History, ids: list[str], hand_broken_records: set[Path]
) -> None:
    broken = history.path_of(ids[0])
    hand_broken_records.add(broken)
    broken.write_text("# hookbench-record v1 {trunc")
    async with Host(history).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        pane = pilot.app.query_one(HistoryList)
        assert shown(pilot) == [*ids[:0:-1], None]
        assert len(pane.skipped) == 1
    async with Host(History(history.root.parent / "empty")).run_test(size=(100, 20)) as pilot:
        await settle(pilot)
        assert shown(pilot) == [None]
        assert pilot.app.query_one(HistoryList).highlighted_id is None


def test_labels_take_a_summary_without_status() -> None:
    summary = RecordSummary(
        "x", "2026-11-28T18:45:12.000000Z", "POST", "http://h/", None, "failure", None, ""
    )
    assert "---" in record_label(summary).plain
