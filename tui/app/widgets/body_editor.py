"""The request body: content type, then the editor its type needs — text (json, xml, text),
fields (form, multipart), a file path (file), or a query and its variables (graphql).

No tree-sitter: `TextArea(language=…)` segfaults with tree-sitter 0.26 on JSON, so the
editor is plain text and the body is checked for well-formedness when it is sent.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, TextArea

from tui.app.widgets.key_values import KeyValueEditor
from tui.core.model import CONTENT_TYPES, FIELD_BODIES, TEXT_BODIES, Body

_HINTS = {
    "multipart": "multipart: a value @path/to/file attaches that file (relative to the profile)",
    "text": "text: sent as is; Content-Type text/plain unless a header sets it",
    "file": "file: the whole file is sent, streamed; Content-Type from the name unless a header sets it",
    "graphql": "graphql: the query above, its variables (a JSON object) below",
}


class BodyEditor(Vertical):
    """Posts `Changed` when the content type, text or fields change."""

    class Changed(Message):
        """The body changed."""

    def __init__(self, body: Body | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = body or Body()

    def compose(self) -> ComposeResult:
        body = self._initial
        with Horizontal(classes="body-type-row"):
            yield Label("Content type")
            yield Select(
                [(c, c) for c in CONTENT_TYPES],
                value=body.content_type,
                allow_blank=False,
                id="content-type",
                compact=True,
            )
        yield TextArea(
            body.text, id="body-text", soft_wrap=False, show_line_numbers=True, tab_behavior="indent"
        )
        yield KeyValueEditor(
            body.fields, placeholders=("field", "value, or @file to attach"), id="body-fields"
        )
        yield Input(body.file, placeholder="path/to/file (relative to the profile)", id="body-file")
        yield TextArea(
            body.query, id="body-query", soft_wrap=False, show_line_numbers=True, tab_behavior="indent"
        )
        yield TextArea(
            body.variables,
            id="body-variables",
            soft_wrap=False,
            show_line_numbers=True,
            tab_behavior="indent",
        )
        yield Label("", id="body-hint")

    def on_mount(self) -> None:
        self._show_for(self._initial.content_type)

    @property
    def content_type(self) -> str:
        return str(self.query_one("#content-type", Select).value)

    @property
    def text(self) -> str:
        """The text typed: a graphql body's query, else the JSON, XML or plain text (not fields)."""
        return self._text_area().text

    def replace_text(self, text: str) -> None:
        """Put `text` where `text` came from, as an edit (ctrl+z undoes it), e.g. from $EDITOR."""
        area = self._text_area()
        area.replace(text, (0, 0), area.document.end)

    def _text_area(self) -> TextArea:
        return self.query_one("#body-query" if self.content_type == "graphql" else "#body-text", TextArea)

    def body(self) -> Body:
        """Every part is kept whatever the type, so trying another type loses nothing."""
        return Body(
            content_type=self.content_type,
            text=self.query_one("#body-text", TextArea).text,
            fields=self.query_one("#body-fields", KeyValueEditor).pairs,
            file=self.query_one("#body-file", Input).value,
            query=self.query_one("#body-query", TextArea).text,
            variables=self.query_one("#body-variables", TextArea).text,
        )

    async def load(self, body: Body | None) -> None:
        body = body or Body()
        self.query_one("#content-type", Select).value = body.content_type
        self.query_one("#body-text", TextArea).load_text(body.text)
        await self.query_one("#body-fields", KeyValueEditor).load(body.fields)
        self.query_one("#body-file", Input).value = body.file
        self.query_one("#body-query", TextArea).load_text(body.query)
        self.query_one("#body-variables", TextArea).load_text(body.variables)
        self._show_for(body.content_type)

    def _show_for(self, content_type: str) -> None:
        shown = {
            "#body-text": content_type in TEXT_BODIES,
            "#body-fields": content_type in FIELD_BODIES,
            "#body-file": content_type == "file",
            "#body-query": content_type == "graphql",
            "#body-variables": content_type == "graphql",
        }
        for selector, display in shown.items():
            self.query_one(selector).display = display
        self.query_one("#body-hint", Label).update(_HINTS.get(content_type, ""))

    @on(Select.Changed, "#content-type")
    def _type(self, event: Select.Changed) -> None:
        event.stop()
        self._show_for(str(event.value))
        self.post_message(self.Changed())

    @on(TextArea.Changed)
    @on(KeyValueEditor.Changed)
    @on(Input.Changed, "#body-file")
    def _edited(self, event: TextArea.Changed | KeyValueEditor.Changed | Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
