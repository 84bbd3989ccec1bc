"""Profiles: one TOML file a module. Reading, validation with precise messages, and saving.

`read_module` uses the stdlib `tomllib` (fast; the headless commands never write back).
`load_profile` keeps the file's text; its tomlkit document (parsed on first use, as tomlkit
costs ~10x tomllib) lets `save_profile` write a person's comments, key order and unknown
keys back untouched. Every write is atomic.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.auth import auth_schema, parse_auth
from tui.core.catalogue import target_problem
from tui.core.checks import FREE, Checker, Schema, kind_of
from tui.core.errors import ProfileError
from tui.core.files import atomic_write_text
from tui.core.model import CONTENT_TYPES, METHODS, Body, Module, Request, SetVariable

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

EXPECTS = ("success", "failure")


@dataclass
class Profile:
    """A module together with the file it came from and its editable TOML document."""

    path: Path
    module: Module
    text: str = ""
    warnings: tuple[str, ...] = ()
    _document: TOMLDocument | None = field(default=None, repr=False)

    @property
    def document(self) -> TOMLDocument:
        """The comment-preserving document of `text`, parsed when first needed (at save)."""
        if self._document is None:
            import tomlkit

            self._document = tomlkit.parse(self.text)
        return self._document


def file_stem_for(name: str) -> str:
    """The file stem a profile named `name` is saved under: `Subscriber lookup` → `subscriber-lookup`."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
    return stem or "module"


def read_text(path: Path) -> str:
    """The profile's text, with file-system problems turned into a ProfileError."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: no such profile file") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not a UTF-8 text file ({exc.reason})") from exc
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def read_module(path: Path) -> Module:
    """Read and validate a profile with the fast stdlib parser (nothing is written back)."""
    return load_profile(path).module


def load_profile(path: Path) -> Profile:
    """Read a profile for editing: the module plus the text its document is parsed from."""
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: invalid TOML: {exc}") from exc
    module = module_from_data(data, source=str(path), text=text, default_name=Path(path).stem)
    warnings = unknown_key_warnings(data, source=str(path), text=text)
    return Profile(path=Path(path), module=module, text=text, warnings=warnings)


def save_profile(path: Path, module: Module, document: TOMLDocument | None = None) -> TOMLDocument:
    """Write `module` to `path` atomically, editing `document` in place when given.

    Keys the module does not model, comments and layout of `document` are kept.
    Returns the document that was written, for the next save.
    """
    text, doc = profile_text(module, document)
    try:
        atomic_write_text(Path(path), text)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except UnicodeError as exc:
        raise ProfileError(f"{path!r}: cannot write: {exc}") from exc
    return doc


def profile_text(module: Module, document: TOMLDocument | None = None) -> tuple[str, TOMLDocument]:
    """The text `save_profile` writes for `module`, and the document it came from.

    `document` is edited in place (pass a copy to leave it alone); None starts a fresh one.
    """
    import tomlkit

    from tui.core.profile_writer import apply_module

    doc = document if document is not None else tomlkit.document()
    fresh = "request" not in doc  # written from scratch: hookbench owns the layout
    apply_module(doc, module)
    text = tomlkit.dumps(doc)
    return (_space_tables(text) if fresh else text), doc


def _space_tables(text: str) -> str:
    """A blank line before each table header of a file hookbench wrote from scratch."""
    lines = text.splitlines()
    spaced: list[str] = []
    for line in lines:
        if line.startswith("[") and spaced and spaced[-1].strip() and not spaced[-1].startswith("#"):
            spaced.append("")
        spaced.append(line)
    return "\n".join(spaced) + "\n"


# --- validation -------------------------------------------------------------------------

PROFILE_KEYS: Schema = {
    "name": None,
    "description": None,
    "request": {
        **dict.fromkeys(
            (
                "method url timeout log_request_body log_response_body success_statuses follow_redirects"
                " verify_tls fail_on_missing client_cert client_key client_key_password proxy"
            ).split()
        ),
        "headers": FREE,
        "body": {**dict.fromkeys("content_type text file query variables".split()), "fields": FREE},
        "auth": auth_schema,
    },
    "set_variables": [dict.fromkeys(("name", "type", "target"))],
    "on_failure": dict.fromkeys(("variable", "value")),
    "routes": dict.fromkeys(("success", "failure", "expect")),
    "variables": FREE,
}
"""Every key a profile may hold; others are kept on save but named in a warning."""


def unknown_key_warnings(data: Mapping[str, Any], *, source: str, text: str = "") -> tuple[str, ...]:
    """One warning per key hookbench does not know, with its line and the nearest known key."""
    check = Checker(source, text)
    check.unknown_keys(data, PROFILE_KEYS)
    return tuple(check.warnings)


def module_from_data(
    data: Mapping[str, Any], *, source: str, text: str = "", default_name: str = "Untitled"
) -> Module:
    """Validate parsed TOML into a Module; every problem is a ProfileError naming its key."""
    check = Checker(source, text)
    request = _request(check, check.table(data, "request", "request"))
    rows = _set_variables(check, data.get("set_variables", []))
    on_failure = check.table(data, "on_failure", "on_failure")
    routes = check.table(data, "routes", "routes")
    expect = check.string(routes, "expect", "routes.expect")
    if expect is not None and expect not in EXPECTS:
        raise check.fail("routes.expect", f"must be 'success' or 'failure', not {expect!r}")
    return Module(
        name=_optional_name(check, data, "name", "name") or default_name,
        description=check.string(data, "description", "description", "") or "",
        request=request,
        set_variables=rows,
        failure_variable=_optional_name(check, on_failure, "variable", "on_failure.variable"),
        failure_value=check.string(on_failure, "value", "on_failure.value"),
        route_success=_optional_name(check, routes, "success", "routes.success"),
        route_failure=_optional_name(check, routes, "failure", "routes.failure"),
        expect=expect,
        variables=check.flat_values(check.table(data, "variables", "variables"), "variables"),
    )


def _optional_name(check: Checker, data: Mapping[str, Any], key: str, dotted: str) -> str | None:
    """A string naming something (a variable, a profile): one line of printable text, if given."""
    value = check.string(data, key, dotted)
    return check.name(value, dotted) if value is not None else None


def _request(check: Checker, data: Mapping[str, Any]) -> Request:
    method = check.string(data, "method", "request.method", "GET") or "GET"
    if method.upper() not in METHODS:
        raise check.fail("request.method", f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    url = check.string(data, "url", "request.url")
    if not url:
        raise check.fail("request.url", "is missing; every module needs a URL")
    timeout = data.get("timeout", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise check.fail("request.timeout", f"must be a positive number of seconds, not {timeout!r}")
    statuses = data.get("success_statuses")
    if statuses is not None:
        if not isinstance(statuses, list) or not all(
            isinstance(s, int) and not isinstance(s, bool) and 100 <= s <= 599 for s in statuses
        ):
            raise check.fail("request.success_statuses", "must be a list of HTTP status codes (100–599)")
        statuses = tuple(statuses)
    return Request(
        method=method.upper(),
        url=url,
        headers=check.string_table(data, "headers", "request.headers"),
        body=_body(check, data.get("body")),
        timeout=float(timeout),
        log_request_body=check.boolean(data, "log_request_body", "request.log_request_body", False),
        log_response_body=check.boolean(data, "log_response_body", "request.log_response_body", True),
        success_statuses=statuses,
        follow_redirects=check.boolean(data, "follow_redirects", "request.follow_redirects", True),
        verify_tls=_verify_tls(check, data.get("verify_tls", True)),
        fail_on_missing=check.boolean(data, "fail_on_missing", "request.fail_on_missing", False),
        auth=parse_auth(data["auth"], fail=check.fail) if "auth" in data else None,
        client_cert=check.string(data, "client_cert", "request.client_cert", "") or "",
        client_key=check.string(data, "client_key", "request.client_key", "") or "",
        client_key_password=check.string(data, "client_key_password", "request.client_key_password", "")
        or "",
        proxy=check.string(data, "proxy", "request.proxy", "") or "",
    )


def _verify_tls(check: Checker, value: object) -> bool | str:
    """true, false, "system" (the operating system's trust store) or a CA bundle path."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise check.fail(
        "request.verify_tls",
        f'must be true, false, "system" or the path of a CA bundle, not {kind_of(value) if not isinstance(value, str) else "an empty string"}',
    )


