"""OpenAPI 3.0 and 3.1 documents → one module per operation, plus an environment per server.

Operations are named from `operationId` (else method and path) and grouped in a folder per
tag. Path parameters become `{{name}}` with their example as the default; required query and
header parameters are included; a JSON or form body comes from the operation's example, else
is built from its schema. Security schemes become `[request.auth]` whose credentials are
`{{env.NAME}}` references: a specification holds no secrets, the user supplies them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from tui.core.errors import ImportSourceError, ProfileError
from tui.core.importers import DocumentImport, Imported, ImportedProfile, Skipped
from tui.core.importers.environments import ImportedEnvironment
from tui.core.importers.openapi_schema import Resolver
from tui.core.importers.reading import decode_document, slug, unique
from tui.core.model import METHODS

_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_PARAMETER = re.compile(r"\{([^{}/]+)\}")
_NAME = re.compile(r"[^A-Za-z0-9_.\-]")


def load_document(data: bytes, source: str) -> Any:
    """JSON, or YAML through PyYAML (its C loader when built with libyaml)."""
    text = decode_document(data, source)
    if text.lstrip().startswith("{"):
        from tui.core.importers.reading import load_json

        return load_json(text.encode("utf-8"), source)
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportSourceError(f"{source}: not valid YAML or JSON: {problem}{where}") from exc


def import_openapi(data: bytes, *, source: str = "specification", tags: Sequence[str] = ()) -> DocumentImport:
    """Read a specification; `tags` keeps only the operations with one of those tags."""
    from tui.core.bulk import gc_paused

    with gc_paused():  # a big specification is a big heap of new objects: nothing to collect yet
        document = load_document(data, source)
        return _translate(document, source, tags)


def _translate(document: Any, source: str, tags: Sequence[str]) -> DocumentImport:
    _check(document, source)
    reader = _Reader(document, source)
    paths = document.get("paths") or {}
    wanted = set(tags)
    for path, item in paths.items() if isinstance(paths, Mapping) else []:
        item, _ = reader.resolver.deref(item)
        if not isinstance(item, Mapping):
            continue
        for method in _OPERATIONS:
            operation = item.get(method)
            if not isinstance(operation, Mapping):
                continue
            op_tags = [str(t) for t in operation.get("tags") or []]
            if wanted and not wanted.intersection(op_tags):
                continue
            reader.operation(str(path), method, item, operation, op_tags)
    if wanted and not reader.profiles and not reader.skipped:
        raise ImportSourceError(f"{source}: no operation has the tag(s) {', '.join(sorted(wanted))}")
    imported = Imported(tuple(reader.profiles), tuple(reader.skipped), tuple(reader.warnings))
    return DocumentImport(
        imported, tuple(reader.environments()), credentials=tuple(dict.fromkeys(reader.credentials))
    )


def _check(document: Any, source: str) -> None:
    if not isinstance(document, Mapping):
        raise ImportSourceError(f"{source}: not an OpenAPI document (a mapping is expected)")
    version = str(document.get("openapi", ""))
    if not version:
        if "swagger" in document:
            raise ImportSourceError(
                f"{source}: Swagger {document['swagger']} is not read; convert it to OpenAPI 3 first "
                "(e.g. with swagger2openapi or editor.swagger.io → Edit → Convert to OpenAPI 3)"
            )
        raise ImportSourceError(f"{source}: not an OpenAPI document (no 'openapi' version)")
    if not re.match(r"3\.[01]\b", version):
        raise ImportSourceError(f"{source}: OpenAPI {version} is not read; hookbench reads 3.0 and 3.1")
    if not isinstance(document.get("paths", {}), Mapping):
        raise ImportSourceError(f"{source}: 'paths' must be a mapping")


class _Reader:
    def __init__(self, document: Mapping[str, Any], source: str) -> None:
        self.document = document
        self.source = source
        self.resolver = Resolver(document, source)
        self.profiles: list[ImportedProfile] = []
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.credentials: list[str] = []
        self.taken: dict[PurePosixPath, set[str]] = {}
        title = str((document.get("info") or {}).get("title") or "api")
        self.prefix = "HOOKBENCH_" + (re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").upper() or "API")
        self.servers = self._servers(document.get("servers"))
        if not self.servers:
            self.warnings.append(
                "no servers: base_url set to http://localhost; set it in [variables] or an environment"
            )

    def _servers(self, servers: object) -> list[tuple[str, str, dict[str, str]]]:
        """(name, base_url, server variables) per server."""
        found: list[tuple[str, str, dict[str, str]]] = []
        taken: set[str] = set()
        for index, server in enumerate(servers if isinstance(servers, list) else []):
            if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
                continue
            values = {
                str(name): str(spec.get("default", ""))
                for name, spec in (server.get("variables") or {}).items()
                if isinstance(spec, Mapping)
            }
            url = _fill(server["url"], values).rstrip("/")
            label = str(server.get("description") or "") or _host_of(url) or f"server-{index + 1}"
            found.append((unique(slug(label, f"server-{index + 1}"), taken), url, values))
        return found

    def environments(self) -> list[ImportedEnvironment]:
        return [
            ImportedEnvironment(name=name, title=url, variables=(("base_url", url), *values.items()))
            for name, url, values in self.servers
        ]

    def operation(
        self, path: str, method: str, item: Mapping[str, Any], operation: Mapping[str, Any], tags: list[str]
    ) -> None:
        title = str(operation.get("operationId") or f"{method.upper()} {path}")
        if method.upper() not in METHODS:
            self.skipped.append(Skipped(title, f"method {method.upper()} is not one hookbench sends"))
            return
        notes: list[str] = []
        try:
            data = self._module_data(path, method, item, operation, title, notes)
        except ImportSourceError as exc:
            self.skipped.append(Skipped(title, str(exc)))
            return
        folder = PurePosixPath(slug(tags[0], "untagged")) if tags else PurePosixPath()
        stem = unique(slug(title, f"{method}-{path}"), self.taken.setdefault(folder, set()))
        target = folder / f"{stem}.toml"
        from tui.core.profile import module_from_data

        try:
            module = module_from_data(data, source=str(target), default_name=stem)
        except ProfileError as exc:
            self.skipped.append(Skipped(title, str(exc)))
            return
        self.profiles.append(ImportedProfile(path=target, module=module, notes=tuple(dict.fromkeys(notes))))

    def _module_data(
        self,
        path: str,
        method: str,
        item: Mapping[str, Any],
        operation: Mapping[str, Any],
        title: str,
        notes: list[str],
    ) -> dict[str, Any]:
        variables: dict[str, str] = {"base_url": self.servers[0][1] if self.servers else "http://localhost"}
        url = "{{base_url}}" + _PATH_PARAMETER.sub(lambda m: "{{" + _variable(m.group(1)) + "}}", path)
        query: list[str] = []
        headers: dict[str, str] = {}
        for parameter in self._parameters(item, operation):
            name = str(parameter.get("name", ""))
            where = parameter.get("in")
            variable = _variable(name)
            if where == "path":
                variables[variable] = self._example(parameter)
            elif not parameter.get("required"):
                continue
            elif where == "query":
                query.append(f"{name}={{{{{variable}}}}}")
                variables[variable] = self._example(parameter)
            elif where == "header":
                headers[name] = "{{" + variable + "}}"
                variables[variable] = self._example(parameter)
            else:
                notes.append(f"required {where} parameter {name} left out")
        if query:
            url += "?" + "&".join(query)
        request: dict[str, Any] = {"method": method.upper(), "url": url}
        body = self._body(operation.get("requestBody"), headers, notes)
        if body is not None:
            request["body"] = body
        if headers:
            request["headers"] = headers
        auth = self._auth(operation, notes)
        if auth is not None:
            request["auth"] = auth
        data: dict[str, Any] = {"name": title, "request": request, "variables": variables}
        summary = operation.get("summary") or operation.get("description")
        if isinstance(summary, str) and summary.strip():
            data["description"] = summary.strip()
        return data

    def _parameters(self, item: Mapping[str, Any], operation: Mapping[str, Any]) -> list[Mapping[str, Any]]:
        """Path-level parameters, overridden by the operation's own of the same name and place."""
        chosen: dict[tuple[str, str], Mapping[str, Any]] = {}
        for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter, _ = self.resolver.deref(parameter)
            if isinstance(parameter, Mapping) and parameter.get("name"):
                chosen[(str(parameter["name"]), str(parameter.get("in")))] = parameter
        return list(chosen.values())

    def _example(self, parameter: Mapping[str, Any]) -> str:
        if "example" in parameter:
            return _scalar(parameter["example"])
        examples = parameter.get("examples")
        if isinstance(examples, Mapping) and examples:
            first, _ = self.resolver.deref(next(iter(examples.values())))
            if isinstance(first, Mapping) and "value" in first:
                return _scalar(first["value"])
        value = self.resolver.sample(parameter.get("schema", {}))
        return _scalar(value)

    def _body(self, body: object, headers: dict[str, str], notes: list[str]) -> dict[str, Any] | None:
        body, _ = self.resolver.deref(body)
        if not isinstance(body, Mapping) or not isinstance(body.get("content"), Mapping):
            return None
        content: Mapping[str, Any] = body["content"]
        for media, kind in _media_kinds(content):
            spec, _ = self.resolver.deref(content[media])
            spec = spec if isinstance(spec, Mapping) else {}
            if kind in ("form", "multipart"):
                return {"content_type": kind, "fields": self._fields(spec, kind, notes)}
            value = self._media_example(spec)
            if kind == "json":
                if media != "application/json":
                    headers.setdefault("Content-Type", media)
                return {"content_type": "json", "text": json.dumps(value, indent=2, ensure_ascii=False)}
            if kind in ("xml", "text"):
                if not isinstance(value, str):
                    notes.append(f"{media} body has no example to send; left empty")
                    value = ""
                headers.setdefault("Content-Type", media)
                return {"content_type": kind, "text": value}
        notes.append(f"request body of type {', '.join(content)} left out")
        return None

    def _media_example(self, spec: Mapping[str, Any]) -> Any:
        if "example" in spec:
            return spec["example"]
        examples = spec.get("examples")
        if isinstance(examples, Mapping) and examples:
            first, _ = self.resolver.deref(next(iter(examples.values())))
            if isinstance(first, Mapping) and "value" in first:
                return first["value"]
        return self.resolver.sample(spec.get("schema", {}))

    def _fields(self, spec: Mapping[str, Any], kind: str, notes: list[str]) -> dict[str, str]:
        example = spec.get("example")
        if isinstance(example, Mapping):
            return {str(k): _scalar(v) for k, v in example.items()}
        fields: dict[str, str] = {}
        for name, prop, required in self.resolver.properties(spec.get("schema", {})):
            if not required:
                continue
            if (
                kind == "multipart"
                and isinstance(prop, Mapping)
                and prop.get("format") in ("binary", "base64")
            ):
                fields[name] = f"@{name}.bin"
                notes.append(f"file field {name}: put the file at {name}.bin beside the profile")
            else:
                fields[name] = _scalar(self.resolver.sample(prop))
        return fields

    def _auth(self, operation: Mapping[str, Any], notes: list[str]) -> dict[str, str] | None:
        requirements = operation.get("security", self.document.get("security"))
        if not isinstance(requirements, list) or not requirements:
            return None
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        unknown: list[str] = []
        for requirement in requirements:
            if not isinstance(requirement, Mapping) or not requirement:
                return None  # `{}` among the alternatives: no auth is fine
            for name, scopes in requirement.items():
                scheme, _ = self.resolver.deref(schemes.get(name))
                auth = self._scheme(scheme, scopes) if isinstance(scheme, Mapping) else None
                if auth is not None:
                    return auth
                unknown.append(str(name))
        notes.append(
            f"security scheme(s) {', '.join(dict.fromkeys(unknown))} not mapped; add [request.auth] by hand"
        )
        return None

    def _secret(self, what: str) -> str:
        name = f"{self.prefix}_{what}"
        self.credentials.append(name)
        return "{{env." + name + "}}"

    def _scheme(self, scheme: Mapping[str, Any], scopes: object) -> dict[str, str] | None:
        kind = scheme.get("type")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            return {
                "type": "basic",
                "username": self._secret("USERNAME"),
                "password": self._secret("PASSWORD"),
            }
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
            return {"type": "bearer", "token": self._secret("TOKEN")}
        if kind == "apiKey" and scheme.get("in") in ("header", "query") and scheme.get("name"):
            name = str(scheme["name"])
            return {
                "type": "api_key",
                "name": name,
                "value": self._secret(slug(name).replace("-", "_").upper()),
                "in": str(scheme["in"]),
            }
        if kind == "oauth2":
            flow = (scheme.get("flows") or {}).get("clientCredentials")
            if isinstance(flow, Mapping) and flow.get("tokenUrl"):
                table = {
                    "type": "oauth2",
                    "grant": "client_credentials",
                    "token_url": str(flow["tokenUrl"]),
                    "client_id": self._secret("CLIENT_ID"),
                    "client_secret": self._secret("CLIENT_SECRET"),
                }
                if isinstance(scopes, list) and scopes:
                    table["scope"] = " ".join(map(str, scopes))
                return table
        return None


