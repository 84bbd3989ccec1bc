"""A find bar over a view: a query box, a count, and (for the tree) the list of matches.

The bar does not know what it searches: it is handed a finder, a `tui.core.search` generator
already bound to the document or lines shown (`set_source`). Each keystroke starts the finder
in a thread worker (exclusive, so the previous search is cancelled, and the finder checks
for that between matches too); matches stream back in batches, the first one at once, so the
keyboard never waits on a search of a big body. The bar posts `MatchChosen` when a person
asks to go to a match; its parent moves the view there. `step()` walks the matches (n / N).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.app.safe import safe
from tui.core.errors import HookbenchError
from tui.core.search import Scan

Finder = Callable[..., Iterator[tuple[Any, Any]]]
"""`finder(query, stop=…, scan=…)` yields matches as pairs: `find_nodes` (path, value) or
`find_in_lines` (line, column), bound to what they search."""

MAX_MATCHES = 100_000  # kept for n / N; a query matching more is asked to be narrower
SHOWN = 200  # listed (laying out a list row costs the UI thread); n / N walk all the kept matches
_BATCH_SECONDS = 0.1


class FindBar(Vertical):
    """Posts `MatchChosen(match)` and `Changed(query)`; `describe` makes a list row of a match
    (no list when it is None); `unit` names what the finder walks ("nodes", "lines")."""

    BINDINGS = [Binding("down", "focus_matches", "Matches", show=False)]

    class MatchChosen(Message):
        """Enter on the query or on a listed match: go there."""

        def __init__(self, bar: FindBar, match: Any) -> None:
            super().__init__()
            self.bar = bar
            self.match = match

        @property
        def control(self) -> FindBar:
            return self.bar

    class Changed(Message):
        """The query changed (a view that highlights matches shows the new one)."""

        def __init__(self, bar: FindBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> FindBar:
            return self.bar

    class _Found(Message):
        """From the search thread: a batch of matches, and whether the search is over."""

        def __init__(
            self, generation: int, batch: tuple[list[Any], list[Any]], scan: Scan, error: str | None = None
        ) -> None:
            super().__init__()
            self.generation = generation
            self.firsts, self.seconds = batch
            self.seen = scan.seen
            self.done = scan.done or error is not None
            self.error = error

    def __init__(
        self,
        *,
        placeholder: str,
        unit: str,
        describe: Callable[[Any], Text] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="find-bar")
        self.unit = unit
        self.describe = describe
        # The matches' two halves in two lists: a list of 100,000 fresh tuples would make
        # Python's garbage collector walk the whole decoded document (~0.25 s per 4.5 MB).
        self._firsts: list[Any] = []
        self._seconds: list[Any] = []
        self.current: int | None = None
        self.searching = False
        self._finder: Finder | None = None
        self._generation = 0
        self._seen = 0
        self._capped = False
        self._jump_when_found = False
        self._input = Input(placeholder=placeholder, classes="find-input")
        self._status = Static("", classes="find-status")
        self._list = OptionList(classes="find-matches", markup=False)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="find-row"):
            yield self._input
            yield self._status
        if self.describe is not None:
            yield self._list

    def on_mount(self) -> None:
        self.display = False
        self._list.display = False

    @property
    def matches(self) -> list[tuple[Any, Any]]:
        """Every match found so far (a copy, built on demand)."""
        return list(zip(self._firsts, self._seconds))

    @property
    def match_count(self) -> int:
        return len(self._firsts)

    def match_at(self, index: int) -> tuple[Any, Any]:
        return self._firsts[index], self._seconds[index]

    @property
    def query_text(self) -> str:
        return self._input.value

    @property
    def is_open(self) -> bool:
        return bool(self.display)

    def open(self) -> None:
        """Show the bar and put the cursor in the query, its text selected to be typed over."""
        self.display = True
        self._input.focus()
        self._input.select_all()

    def close(self) -> None:
        """Hide the bar; a running search stops (the matches found stay for when it reopens)."""
        self.display = False
        if self.searching:
            self._generation += 1
            self.workers.cancel_group(self, "find")
            self.searching = False
            self._show_status()

    def set_source(self, finder: Finder | None) -> None:
        """What to search from now on (a new response, or the Raw text formatted): search again."""
        self._finder = finder
        self._restart()

    # --- searching ---------------------------------------------------------------------------

    @on(Input.Changed, ".find-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value.strip()))
        self._restart()

    def _restart(self) -> None:
        self._generation += 1
        self._firsts, self._seconds, self.current = [], [], None
        self._seen, self._capped = 0, False
        self._jump_when_found = False
        self._list.clear_options()
        self._list.display = False
        query = self._input.value.strip()
        if not query or self._finder is None:
            self.workers.cancel_group(self, "find")
            self.searching = False
            self._show_status("nothing to search yet" if query else "")
            return
        self.searching = True
        self._show_status()
        self._search(self._finder, query, self._generation)

    # `description` set: by default Textual writes one with repr() of the arguments, and the
    # finder holds the whole document (a repr of 4.5 MB of JSON would cost the UI ~0.3 s).
    @work(thread=True, exclusive=True, group="find", exit_on_error=False, description="find")
    def _search(self, finder: Finder, query: str, generation: int) -> None:
        """In a thread: read the finder and post what it finds, the first match at once."""
        worker = get_current_worker()

        def stop() -> bool:
            time.sleep(0)  # let the UI thread take the GIL now and then: keys stay prompt
            return worker.is_cancelled

        scan = Scan()
        firsts: list[Any] = []
        seconds: list[Any] = []
        found = 0
        posted = time.monotonic()
        try:
            for first, second in finder(query, stop=stop, scan=scan):
                firsts.append(first)
                seconds.append(second)
                found += 1
                if found == 1 or time.monotonic() - posted > _BATCH_SECONDS:
                    self.post_message(self._Found(generation, (firsts, seconds), scan))
                    firsts, seconds, posted = [], [], time.monotonic()
                if found >= MAX_MATCHES:
                    break
        except HookbenchError as exc:  # a malformed pattern
            self.post_message(self._Found(generation, (firsts, seconds), scan, error=str(exc)))
            return
        if not worker.is_cancelled:
            scan.done = True
            self.post_message(self._Found(generation, (firsts, seconds), scan))

    @on(_Found)
    def _found(self, event: _Found) -> None:
        event.stop()
        if event.generation != self._generation:
            return  # an older query's
        before = len(self._firsts)
        self._firsts.extend(event.firsts)
        self._seconds.extend(event.seconds)
        self._seen = event.seen
        if event.done:
            self.searching = False
            self._capped = len(self._firsts) >= MAX_MATCHES
        if self.describe is not None and before < SHOWN and event.firsts:
            batch = zip(event.firsts[: SHOWN - before], event.seconds)
            self._list.add_options([Option(self.describe(match)) for match in batch])
            self._list.display = True
        if event.error:
            self._show_status(event.error, error=True)
            return
        self._show_status()
        if self._jump_when_found and self._firsts:
            self._jump_when_found = False
            self._choose(0)

    def _show_status(self, note: str = "", *, error: bool = False) -> None:
        if note:
            self._status.update(safe(note, "red" if error else "dim"))
            return
        count = len(self._firsts)
        if not self._input.value.strip():
            text = ""
        elif self.searching:
            text = f"{count:,} so far… (searching)"
        elif self._capped:
            text = f"over {MAX_MATCHES:,} matches: type more to narrow"
        elif count == 0:
            text = f"no match in {self._seen:,} {self.unit}"
        elif self.current is None:
            text = f"{count:,} match{'es' if count != 1 else ''} in {self._seen:,} {self.unit}"
        else:
            text = f"{self.current + 1:,} of {count:,} · {self._seen:,} {self.unit}"
        self._status.update(Text(text, style="dim"))

    # --- choosing ------------------------------------------------------------------------------

    @on(Input.Submitted, ".find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._firsts:
            self._choose(self.current if self.current is not None else 0)
        elif self.searching:
            self._jump_when_found = True

    @on(OptionList.OptionSelected, ".find-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def step(self, delta: int) -> Any | None:
        """The next (1) or previous (-1) match, wrapping around; it becomes the current one."""
        count = len(self._firsts)
        if not count:
            return None
        if self.current is None:
            index = 0 if delta > 0 else count - 1
        else:
            index = (self.current + delta) % count
        self._make_current(index)
        return self.match_at(index)

    def _choose(self, index: int) -> None:
        self._make_current(index)
        self.post_message(self.MatchChosen(self, self.match_at(index)))

    def _make_current(self, index: int) -> None:
        self.current = index
        if index < self._list.option_count:
            self._list.highlighted = index
        self._show_status()

    def action_focus_matches(self) -> None:
        if self._list.display and self._list.option_count:
            if self._list.highlighted is None:
                self._list.highlighted = 0
            self._list.focus()