def _body(check: Checker, data: object) -> Body | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise check.fail("request.body", f"must be a table, not {kind_of(data)}")
    content_type = check.string(data, "content_type", "request.body.content_type", "json") or "json"
    if content_type not in CONTENT_TYPES:
        raise check.fail(
            "request.body.content_type",
            f"unknown content type {content_type!r}; expected one of {', '.join(CONTENT_TYPES)}",
        )
    return Body(
        content_type=content_type,
        text=check.string(data, "text", "request.body.text", "") or "",
        fields=check.string_table(data, "fields", "request.body.fields"),
        file=check.string(data, "file", "request.body.file", "") or "",
        query=check.string(data, "query", "request.body.query", "") or "",
        variables=check.string(data, "variables", "request.body.variables", "") or "",
    )


def _set_variables(check: Checker, rows: object) -> tuple[SetVariable, ...]:
    if not isinstance(rows, list):
        raise check.fail("set_variables", "must be an array of tables ([[set_variables]])")
    result = []
    for index, row in enumerate(rows):
        key = f"set_variables[{index}]"
        if not isinstance(row, Mapping):
            raise check.fail(key, f"must be a table, not {kind_of(row)}")
        name = check.string(row, "name", f"{key}.name")
        if not name:
            raise check.fail(f"{key}.name", "is missing; give the dot path to read, e.g. users.0.title")
        kind = check.string(row, "type", f"{key}.type", "variable") or "variable"
        target = check.string(row, "target", f"{key}.target")
        if not target:
            raise check.fail(f"{key}.target", "is missing; name the variable that receives the value")
        problem = target_problem(kind, check.name(target, f"{key}.target"))
        if problem:
            raise check.fail(f"{key}.type" if "type" in problem[:12] else f"{key}.target", problem)
        result.append(SetVariable(name=name, type=kind, target=target))
    return tuple(result)
