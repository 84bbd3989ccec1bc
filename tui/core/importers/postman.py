"""Postman collections (format v2.0 and v2.1) and environments → modules plus a report.

Folders become sub-folders and each request a profile. Postman's `{{var}}` is hookbench's own
syntax, so URLs, headers and bodies keep their placeholders; `:id` path variables become
`{{id}}`. Auth follows Postman's inheritance (request → folder → collection). Variables marked
secret are referenced as `{{env.NAME}}`, their values kept for the dotenv file (unless the
caller keeps secrets literal). Pure: nothing here reads or writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from tui.core.errors import ImportSourceError, ProfileError
from tui.core.importers import DocumentImport, Imported, ImportedProfile, Skipped
from tui.core.importers.environments import ImportedEnvironment
from tui.core.importers.postman_scripts import read_scripts
from tui.core.importers.reading import load_json, slug, unique
from tui.core.model import METHODS
from tui.core.template import BUILTINS

_SCHEMA_VERSION = re.compile(r"/collection/v?(\d+)\.(\d+)")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_VALID_NAME = re.compile(r"\$?[A-Za-z_][A-Za-z0-9_.\-]*")
_PATH_VARIABLE = re.compile(r"(?<=/):([A-Za-z_][A-Za-z0-9_]*)")
_LANGUAGES = {"json": "json", "xml": "xml", "html": "text", "text": "text", "javascript": "text"}
_AUTH_TYPES = ("basic", "bearer", "apikey", "digest", "oauth2")
# Postman's names for the credentials in its auth tables (their settings stay literal).
_CREDENTIALS = frozenset(
    {"username", "password", "token", "value", "clientId", "clientSecret", "accessToken"}
)
_OAUTH_GRANTS = {"client_credentials": "client_credentials", "password_credentials": "password"}


def import_postman(
    collection: bytes,
    *,
    source: str = "collection",
    environments: Sequence[tuple[str, bytes]] = (),
    keep_secrets: bool = False,
) -> DocumentImport:
    """Read a collection (and environments, as (source, bytes) pairs) into profiles.

    ImportSourceError for anything that is not a v2.0/v2.1 collection or environment.
    """
    data = load_json(collection, source)
    _check_collection(data, source)
    info = data["info"]
    collection_name = str(info.get("name") or "collection")
    prefix = "HOOKBENCH_" + (re.sub(r"[^A-Za-z0-9]+", "_", collection_name).strip("_").upper() or "POSTMAN")
    envs = [read_environment(payload, env_source) for env_source, payload in environments]
    secret_names = {name for name, _, secret in _variables(data.get("variable")) if secret}
    for env in envs:
        secret_names.update(name for name, _ in env.secrets)
    renames = {} if keep_secrets else {name: f"env.{prefix}_{_env_suffix(name)}" for name in secret_names}
    reader = _Reader(renames=renames, prefix=None if keep_secrets else prefix)
    variables = []
    secrets: list[tuple[str, str]] = []
    for name, value, _secret in _variables(data.get("variable")):
        if name in renames:
            reader.literals[renames[name][len("env.") :]] = value
        if name in renames:
            secrets.append((renames[name][4:], value))
        else:
            variables.append((reader.name(name), value))
    reader.variables = tuple(variables)
    reader.walk(data.get("item", []), PurePosixPath(), _auth_of(data), [])
    imported = Imported(
        profiles=tuple(reader.profiles), skipped=tuple(reader.skipped), warnings=tuple(reader.warnings)
    )
    secrets += [(name, value) for name, value in reader.moved.items()]
    if not keep_secrets:
        envs = [env.with_secrets_as(renames) for env in envs]
    return DocumentImport(imported=imported, environments=tuple(envs), secrets=tuple(secrets))


def _check_collection(data: Any, source: str) -> None:
    if not isinstance(data, dict):
        raise ImportSourceError(f"{source}: not a Postman collection (a JSON object is expected)")
    if "requests" in data and "item" not in data:
        raise ImportSourceError(
            f"{source}: a Postman collection in format v1, which hookbench does not read; "
            "re-export it from Postman as Collection v2.1 (… → Export → Collection v2.1)"
        )
    info = data.get("info")
    if not isinstance(info, dict) or not isinstance(data.get("item"), list):
        raise ImportSourceError(f"{source}: not a Postman collection (no 'info' and 'item')")
    version = _SCHEMA_VERSION.search(str(info.get("schema", "")))
    if version is None or version.group(1) != "2":
        found = f"v{version.group(1)}.{version.group(2)}" if version else "an unknown format"
        raise ImportSourceError(
            f"{source}: a Postman collection in {found}; hookbench reads v2.0 and v2.1 "
            "(re-export it from Postman as Collection v2.1)"
        )


def read_environment(payload: bytes, source: str) -> ImportedEnvironment:
    """A Postman environment export: its name and values (disabled ones left out)."""
    data = load_json(payload, source)
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise ImportSourceError(f"{source}: not a Postman environment (no 'values' list)")
    name = str(data.get("name") or PurePosixPath(source).stem)
    plain: list[tuple[str, str]] = []
    secret: list[tuple[str, str]] = []
    for key, value, is_secret in _variables(data["values"]):
        (secret if is_secret else plain).append((key, value))
    return ImportedEnvironment(
        name=slug(name, "environment"), title=name, variables=tuple(plain), secrets=tuple(secret)
    )


def _variables(entries: object) -> list[tuple[str, str, bool]]:
    """(name, value, secret) of enabled variable entries; Postman's `type: secret` marks secrets."""
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("disabled") or entry.get("enabled") is False:
            continue
        key = entry.get("key", entry.get("id"))
        if not isinstance(key, str) or not key:
            continue
        found.append((key, _text(entry.get("value")), entry.get("type") == "secret"))
    return found


