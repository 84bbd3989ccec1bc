"""The history pane: recorded runs newest first, a filter on top, keys to open, replay, save, map.

The widget only lists and asks: opening, replaying, saving and mapping are the screen's work, so
it posts `Opened`, `ReplayRequested`, `SaveAsRequested` and `MapRequested` with the record id and the screen
calls `History.load` / `History.load_for_replay` / `History.save_as_profile`. Listing runs in
a thread worker; it reads only each record's first line, so it stays fast with 10,000 records.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.app.safe import append_safe, safe
from tui.core.errors import HookbenchError
from tui.core.history import History, RecordSummary

DEFAULT_LIMIT = 100


def short_time(iso: str) -> str:
    """`2026-11-28T18:45:12.123456Z` → `11-28 19:45:12` in the local zone."""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%m-%d %H:%M:%S")
    except ValueError:
        return iso[:14]


def record_label(record: RecordSummary) -> Text:
    """One row: time, method, status, route, elapsed, URL (a Text: URLs may hold `[` and `]`)."""
    ok = record.route == "success"
    status = str(record.status) if record.status is not None else "---"
    elapsed = f"{record.elapsed_ms:.0f} ms" if record.elapsed_ms is not None else "—"
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append(short_time(record.time), style="dim")
    append_safe(label, f"  {record.method:<6} ", "bold")
    label.append(f"{status:>3} ", style="green" if ok else "red")
    append_safe(label, f"{record.route or '?':<7} ", "green" if ok else "bold red")
    label.append(f"{elapsed:>8}  ", style="dim")
    append_safe(label, record.url)
    if record.profile:
        append_safe(label, f"  {record.profile}", "dim italic")
    return label


class HistoryList(Vertical):
    """Recorded runs of one profiles folder; posts `Opened`, `ReplayRequested`, `SaveAsRequested`,
    `MapRequested`."""

    HELP = """\
## History
Every send is recorded (secrets masked). Newest first.

- Type in the filter to match URL, profile, status or route.
- **Enter** or click: open the record in the composer (nothing is sent).
- **r**: replay it. **s**: save it as a profile (masked secrets must be re-entered).
- **m**: map against this response: the viewer shows it (not sent) and the current module's
  rows are judged against it.
- **/**: back to the filter. **f5**: reload.
"""

    BINDINGS = [
        Binding("r", "replay", "Replay"),
        Binding("s", "save_as", "Save as profile"),
        Binding("m", "map_against", "Map against"),
        Binding("slash", "focus_filter", "Filter"),
        Binding("f5", "reload", "Reload"),
        Binding("down", "focus_list", "To the list", show=False),
    ]

    class _RecordMessage(Message):
        def __init__(self, history_list: HistoryList, record_id: str) -> None:
            super().__init__()
            self.history_list = history_list
            self.record_id = record_id

        @property
        def control(self) -> HistoryList:
            return self.history_list

    class Opened(_RecordMessage):
        """Enter or click on a record: load it into the composer without sending."""

    class ReplayRequested(_RecordMessage):
        """`r` on a record: send it again."""

    class SaveAsRequested(_RecordMessage):
        """`s` on a record: ask for a name and save it as a profile."""

    class MapRequested(_RecordMessage):
        """`m` on a record: show its response and judge the current module against it."""

    def __init__(
        self,
        history: History,
        *,
        limit: int = DEFAULT_LIMIT,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.history = history
        self.limit = limit
        self.records: list[RecordSummary] = []
        self.skipped: list[str] = []
        self.error: str | None = None
        self._generation = 0
        self._filter = Input(placeholder="filter: URL, profile, status", id="history-filter")
        self._options = OptionList(id="history-options", markup=False)
        self.border_title = "History"

    def compose(self) -> ComposeResult:
        yield self._filter
        yield self._options

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_records)  # the first screen first

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted record, if any."""
        index = self._options.highlighted
        if index is None or not self.records or index >= len(self.records):
            return None
        return self.records[index].id

    def refresh_records(self) -> None:
        """Reload from disk (after a send, a replay, or when the pane is shown)."""
        self._generation += 1
        self._load(self._filter.value, self._generation)

    @work(thread=True, exclusive=True, group="history-list", exit_on_error=False)
    def _load(self, query: str, generation: int) -> None:
        try:
            records = self.history.list(limit=self.limit, query=query)
        except HookbenchError as exc:
            self.app.call_from_thread(self._show_error, str(exc), generation)
            return
        self.app.call_from_thread(self._show, records, list(self.history.skipped), generation)

    def _show(self, records: list[RecordSummary], skipped: list[str], generation: int) -> None:
        if generation != self._generation:
            return  # a newer filter is already on its way
        keep = self.highlighted_id
        newest_before = self.records[0].id if self.records else None
        self.records, self.skipped, self.error = records, skipped, None
        self._options.clear_options()
        if records:
            self._options.add_options([Option(record_label(r), id=r.id) for r in records])
        else:
            empty = "no recorded runs match" if self._filter.value.strip() else "no recorded runs yet"
            self._options.add_option(Option(Text(f"({empty})", style="dim"), disabled=True))
        if skipped:
            self._options.add_option(
                Option(Text(f"{len(skipped)} unreadable record(s) skipped", style="yellow"), disabled=True)
            )
        if records:
            ids = [r.id for r in records]
            arrived = ids[0] != newest_before  # a new run: show it, at the top
            self._options.highlighted = ids.index(keep) if keep in ids and not arrived else 0
            if arrived:
                self._options.scroll_home(animate=False)

    def _show_error(self, message: str, generation: int) -> None:
        if generation != self._generation:
            return
        self.records, self.error = [], message
        self._options.clear_options()
        self._options.add_option(Option(safe(message, "red", single_line=False), disabled=True))

    @on(Input.Changed, "#history-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_records()

    @on(Input.Submitted, "#history-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_list()

    @on(OptionList.OptionSelected, "#history-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Opened(self, event.option.id))

    def action_replay(self) -> None:
        if (record_id := self.highlighted_id) is not None:
            self.post_message(self.ReplayRequested(self, record_id))

    def action_save_as(self) -> None:
        if (record_id := self.highlighted_id) is not None:
            self.post_message(self.SaveAsRequested(self, record_id))

    def action_map_against(self) -> None:
        if (record_id := self.highlighted_id) is not None:
            self.post_message(self.MapRequested(self, record_id))

    def action_focus_filter(self) -> None:
        self._filter.focus()

    def action_focus_list(self) -> None:
        self._options.focus()

    def action_reload(self) -> None:
        self.refresh_records()