def _media_kinds(content: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The media types hookbench can send, best first, with the body kind for each."""
    kinds: list[tuple[int, str, str]] = []
    for media in content:
        lowered = str(media).lower()
        if lowered == "application/json" or lowered.endswith("+json") or lowered == "*/*":
            kinds.append((0, media, "json"))
        elif lowered == "application/x-www-form-urlencoded":
            kinds.append((1, media, "form"))
        elif lowered == "multipart/form-data":
            kinds.append((2, media, "multipart"))
        elif lowered.endswith("/xml") or lowered.endswith("+xml"):
            kinds.append((3, media, "xml"))
        elif lowered.startswith("text/"):
            kinds.append((4, media, "text"))
    return [(media, kind) for _, media, kind in sorted(kinds, key=lambda k: k[0])]


def _fill(url: str, values: Mapping[str, str]) -> str:
    """A server URL with its `{variables}` replaced by their defaults."""
    return _PATH_PARAMETER.sub(lambda m: values.get(m.group(1), m.group(0)), url)


def _variable(name: str) -> str:
    cleaned = _NAME.sub("_", name)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _host_of(url: str) -> str:
    match = re.match(r"[A-Za-z][A-Za-z0-9+.-]*://([^/:]+)", url)
    return match.group(1) if match else ""
