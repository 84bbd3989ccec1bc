"""The response side of the workbench: status line, Tree / Raw / Headers tabs, the path bar.

It shows a run's result, follows the node a person picks, copies paths and values itself,
and asks its parent (`RowRequested`) to map a path, since Set Variables belong to the module.
Extra panes (Set Variables, Flow) are handed in by the parent and sit in the same tab strip.
The Tree and Raw tabs each have a find bar (`/`); the viewer hands each bar its finder and
moves the tree or the text to the match a person goes to (Enter, n, N).
While a big body decodes, the tree previews what is finished a few times a second; a big
response replaced by the next is freed in the background (`bulk.release_later`).
"""

from __future__ import annotations

import asyncio
import json
from functools import partial
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from tui.app.safe import append_safe, safe
from tui.app.widgets.find_bar import FindBar
from tui.app.widgets.path_bar import PathBar
from tui.app.widgets.raw_view import RawView
from tui.app.widgets.response_tree import ResponseTree
from tui.app.widgets.status_line import StatusLine
from tui.core.bulk import release_later
from tui.core.exchange import Exchange
from tui.core.paths import describe_kind
from tui.core.progress import Progress
from tui.core.responses import (
    BIG,
    BINARY,
    EMPTY,
    TEXT,
    XML,
    DecodedBody,
    kind_of,
    media_type_of,
    pretty_lines,
)
from tui.core.run import RunResult
from tui.core.safe_text import safe_json
from tui.core.search import find_in_lines, find_nodes
from tui.core.secrets import mask_header, mask_text
from tui.core.timings import timings_text


