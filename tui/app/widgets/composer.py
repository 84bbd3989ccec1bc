"""The request side of the workbench: the URL bar and the Headers / Auth / Body / Options / Placeholders tabs.

It loads a request into its fields and reads one back (`request`), shows the Body tab only
for methods that carry a body, and shows what the placeholders resolve to. Edits bubble up
as its children's messages (`UrlBar.*`, `KeyValueEditor.Changed`, `AuthEditor.Changed`, `BodyEditor.Changed`,
`OptionsForm.Changed`, `PlaceholdersPanel.ValueTyped`); the screen decides what follows.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.lazy import Lazy
from textual.widgets import TabbedContent, TabPane

from tui.app.widgets.auth_editor import AuthEditor
from tui.app.widgets.body_editor import BodyEditor
from tui.app.widgets.key_values import KeyValueEditor
from tui.app.widgets.lazy_parts import mounted, part
from tui.app.widgets.options_form import OptionsForm
from tui.app.widgets.placeholders import PlaceholdersPanel
from tui.app.widgets.url_bar import UrlBar
from tui.core.model import BODY_METHODS, Request

if TYPE_CHECKING:
    from tui.core.environments import Environment


class Composer(Vertical):
    """Where a request is typed: method, URL, headers, body, options, placeholder values."""

    def __init__(self, request: Request, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._loaded = request
        self.url_bar = UrlBar(request.method, request.url, id="url-bar")
        self.headers = KeyValueEditor(request.headers, placeholders=("Header", "Value"), id="headers")
        self.tabs = TabbedContent(id="request-tabs")

    def compose(self) -> ComposeResult:
        request = self._loaded
        yield self.url_bar
        with self.tabs:
            with TabPane("Headers", id="tab-headers"):
                yield self.headers
            # Hidden tabs mount after the first frame (Lazy): the first screen comes sooner.
            with TabPane("Auth", id="tab-auth"):
                yield Lazy(AuthEditor(request.auth, id="auth-editor"))
            with TabPane("Body", id="tab-body"):
                yield Lazy(BodyEditor(request.body, id="body-editor"))
            with TabPane("Options", id="tab-options"):
                yield Lazy(OptionsForm(request, id="options"))
            with TabPane("Placeholders", id="tab-placeholders"):
                yield Lazy(PlaceholdersPanel(id="placeholders"))

    def on_mount(self) -> None:
        self._show_body_tab(self._loaded.method)

    async def load(self, request: Request) -> None:
        """Put another request into the fields (a profile or a history record was opened)."""
        self.url_bar.load(request.method, request.url)
        await self.headers.load(request.headers)
        await (await part(self, AuthEditor)).load(request.auth)
        await (await part(self, BodyEditor)).load(request.body)
        (await part(self, OptionsForm)).load(request)
        self._show_body_tab(request.method)

    def request(self, loaded: Request) -> Request:
        """`loaded` with what the fields hold now; ValueError names a field that cannot be read.

        Panes not mounted yet (Lazy) contribute `loaded`'s values.
        """
        method = self.url_bar.method
        body_editor = mounted(self, BodyEditor)
        body = body_editor.body() if body_editor else loaded.body
        if (
            body is not None
            and method not in BODY_METHODS
            and loaded.body is None
            and not (body.text or body.fields)
        ):
            body = None
        auth_editor = mounted(self, AuthEditor)
        auth = auth_editor.auth() if auth_editor else loaded.auth
        request = replace(
            loaded, method=method, url=self.url_bar.url, headers=self.headers.pairs, body=body, auth=auth
        )
        options = mounted(self, OptionsForm)
        return options.apply(request) if options is not None else request

    async def show_placeholders(
        self, names: list[str], values: dict[str, str | None], typed: set[str]
    ) -> None:
        """What each placeholder resolves to; the tab's label counts the unknown ones."""
        panel = mounted(self, PlaceholdersPanel)
        if panel is not None:
            await panel.show(names, values, typed)
        unknown = sum(1 for name in names if values.get(name) is None)
        self.tabs.get_tab("tab-placeholders").label = (
            f"Placeholders ({unknown} unknown)" if unknown else "Placeholders"
        )

    async def body_editor(self) -> BodyEditor:
        """The Body tab's editor (waiting for it if it is still being mounted)."""
        return await part(self, BodyEditor)

    def show_body(self) -> None:
        """Bring the Body tab forward (the body just changed from outside)."""
        self.tabs.display = True
        self.tabs.active = "tab-body"

    def show_title(self, title: str) -> None:
        self.url_bar.border_title = title

    def show_environment(self, environment: Environment | None) -> None:
        """The active environment, always on screen (f8 switches); a protected one in warning colours."""
        if environment is None:
            self.url_bar.border_subtitle = Text("env: none (f8)", style="dim")
        elif environment.protected:
            self.url_bar.border_subtitle = Text(
                f" env: {environment.name} · PROTECTED ", style="bold black on yellow"
            )
        else:
            self.url_bar.border_subtitle = Text(f"env: {environment.name}", style="bold")
        self.url_bar.set_class(environment is not None and environment.protected, "protected")

    def toggle_tabs(self) -> bool:
        """Show or hide the request tabs (more room for the response); True if focus was in them."""
        self.tabs.display = not self.tabs.display
        return not self.tabs.display and self.tabs.has_focus_within

    @on(UrlBar.MethodChanged)
    def _method(self, event: UrlBar.MethodChanged) -> None:
        self._show_body_tab(event.method)  # the event goes on up: the screen refreshes what depends on it

    def _show_body_tab(self, method: str) -> None:
        if method in BODY_METHODS:
            self.tabs.show_tab("tab-body")
        else:
            self.tabs.hide_tab("tab-body")