def _env_suffix(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or "SECRET"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _auth_of(node: Mapping[str, Any]) -> Any:
    """The node's own auth: None to inherit, else its table (`noauth` included)."""
    auth = node.get("auth")
    if not isinstance(auth, dict) or auth.get("type") in (None, "inherit"):
        return None
    return auth


def _auth_values(auth: Mapping[str, Any], kind: str) -> dict[str, str]:
    """v2.1 writes `{"basic": [{"key": …, "value": …}]}`, v2.0 `{"basic": {"username": …}}`."""
    values = auth.get(kind)
    if isinstance(values, list):
        return {str(e.get("key")): _text(e.get("value")) for e in values if isinstance(e, dict)}
    if isinstance(values, dict):
        return {str(k): _text(v) for k, v in values.items()}
    return {}


class _Reader:
    """Walks the item tree, collecting profiles, skipped requests and warnings."""

    def __init__(self, *, renames: Mapping[str, str], prefix: str | None) -> None:
        self.renames = renames
        self.prefix = prefix  # None: literal credentials stay in the profiles (--keep-secrets)
        self.literals: dict[str, str] = {}  # dotenv names taken, with their values
        self.moved: dict[str, str] = {}  # literal auth credentials moved to the dotenv file
        self.variables: tuple[tuple[str, str], ...] = ()
        self.profiles: list[ImportedProfile] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.taken: dict[PurePosixPath, set[str]] = {}

    def walk(self, items: object, folder: PurePosixPath, auth: Any, trail: list[str]) -> None:
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            title = str(item.get("name") or "request")
            if isinstance(item.get("item"), list):
                name = unique(slug(title, "folder"), self.taken.setdefault(folder, set()))
                self.walk(item["item"], folder / name, _auth_of(item) or auth, [*trail, title])
            elif "request" in item:
                self.request(item, folder, auth, " / ".join([*trail, title]))

    def name(self, name: str) -> str:
        """A Postman variable name as hookbench spells it (`my var` → `my_var`), secrets as env."""
        if name in self.renames:
            return self.renames[name]
        return name if _VALID_NAME.fullmatch(name) else re.sub(r"[^A-Za-z0-9_.\-]", "_", name) or "_"

    def text(self, value: object, notes: list[str]) -> str:
        """Placeholders respelled where needed; an unknown dynamic variable noted."""

        def respell(match: re.Match[str]) -> str:
            inner = match.group(1)
            if inner.startswith("$") and inner not in BUILTINS:
                notes.append(f"dynamic variable {{{{{inner}}}}} is not one hookbench fills")
                return "{{" + (inner if _VALID_NAME.fullmatch(inner) else self.name(inner)) + "}}"
            return "{{" + (inner if inner.startswith("$") else self.name(inner)) + "}}"

        return _PLACEHOLDER.sub(respell, _text(value))

    def credential(self, key: str, value: str) -> str:
        """A literal credential in an auth table, as an `{{env.NAME}}` reference (value kept aside)."""
        if self.prefix is None or not value or "{{" in value or key not in _CREDENTIALS:
            return value
        base = f"{self.prefix}_{_env_suffix(key)}"
        name, number = base, 1
        while self.literals.get(name, value) != value:
            number += 1
            name = f"{base}_{number}"
        self.literals[name] = value
        self.moved[name] = value
        return "{{env." + name + "}}"

    def request(self, item: Mapping[str, Any], folder: PurePosixPath, auth: Any, title: str) -> None:
        request = item["request"]
        if isinstance(request, str):
            request = {"url": request, "method": "GET"}
        if not isinstance(request, dict):
            self.skipped.append(Skipped(title, "its 'request' is not an object"))
            return
        method = str(request.get("method") or "GET").upper()
        if method not in METHODS:
            self.skipped.append(
                Skipped(title, f"method {method} is not one hookbench sends ({', '.join(METHODS)})")
            )
            return
        notes: list[str] = []
        url, defaults = self.url(request.get("url"), notes)
        if not url:
            self.skipped.append(Skipped(title, "it has no URL"))
            return
        data: dict[str, Any] = {"name": str(item.get("name") or title)}
        description = request.get("description")
        if isinstance(description, dict):
            description = description.get("content")
        if isinstance(description, str) and description.strip():
            data["description"] = description.strip()
        table: dict[str, Any] = {"method": method, "url": url}
        headers = self.headers(request.get("header"), notes)
        if headers:
            table["headers"] = headers
        body = self.body(request.get("body"), headers, notes)
        if body is not None:
            table["body"] = body
        auth_table = self.auth(_auth_of(request) or auth, notes)
        if auth_table is not None:
            table["auth"] = auth_table
        script = read_scripts(*_scripts(item))
        if script.statuses:
            table["success_statuses"] = list(dict.fromkeys(script.statuses))
        data["request"] = table
        if script.rows:
            data["set_variables"] = [
                {"name": path, "type": "variable", "target": self.name(target)}
                for path, target in script.rows
            ]
        variables = dict(self.variables)
        variables.update(defaults)
        if variables:
            data["variables"] = variables
        if script.untranslated:
            notes.append(f"{len(script.untranslated)} script line(s) not translated, kept as comments")
        self.add(data, folder, title, notes, script.untranslated)

    def add(
        self,
        data: dict[str, Any],
        folder: PurePosixPath,
        title: str,
        notes: list[str],
        comments: tuple[str, ...],
    ) -> None:
        from tui.core.profile import module_from_data

        stem = unique(slug(str(data["name"])), self.taken.setdefault(folder, set()))
        path = folder / f"{stem}.toml"
        try:
            module = module_from_data(data, source=str(path), default_name=stem)
        except ProfileError as exc:
            self.skipped.append(Skipped(title, str(exc)))
            return
        self.profiles.append(
            ImportedProfile(
                path=path, module=module, notes=(*dict.fromkeys(notes), *(f"script: {c}" for c in comments))
            )
        )

    def url(self, url: object, notes: list[str]) -> tuple[str, dict[str, str]]:
        """The URL with disabled query entries left out and `:name` path variables as `{{name}}`."""
        defaults: dict[str, str] = {}
        if isinstance(url, str):
            raw = url
        elif isinstance(url, dict):
            raw = _text(url.get("raw")) or _joined(url)
            if isinstance(url.get("query"), list):
                base = raw.split("?", 1)[0]
                pairs = [
                    f"{_text(q.get('key'))}={_text(q.get('value'))}"
                    if q.get("value") is not None
                    else _text(q.get("key"))
                    for q in url["query"]
                    if isinstance(q, dict) and not q.get("disabled")
                ]
                raw = base + ("?" + "&".join(pairs) if pairs else "")
            for variable in url.get("variable") or []:
                if isinstance(variable, dict) and variable.get("key"):
                    defaults[self.name(str(variable["key"]))] = _text(variable.get("value"))
        else:
            return "", defaults
        base, query_mark, query = raw.partition("?")
        base = _PATH_VARIABLE.sub(lambda m: "{{" + self.name(m.group(1)) + "}}", base)
        return self.text(base + query_mark + query, notes).strip(), defaults

    def headers(self, headers: object, notes: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        if isinstance(headers, str):  # v2.0 allows "Name: value\nName: value"
            headers = [
                dict(zip(("key", "value"), line.split(":", 1)))
                for line in headers.splitlines()
                if ":" in line
            ]
        for header in headers if isinstance(headers, list) else []:
            if isinstance(header, dict) and not header.get("disabled") and header.get("key"):
                found[str(header["key"]).strip()] = self.text(header.get("value"), notes).strip()
        return found

    def body(self, body: object, headers: Mapping[str, str], notes: list[str]) -> dict[str, Any] | None:
        if not isinstance(body, dict) or body.get("disabled"):
            return None
        mode = body.get("mode")
        if mode == "raw":
            text = self.text(body.get("raw"), notes)
            if not text:
                return None
            language = ((body.get("options") or {}).get("raw") or {}).get("language")
            return {"content_type": _raw_kind(language, headers, text), "text": text}
        if mode in ("urlencoded", "formdata"):
            fields: dict[str, str] = {}
            for entry in body.get(mode) or []:
                if not isinstance(entry, dict) or entry.get("disabled") or not entry.get("key"):
                    continue
                if entry.get("type") == "file":
                    source = entry.get("src")
                    if isinstance(source, list):
                        source = source[0] if source else ""
                    if not source:
                        notes.append(f"file field {entry['key']} names no file; left out")
                        continue
                    fields[str(entry["key"])] = "@" + _text(source)
                else:
                    fields[str(entry["key"])] = self.text(entry.get("value"), notes)
            return {"content_type": "form" if mode == "urlencoded" else "multipart", "fields": fields}
        if mode == "file":
            source = _text((body.get("file") or {}).get("src"))
            return {"content_type": "file", "file": source} if source else None
        if mode == "graphql":
            graphql = body.get("graphql") or {}
            table = {"content_type": "graphql", "query": self.text(graphql.get("query"), notes)}
            if graphql.get("variables"):
                table["variables"] = self.text(graphql.get("variables"), notes)
            return table
        if mode:
            notes.append(f"body mode {mode!r} is not one hookbench knows; left out")
        return None

    def auth(self, auth: Any, notes: list[str]) -> dict[str, str] | None:
        if auth is None or auth.get("type") == "noauth":
            return None
        kind = str(auth.get("type"))
        if kind not in _AUTH_TYPES:
            notes.append(f"auth {kind!r} is not one hookbench applies; left out")
            return None
        values = {
            key: self.credential(key, self.text(value, notes))
            for key, value in _auth_values(auth, kind).items()
        }
        if kind in ("basic", "digest"):
            return {
                "type": kind,
                "username": values.get("username", ""),
                "password": values.get("password", ""),
            }
        if kind == "bearer":
            return {"type": "bearer", "token": values.get("token", "")}
        if kind == "apikey":
            where = "query" if values.get("in") == "query" else "header"
            return {
                "type": "api_key",
                "name": values.get("key", ""),
                "value": values.get("value", ""),
                "in": where,
            }
        return _oauth2(values, notes)


def _oauth2(values: Mapping[str, str], notes: list[str]) -> dict[str, str] | None:
    grant = _OAUTH_GRANTS.get(values.get("grant_type", "client_credentials"))
    if grant is None:
        if values.get("accessToken"):
            notes.append(
                f"oauth2 grant {values.get('grant_type')!r}: its access token sent as a bearer token"
            )
            return {"type": "bearer", "token": values["accessToken"]}
        notes.append(f"oauth2 grant {values.get('grant_type')!r} needs a browser; left out")
        return None
    table = {"type": "oauth2", "grant": grant, "token_url": values.get("accessTokenUrl", "")}
    table["client_id"] = values.get("clientId", "")
    for ours, theirs in (("client_secret", "clientSecret"), ("scope", "scope"), ("audience", "audience")):
        if values.get(theirs):
            table[ours] = values[theirs]
    if grant == "password":
        table["username"] = values.get("username", "")
        table["password"] = values.get("password", "")
    if values.get("client_authentication") == "body":
        table["client_auth"] = "body"
    return table


def _raw_kind(language: object, headers: Mapping[str, str], text: str) -> str:
    if isinstance(language, str) and language in _LANGUAGES:
        return _LANGUAGES[language]
    content_type = next((v.lower() for k, v in headers.items() if k.lower() == "content-type"), "")
    if "json" in content_type:
        return "json"
    if "xml" in content_type:
        return "xml"
    return "text"


def _joined(url: Mapping[str, Any]) -> str:
    """A URL from its parts, for collections that carry no `raw`."""
    host = url.get("host")
    path = url.get("path")
    host_text = ".".join(map(str, host)) if isinstance(host, list) else _text(host)
    path_text = "/".join(map(str, path)) if isinstance(path, list) else _text(path)
    protocol = f"{url['protocol']}://" if url.get("protocol") else ""
    return f"{protocol}{host_text}/{path_text}" if path_text else f"{protocol}{host_text}"


def _scripts(item: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(test lines, pre-request lines) of an item's events."""
    found: dict[str, list[str]] = {"test": [], "prerequest": []}
    for event in item.get("event") or []:
        if not isinstance(event, dict) or event.get("disabled"):
            continue
        script = event.get("script") or {}
        lines = script.get("exec") if isinstance(script, dict) else None
        if isinstance(lines, str):
            lines = lines.splitlines()
        if event.get("listen") in found and isinstance(lines, list):
            found[str(event["listen"])].extend(str(line) for line in lines)
    return found["test"], found["prerequest"]
