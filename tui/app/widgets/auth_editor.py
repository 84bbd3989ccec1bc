"""The Auth tab: pick a scheme (or none) and fill its fields; credentials are masked as typed.

Which fields a scheme has, and which are credentials, comes from `tui.core.auth`; this widget
only lays them out. Values typed for one scheme stay while another is tried (username and
password carry over from basic to digest). Posts `Changed` on any edit.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select

from tui.app.widgets.key_values import KeyValueEditor
from tui.core.auth import (
    AUTH_KEYS,
    AUTH_TYPES,
    CHOICES,
    DEFAULTS,
    REQUIRED,
    auth_problem,
    editable_keys,
    is_secret_key,
)
from tui.core.model import Auth

NONE = "none"
LABELS = {
    "username": "Username",
    "password": "Password",
    "token": "Token",
    "name": "Name",
    "value": "Value",
    "in": "In",
    "grant": "Grant",
    "token_url": "Token URL",
    "client_id": "Client id",
    "client_secret": "Client secret",
    "scope": "Scope",
    "audience": "Audience",
    "refresh_token": "Refresh token",
    "client_auth": "Client auth",
}
HINTS = {
    "name": "header or query parameter, e.g. X-API-Key",
    "token_url": "https://…/oauth/token",
    "scope": "optional",
    "audience": "optional",
}
HELP = (
    "Values may hold {{placeholders}}; {{env.NAME}} keeps a secret out of the profile. "
    "Credentials are masked as you type."
)


class AuthField(Horizontal):
    """One key of the scheme: a choice (Select) or a text (Input, masked for credentials)."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(classes="option-row auth-row")
        self.key = key
        self._initial = value

    def compose(self) -> ComposeResult:
        yield Label(LABELS.get(self.key, self.key))
        if self.key in CHOICES:
            options = [(choice, choice) for choice in CHOICES[self.key]]
            value = self._initial if self._initial in CHOICES[self.key] else DEFAULTS[self.key]
            yield Select(options, value=value, allow_blank=False, compact=True, classes="auth-value")
        else:
            secret = is_secret_key(self.key)
            hint = HINTS.get(self.key) or ("the secret, or {{env.NAME}}" if secret else "")
            yield Input(self._initial, password=secret, placeholder=hint, compact=True, classes="auth-value")

    @property
    def value(self) -> str:
        """What the row holds (its initial value until it is composed)."""
        if not self.query(".auth-value"):
            return self._initial
        widget = self.query_one(".auth-value")
        if isinstance(widget, Select):
            return str(widget.value)
        assert isinstance(widget, Input)
        return widget.value


class AuthEditor(VerticalScroll):
    """`auth()` gives the table as the fields hold it (None for no auth)."""

    can_focus = False  # its rows take focus; the container itself would be an invisible stop

    class Changed(Message):
        """The scheme or a value changed."""

    def __init__(self, auth: Auth | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = auth
        self._remember(auth)
        self.fields = Vertical(id="auth-fields")
        self.params = KeyValueEditor(
            auth.params if auth else (), placeholders=("field", "value"), id="auth-params"
        )

    def _remember(self, auth: Auth | None) -> None:
        self._loaded = auth
        self._values: dict[str, str] = dict(auth.values) if auth else {}
        self._built: tuple[str, ...] | None = None  # the keys the rows show now

    def compose(self) -> ComposeResult:
        with Horizontal(classes="option-row"):
            yield Label("Type")
            yield Select(
                [(NONE, NONE), *((kind, kind) for kind in AUTH_TYPES)],
                value=self._initial.type if self._initial else NONE,
                allow_blank=False,
                compact=True,
                id="auth-type",
            )
        yield self.fields
        yield Label("Extra token request fields ([request.auth.params])", id="auth-params-label")
        yield self.params
        yield Label(HELP, id="auth-help")

    async def on_mount(self) -> None:
        await self._build()

    @property
    def kind(self) -> str:
        return str(self.query_one("#auth-type", Select).value)

    async def load(self, auth: Auth | None) -> None:
        """Show another module's auth."""
        self._remember(auth)
        with self.prevent(Select.Changed):
            self.query_one("#auth-type", Select).value = auth.type if auth else NONE
        await self.params.load(auth.params if auth else ())
        self._built = None  # the values changed too
        await self._build()

    def auth(self) -> Auth | None:
        """The table as typed; ValueError names a field that is missing or wrong.

        Keys the file had are kept as they were, so loading and saving an untouched profile
        changes nothing; optional ones left empty are left out.
        """
        kind = self.kind
        if kind == NONE:
            return None
        self._read_fields()
        loaded = dict(self._loaded.values) if self._loaded and self._loaded.type == kind else {}
        grant = self._values.get("grant", DEFAULTS["grant"])
        shown = editable_keys(kind, grant)
        values = []
        for key in AUTH_KEYS[kind]:
            value = self._values.get(key, "")
            if key not in shown:  # another grant's key: kept only as the file had it
                if key in loaded and grant == loaded.get("grant", DEFAULTS["grant"]):
                    values.append((key, loaded[key]))
            elif key in REQUIRED[kind] or key in loaded:
                values.append((key, value))
            elif value and value != DEFAULTS.get(key):
                values.append((key, value))
        params = self.params.pairs if kind == "oauth2" else ()
        auth = Auth(kind, tuple(values), params)
        problem = auth_problem(auth)
        if problem is not None:
            raise ValueError(f"auth {LABELS.get(problem[0], problem[0]).lower()}: {problem[1]}")
        return auth

    def _read_fields(self) -> None:
        if self._built is None:  # the rows still hold a previous module's values
            return
        for field in self.query(AuthField):
            self._values[field.key] = field.value

    async def _build(self) -> None:
        """One row per key of the chosen scheme (and grant); nothing to do when those are shown."""
        self._read_fields()
        kind = self.kind
        keys = () if kind == NONE else editable_keys(kind, self._values.get("grant", DEFAULTS["grant"]))
        if keys == self._built:
            return
        self._built = keys
        await self.fields.remove_children()
        await self.fields.mount_all([AuthField(key, self._values.get(key, "")) for key in keys])
        for widget in (self.params, self.query_one("#auth-params-label")):
            widget.display = kind == "oauth2"

    @on(Select.Changed)
    async def _choice(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "auth-type" or (
            isinstance(event.select.parent, AuthField) and event.select.parent.key == "grant"
        ):
            await self._build()
        self.post_message(self.Changed())

    @on(Input.Changed)
    @on(KeyValueEditor.Changed)
    def _typed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())
