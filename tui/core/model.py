"""The webhook module as values: what a profile holds, independent of TOML and of Textual.

Frozen dataclasses: the app edits a module with `dataclasses.replace`, so a module
seen by a worker can never change under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.catalogue import published_name

METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "HEAD", "DELETE")
BODY_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH"})
CONTENT_TYPES: tuple[str, ...] = ("json", "xml", "form", "multipart", "text", "file", "graphql")
TEXT_BODIES: frozenset[str] = frozenset({"json", "xml", "text"})
FIELD_BODIES: frozenset[str] = frozenset({"form", "multipart"})
SYSTEM_TRUST = "system"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Body:
    """A request body. Which attributes count depends on `content_type`:

    `text` for json, xml and text; `fields` for form and multipart; `file` (a path relative
    to the profile) for file; `query` and `variables` (JSON text) for graphql.
    """

    content_type: str = "json"
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    file: str = ""
    query: str = ""
    variables: str = ""

    def template_texts(self) -> list[str]:
        """The texts of this body that rendering fills."""
        if self.content_type in TEXT_BODIES:
            return [self.text]
        if self.content_type == "file":
            return [self.file]
        if self.content_type == "graphql":
            return [self.query, self.variables]
        return [value for _, value in self.fields]


@dataclass(frozen=True)
class Auth:
    """`[request.auth]`: a scheme and its values as written (placeholders allowed).

    Which keys each scheme takes, and which of them are secrets, is `tui.core.auth`'s business.
    """

    type: str
    values: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str], ...] = ()  # oauth2: extra form fields of the token request

    def get(self, key: str, default: str = "") -> str:
        """One value as written, or `default`."""
        return next((value for name, value in self.values if name == key), default)


@dataclass(frozen=True)
class Request:
    """Everything needed to build the HTTP request, before `{{placeholders}}` are filled."""

    method: str = "GET"
    url: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: Body | None = None
    timeout: float = DEFAULT_TIMEOUT
    log_request_body: bool = False
    log_response_body: bool = True
    success_statuses: tuple[int, ...] | None = None
    follow_redirects: bool = True
    verify_tls: bool | str = True
    fail_on_missing: bool = False
    auth: Auth | None = None
    client_cert: str = ""
    client_key: str = ""
    client_key_password: str = ""
    proxy: str = ""

    def is_success_status(self, status: int) -> bool:
        """2xx unless the profile lists its own success statuses."""
        if self.success_statuses is None:
            return 200 <= status <= 299
        return status in self.success_statuses

    @property
    def sends_body(self) -> bool:
        """Only POST, PUT and PATCH carry a body; a body on other methods is kept but not sent."""
        return self.method in BODY_METHODS and self.body is not None

    def template_texts(self) -> list[str]:
        """Every text that rendering fills: URL, headers, the body that is sent, TLS and proxy."""
        texts = [self.url, *(part for pair in self.headers for part in pair)]
        if self.sends_body and self.body is not None:
            texts.extend(self.body.template_texts())
        if self.auth is not None:
            texts.extend(value for _, value in (*self.auth.values, *self.auth.params))
        texts += [self.client_cert, self.client_key, self.client_key_password, self.proxy]
        if isinstance(self.verify_tls, str):
            texts.append(self.verify_tls)
        return [text for text in texts if text]


@dataclass(frozen=True)
class SetVariable:
    """One Set Variables row: read `name` (a dot path) from the response into a target."""

    name: str
    type: str = "variable"
    target: str = ""

    @property
    def publishes(self) -> str:
        """The placeholder this row fills for later steps, e.g. `source.email`."""
        return published_name(self.type, self.target)


@dataclass(frozen=True)
class Module:
    """A webhook module: request, response mapping, failure variable and routes."""

    name: str = "Untitled"
    description: str = ""
    request: Request = field(default_factory=Request)
    set_variables: tuple[SetVariable, ...] = ()
    failure_variable: str | None = None
    failure_value: str | None = None
    route_success: str | None = None
    route_failure: str | None = None
    expect: str | None = None
    variables: tuple[tuple[str, str], ...] = ()


def parse_statuses(text: str) -> tuple[int, ...] | None:
    """`"200-299"` → None (the default); `"200, 201, 404"` or `"200-204, 404"` → a tuple.

    Raises ValueError with a readable message for anything else.
    """
    text = text.strip()
    if not text or text.replace(" ", "") == "200-299":
        return None
    statuses: list[int] = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        low, dash, high = part.partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise ValueError(f"success statuses: {part!r} is not a status or a range like 200-204") from None
        if not (100 <= first <= last <= 599):
            raise ValueError(f"success statuses: {part!r} is outside 100–599")
        statuses.extend(range(first, last + 1))
    return tuple(dict.fromkeys(statuses))


def format_statuses(statuses: tuple[int, ...] | None) -> str:
    """The inverse of `parse_statuses`, folding consecutive codes into ranges."""
    if statuses is None:
        return "200-299"
    parts: list[str] = []
    run: list[int] = []
    for status in sorted(statuses) + [10_000]:
        if run and status != run[-1] + 1:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
            run = []
        run.append(status)
    return ", ".join(parts)
