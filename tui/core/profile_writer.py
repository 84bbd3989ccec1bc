"""Write a Module into a tomlkit document, touching only what changed.

Values that did not change are left as they are (with their formatting and comments);
keys the module does not model are never removed; defaults are written only where the
file already had the key, so a saved profile stays as short as its author wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import tomlkit
from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import AoT, Table

from tui.core.auth import AUTH_KEYS
from tui.core.model import DEFAULT_TIMEOUT, Auth, Module, Request

Container = Any  # a tomlkit document or table; both behave as MutableMapping
KNOWN_AUTH_KEYS = frozenset(key for keys in AUTH_KEYS.values() for key in keys)


def apply_module(doc: Container, module: Module) -> None:
    """Bring `doc` in line with `module`, in place."""
    _put(doc, "name", module.name)
    _put_optional(doc, "description", module.description or None)
    _apply_request(_table(doc, "request"), module.request)
    _apply_rows(doc, module)
    on_failure = _table(doc, "on_failure") if module.failure_variable or "on_failure" in doc else None
    if on_failure is not None:
        _put_optional(on_failure, "variable", module.failure_variable)
        _put_optional(on_failure, "value", module.failure_value)
    if module.route_success or module.route_failure or module.expect or "routes" in doc:
        routes = _table(doc, "routes")
        _put_optional(routes, "success", module.route_success)
        _put_optional(routes, "failure", module.route_failure)
        _put_optional(routes, "expect", module.expect)
    _apply_variables(doc, module.variables)


def _apply_request(table: Container, request: Request) -> None:
    _put(table, "method", request.method)
    _put(table, "url", request.url)
    if "timeout" in table or request.timeout != DEFAULT_TIMEOUT:
        _put(table, "timeout", request.timeout)
    for key, value, default in (
        ("log_request_body", request.log_request_body, False),
        ("log_response_body", request.log_response_body, True),
    ):
        if key in table or value != default:
            _put(table, key, value)
    _put_optional(
        table,
        "success_statuses",
        list(request.success_statuses) if request.success_statuses is not None else None,
    )
    switches: tuple[tuple[str, bool | str, bool], ...] = (
        ("follow_redirects", request.follow_redirects, True),
        ("verify_tls", request.verify_tls, True),
        ("fail_on_missing", request.fail_on_missing, False),
    )
    for key, setting, default in switches:
        if key in table or setting != default:
            _put(table, key, setting)
    for key in ("client_cert", "client_key", "client_key_password", "proxy"):
        _put_optional(table, key, getattr(request, key) or None)
    if request.headers or "headers" in table:
        _sync_pairs(_table(table, "headers"), request.headers)
    if request.auth is not None or "auth" in table:
        _apply_auth(table, request.auth)
    if request.body is None:
        if "body" in table:
            del table["body"]
        return
    body = _table(table, "body")
    _put(body, "content_type", request.body.content_type)
    if request.body.text or "text" in body:
        if _plain(body.get("text")) != request.body.text:
            body["text"] = tomlkit.string(request.body.text, multiline="\n" in request.body.text)
    if request.body.fields or "fields" in body:
        _sync_pairs(_table(body, "fields"), request.body.fields)
    _put_optional(body, "file", request.body.file or None)
    for key in ("query", "variables"):
        text = getattr(request.body, key)
        if not text:
            _put_optional(body, key, None)
        elif _plain(body.get(key)) != text:
            body[key] = tomlkit.string(text, multiline="\n" in text)


def _apply_auth(request: Container, auth: Auth | None) -> None:
    """`[request.auth]` and `[request.auth.params]`; keys no scheme knows are kept."""
    if auth is None:
        del request["auth"]
        return
    table = _table(request, "auth")
    # Another scheme's keys go when the type changes; otherwise they are kept like any unknown key.
    ours = KNOWN_AUTH_KEYS if _plain(table.get("type")) != auth.type else frozenset(AUTH_KEYS[auth.type])
    wanted = dict(auth.values)
    dropped = [k for k in table if k in ours and k not in wanted]
    if isinstance(table, OutOfOrderTableProxy) and (dropped or ("params" in table and not auth.params)):
        # Dotted keys (`auth.type = …` under [request]): tomlkit cannot delete from those,
        # so the table is written afresh, keeping the keys hookbench does not know.
        kept = {k: v for k, v in table.unwrap().items() if k not in ours and k != "params"}
        del request["auth"]
        table = request["auth"] = tomlkit.table()
        table.update(kept)
        dropped = []
    _put(table, "type", auth.type)
    for key in dropped:
        del table[key]
    for key, value in wanted.items():
        _put(table, key, value)
    if auth.params:
        _sync_pairs(_table(table, "params"), auth.params)
    elif "params" in table:
        del table["params"]


def _apply_rows(doc: Container, module: Module) -> None:
    rows = module.set_variables
    existing = doc.get("set_variables")
    if not rows and existing is None:
        return
    if not isinstance(existing, AoT):
        existing = tomlkit.aot()
        doc["set_variables"] = existing
    for index, row in enumerate(rows):
        added = index >= len(existing)
        if added:
            existing.append(tomlkit.table())
        table = existing[index]
        _put(table, "name", row.name)
        _put(table, "type", row.type)
        _put(table, "target", row.target)
        if added:
            table.add(tomlkit.nl())  # a blank line before whatever table follows
    while len(existing) > len(rows):
        del existing[len(existing) - 1]
    if not rows:
        del doc["set_variables"]


def _apply_variables(doc: Container, variables: tuple[tuple[str, str], ...]) -> None:
    """Sync `[variables]` entry by entry, so comments on the others survive.

    A dotted name is found where the file has it: as a quoted key (`"source.email"`) or
    inside a nested table (`[variables.source] email`); a new name is added as a quoted key.
    """
    wanted = dict(variables)
    current = doc.get("variables")
    if current is None:
        if wanted:
            _sync_pairs(_table(doc, "variables"), variables)
        return
    for name in [n for n in _flatten(_plain(current)) if n not in wanted]:
        table, key = _locate(current, name)
        if table is not None:
            del table[key]
    for name, value in wanted.items():
        table, key = _locate(current, name)
        if table is None:
            current[name] = value
        elif _plain(table[key]) != value:
            table[key] = value


def _locate(table: Container, name: str) -> tuple[Container | None, str]:
    """The table holding `name` and its key there, or (None, name) when it is not in the file."""
    if name in table and not isinstance(table[name], (Table, dict)):
        return table, name
    head, dot, rest = name.partition(".")
    if dot and head in table and isinstance(table[head], (Table, dict)):
        return _locate(table[head], rest)
    return None, name


def _flatten(data: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, bool):
            flat[f"{prefix}{key}"] = "true" if value else "false"
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


def _table(parent: Container, key: str) -> Container:
    if key not in parent or not isinstance(parent[key], (Table, dict)):
        parent[key] = tomlkit.table()
    return parent[key]


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _put(table: Container, key: str, value: Any) -> None:
    """Assign only when the value differs, so unchanged lines keep their formatting."""
    if key not in table or _plain(table[key]) != value:
        table[key] = value


def _put_optional(table: Container, key: str, value: Any) -> None:
    if value is None:
        if key in table:
            del table[key]
    else:
        _put(table, key, value)


def _sync_pairs(table: Container, pairs: Iterable[tuple[str, str]]) -> None:
    wanted = dict(pairs)
    for key in [k for k in table if k not in wanted]:
        del table[key]
    for key, value in wanted.items():
        _put(table, key, value)