class ResponseViewer(Vertical):
    """Posts `RowRequested(path)` when a person asks to map the picked node."""

    BINDINGS = [
        Binding("slash", "find", "Find"),
        Binding("n", "find_step(1)", "Next match"),
        Binding("N", "find_step(-1)", "Previous match"),
        Binding("escape", "close_find", "Close find", show=False),
    ]

    class RowRequested(Message):
        """Add `path` as a Set Variables row."""

        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

    def __init__(self, *extra_panes: TabPane, id: str | None = None) -> None:
        super().__init__(id=id)
        self._extra_panes = extra_panes
        self._picked: tuple[str, Any] | None = None
        self._body: DecodedBody | None = None
        self._raw_pending: DecodedBody | None = None
        self.status = StatusLine(id="status")
        self.response_tree = ResponseTree(id="tree")
        self.raw = RawView(id="raw")
        self.path_bar = PathBar(id="path-bar")
        self.tree_find = FindBar(
            placeholder="find: text, or a path pattern like users.*.email",
            unit="nodes",
            describe=match_label,
            id="tree-find",
        )
        self.raw_find = FindBar(placeholder="find in the text", unit="lines", id="raw-find")

    def compose(self) -> ComposeResult:
        yield self.status
        with TabbedContent(id="response-tabs"):
            with TabPane("Tree", id="tab-tree"):
                yield self.tree_find
                yield self.response_tree
            with TabPane("Raw", id="tab-raw"):
                yield self.raw_find
                yield self.raw
            with TabPane("Headers", id="tab-response-headers"):
                with VerticalScroll():
                    yield Static("", id="response-headers")
            yield from self._extra_panes
        yield self.path_bar

    def on_mount(self) -> None:
        self._preview_timer = self.set_interval(0.25, self._refresh_preview, pause=True)
        self._preview_kind = ""
        self.clear()

    @property
    def body(self) -> DecodedBody | None:
        """The decoded body shown (a flow step's, maybe), None when there is none."""
        return self._body

    # --- what is shown ---------------------------------------------------------------------

    def clear(self, message: str = "(no response yet — ctrl+r sends)") -> None:
        """No response: a new module was loaded."""
        self._let_go(None)
        self._raw_pending = None
        self.forget_picked()
        self.status.show_idle()
        self.response_tree.show_message(message)
        self.tree_find.set_source(None)
        self._load_raw("")
        self.query_one("#response-headers", Static).update("")

    def show_decoding(self, exchange: Exchange, progress: Progress) -> None:
        """A big body is being decoded: say how far, and preview its document as it grows."""
        self.status.show_decoding(exchange, progress)
        self._preview_kind = kind_of(media_type_of(exchange.header("content-type"))[0], exchange.body).upper()
        self.forget_picked()
        self.tree_find.set_source(None)  # the tree no longer shows the last response
        self._refresh_preview()
        self._preview_timer.resume()

    def _refresh_preview(self) -> None:
        progress = self.status.decoding
        if progress is not None:
            self.response_tree.show_preview(progress.partial, self._preview_kind, progress.fraction)
            return
        self._preview_timer.pause()
        if self.response_tree.previewing:  # another send took over: the decode was stopped
            self.response_tree.show_message("(the decode was stopped — ctrl+r sends again)")

    def _let_go(self, body: DecodedBody | None) -> None:
        """Show `body` from now on; a big tree shown before is freed in the background."""
        old, self._body = self._body, body
        if old is not None and old is not body and old.size >= BIG and old.data is not None:
            release_later(old.data)

    def show_cancelled(self) -> None:
        self.forget_picked()
        decoding = self.status.decoding_label
        self.status.show_idle(
            f"Cancelled — {decoding}: the decode was stopped and its tree dropped"
            if decoding
            else "Cancelled — nothing was received"
        )
        self.response_tree.show_message("(cancelled — ctrl+r sends again)")
        self.tree_find.set_source(None)  # the tree no longer holds the last response

    def show_result(self, result: RunResult, note: str | None = None) -> bool:
        """Show a run's outcome (`note` leads the status line); True when there is a tree to browse."""
        self.forget_picked()
        self.status.show_result(result, note)
        body = result.body
        self._let_go(body)
        self._raw_pending = None
        if result.exchange is None or body is None:
            self.response_tree.show_message(f"No response: {result.reason}")
            self.tree_find.set_source(None)
            self._load_raw(f"No response: {result.reason}")
            self.query_one("#response-headers", Static).update("")
            return False
        self._show_headers(result.exchange, result.request.secrets)
        if body.parsed:
            self.response_tree.load(body.data, label=body.kind.upper())
            self.tree_find.set_source(partial(find_nodes, body.data))
        else:
            self.response_tree.show_message(
                body.error or ("empty body" if body.kind == EMPTY else f"{body.kind} body: see Raw")
            )
            self.tree_find.set_source(None)
        if body.kind in (BINARY, EMPTY):
            self._load_raw(body.error or "(empty body)")
        elif body.kind == TEXT or not body.parsed:
            self._load_raw(body.text or "", "text")
        else:
            self.raw.load("(formatting…)")
            self.raw_find.set_source(None)
            self._raw_pending = body
            if self.query_one("#response-tabs", TabbedContent).active == "tab-raw":
                self._start_raw()
        return body.parsed

    @on(TabbedContent.TabActivated, "#response-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "tab-raw":
            self._start_raw()

    def _start_raw(self) -> None:
        """Format the Raw view when it is first looked at: a big body costs nothing until then."""
        if self._raw_pending is not None:
            body, self._raw_pending = self._raw_pending, None
            self._fill_raw(body)

    @work(exclusive=True, exit_on_error=False, group="raw", description="format Raw")  # no repr(body)
    async def _fill_raw(self, body: DecodedBody) -> None:
        """Pretty-print and split in a thread: tens of megabytes must not block input."""
        lines = await asyncio.to_thread(pretty_lines, body)
        if self._body is body:
            self._load_raw(lines, body.kind)

    def _load_raw(self, text: str | list[str], kind: str = "text") -> None:
        self.raw.load(text, kind)
        self.raw_find.set_source(partial(find_in_lines, self.raw.lines))

    def _show_headers(self, exchange: Exchange, secrets: frozenset[str]) -> None:
        text = Text()
        version = exchange.http_version.removeprefix("HTTP/")
        append_safe(text, f"HTTP/{version} {exchange.status} {exchange.reason_phrase}", "bold")
        redirects = f" (after {exchange.redirects} redirects)" if exchange.redirects else ""
        text.append("\nfinal URL: ", "dim")
        append_safe(text, f"{mask_text(exchange.url, secrets)}{redirects}", "dim")
        if exchange.timings_ms:
            text.append("\ntimings: ", "dim")
            text.append(timings_text(exchange.timings_ms), "dim")
        text.append("\n\n")
        for name, value in exchange.headers:
            append_safe(text, f"{name}: ", "bold cyan")
            append_safe(text, mask_text(mask_header(name, value), secrets))
            text.append("\n")
        self.query_one("#response-headers", Static).update(text)

    def focus_tree(self) -> None:
        self.query_one("#response-tabs", TabbedContent).active = "tab-tree"
        self.response_tree.focus()

    # --- find -------------------------------------------------------------------------------

    def _find_target(self) -> tuple[FindBar, Widget] | None:
        """The find bar and view of the tab shown, when the focus is on one of them."""
        active = self.query_one("#response-tabs", TabbedContent).active
        pair: tuple[FindBar, Widget]
        if active == "tab-tree":
            pair = (self.tree_find, self.response_tree)
        elif active == "tab-raw":
            pair = (self.raw_find, self.raw)
        else:
            return None
        focused = self.screen.focused
        if focused is None or not (focused is pair[1] or pair[0] in focused.ancestors_with_self):
            return None
        return pair

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` only on the Tree or Raw tab; n, N and Esc only while its find bar is open
        (elsewhere the keys go on: Esc then cancels a send)."""
        if action in ("find", "find_step", "close_find"):
            target = self._find_target()
            return target is not None and (action == "find" or target[0].is_open)
        return True

    def action_find(self) -> None:
        if (target := self._find_target()) is not None:
            target[0].open()

    def action_find_step(self, delta: int) -> None:
        if (target := self._find_target()) is None:
            return
        match = target[0].step(delta)
        if match is not None:
            self._go_to(target[0], match)

    def action_close_find(self) -> None:
        if (target := self._find_target()) is not None:
            target[0].close()
            target[1].focus()

    @on(FindBar.MatchChosen)
    def _match_chosen(self, event: FindBar.MatchChosen) -> None:
        event.stop()
        self._go_to(event.bar, event.match)
        (self.response_tree if event.bar is self.tree_find else self.raw).focus()

    @on(FindBar.Changed, "#raw-find")
    def _raw_query(self, event: FindBar.Changed) -> None:
        event.stop()
        self.raw.highlight(event.query)

    def _go_to(self, bar: FindBar, match: Any) -> None:
        if bar is self.raw_find:
            self.raw.show_match(*match)
            return
        path, value = match
        if self.response_tree.reveal(path) is None:
            self.notify(f"{path} is not in the response shown", severity="warning")
            return
        self._pick(path, value)

    # --- click to path -----------------------------------------------------------------------

    def forget_picked(self) -> None:
        """A new response or module: the node picked before no longer exists."""
        self._picked = None
        self.path_bar.path = None
        self.path_bar.show_note("Select a node in the tree to see its path")

    def _pick(self, path: str, value: Any) -> None:
        self._picked = (path, value)
        self.path_bar.show(path, value, xml=self._body is not None and self._body.kind == XML)

    @on(ResponseTree.PathPicked)
    def _picked_in_tree(self, event: ResponseTree.PathPicked) -> None:
        event.stop()
        self._pick(event.path, event.value)

    @on(ResponseTree.PendingHighlighted)
    def _pending_in_tree(self, event: ResponseTree.PendingHighlighted) -> None:
        """No value to show or map yet: the bar must not keep the node picked before."""
        event.stop()
        self.forget_picked()
        self.path_bar.show_note(f"{event.path or '(root)'}: still being decoded")

    @on(ResponseTree.ActionRequested)
    def _tree_action(self, event: ResponseTree.ActionRequested) -> None:
        event.stop()
        self._pick(event.path, event.value)
        self._act(event.action)

    @on(PathBar.ActionPressed)
    def _bar_action(self, event: PathBar.ActionPressed) -> None:
        event.stop()
        self._act(event.action)

    def _act(self, action: str) -> None:
        if self._picked is None:
            self.notify("Select a node in the Tree first.", severity="warning")
            return
        path, value = self._picked
        if action == "add":
            self.post_message(self.RowRequested(path))
        elif action == "copy_path":
            self.app.copy_to_clipboard(path)
            self.path_bar.show_note(f"Copied path: {path}")
            self.notify(path, title="Copied path")  # in full, for terminals without OSC 52
        elif action == "copy_value":
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            self.app.copy_to_clipboard(text)
            self.path_bar.show_note(f"Copied value: {text if len(text) < 120 else text[:119] + '…'}")
            self.notify(text if len(text) < 2000 else text[:1999] + "…", title="Copied value")


def match_label(match: tuple[str, Any]) -> Text:
    """A row of the find list: `path = value` (a container: `path = object (3 keys)`), safe to show."""
    path, value = match
    label = safe(path or "(root)", "bold")
    label.no_wrap, label.overflow = True, "ellipsis"
    if isinstance(value, (dict, list)):
        label.append(f" = {describe_kind(value)}", "italic")
        return label
    preview = safe_json(value)
    label.append(" = ")
    label.append(
        preview if len(preview) < 200 else preview[:199] + "…",
        "green" if isinstance(value, str) else "yellow",
    )
    return label
