"""The request body: content type, a plain text editor (json/xml) or a fields editor (form/multipart).

No tree-sitter: `TextArea(language=…)` segfaults with tree-sitter 0.26 on JSON, so the
editor is plain text and the body is checked for well-formedness when it is sent.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Select, TextArea

from tui.app.widgets.key_values import KeyValueEditor
from tui.core.model import CONTENT_TYPES, Body


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
        yield Label("", id="body-hint")

    def on_mount(self) -> None:
        self._show_for(self._initial.content_type)

    @property
    def content_type(self) -> str:
        return str(self.query_one("#content-type", Select).value)

    @property
    def text(self) -> str:
        """The JSON or XML text typed (form fields are not in it)."""
        return self.query_one("#body-text", TextArea).text

    def replace_text(self, text: str) -> None:
        """Put `text` in the editor as an edit (ctrl+z undoes it), e.g. from $EDITOR."""
        area = self.query_one("#body-text", TextArea)
        area.replace(text, (0, 0), area.document.end)

    def body(self) -> Body:
        return Body(
            content_type=self.content_type,
            text=self.query_one("#body-text", TextArea).text,
            fields=self.query_one("#body-fields", KeyValueEditor).pairs,
        )

    async def load(self, body: Body | None) -> None:
        body = body or Body()
        self.query_one("#content-type", Select).value = body.content_type
        self.query_one("#body-text", TextArea).load_text(body.text)
        await self.query_one("#body-fields", KeyValueEditor).load(body.fields)
        self._show_for(body.content_type)

    def _show_for(self, content_type: str) -> None:
        textual_body = content_type in ("json", "xml")
        self.query_one("#body-text").display = textual_body
        self.query_one("#body-fields").display = not textual_body
        hint = (
            "multipart: a value @path/to/file attaches that file (relative to the profile)"
            if content_type == "multipart"
            else ""
        )
        self.query_one("#body-hint", Label).update(hint)

    @on(Select.Changed, "#content-type")
    def _type(self, event: Select.Changed) -> None:
        event.stop()
        self._show_for(str(event.value))
        self.post_message(self.Changed())

    @on(TextArea.Changed)
    @on(KeyValueEditor.Changed)
    def _edited(self, event: TextArea.Changed | KeyValueEditor.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
