"""A curl command, as API docs and browsers print it, turned into a module.

`import_curl` reads the options that shape the request (method, URL, headers, data, forms,
credentials, TLS, proxy, timeout, redirects) and reports every option it does not know:
nothing is dropped silently. The only files it reads are the ones the command itself names
(`-d @file`, `-F 'f=<file'`), relative to `source_dir`, as curl would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from tui.core.errors import BodyError, ImportSourceError
from tui.core.importers import Imported, ImportedProfile
from tui.core.importers.curl_options import NO_EFFECT, read_words, shown
from tui.core.importers.shell import split_command
from tui.core.model import BODY_METHODS, DEFAULT_TIMEOUT, METHODS, Auth, Body, Module, Request
from tui.core.profile import file_stem_for
from tui.core.render import MEDIA_TYPES, check_json, check_xml

# `--cacert`, `--key`, `--pass`, `-x`, `-U`: the _Command attribute each sets
_SETTINGS = {
    "cacert": "cacert",
    "key": "key",
    "pass": "key_password",
    "proxy": "proxy",
    "proxy-user": "proxy_user",
}
_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")
_XML = re.compile(r"[/+]xml\b", re.IGNORECASE)
_JSON = re.compile(r"[/+]json\b", re.IGNORECASE)


@dataclass
class _Command:
    """What the options said, before it is shaped into a module."""

    method: str | None = None
    urls: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    binary_file: str | None = None  # --data-binary @file of a file that is not text, as written
    json: list[str] = field(default_factory=list)
    query: list[str] = field(default_factory=list)
    form: list[tuple[str, str]] = field(default_factory=list)
    user: str | None = None
    bearer: str | None = None
    digest: bool = False
    get: bool = False
    head: bool = False
    follow: bool = False
    insecure: bool = False
    cacert: str = ""
    cert: str = ""
    key: str = ""
    key_password: str = ""
    proxy: str = ""
    proxy_user: str | None = None
    timeout: float | None = None
    notes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    no_effect: list[str] = field(default_factory=list)


def import_curl(text: str, *, source_dir: Path) -> Imported:
    """One profile from one curl command; ImportSourceError when `text` is not a curl command."""
    split = split_command(_strip_prompt(text))
    words = list(split.words)
    if not words:
        raise ImportSourceError("nothing to import: the text holds no command")
    program = re.split(r"[\\/]", words[0])[-1].lower()
    if program not in ("curl", "curl.exe"):
        raise ImportSourceError(f"not a curl command: it starts with {shown(words[0])!r}, not 'curl'")
    command = _Command(notes=list(split.notes))
    _read_options(command, words[1:], Path(source_dir))
    module = _module(command)
    warnings = []
    if command.unknown:
        warnings.append(f"options not imported (hookbench does not read them): {' '.join(command.unknown)}")
    notes = list(command.notes)
    if command.no_effect:
        notes.append(f"no effect on the request: {' '.join(dict.fromkeys(command.no_effect))}")
    path = PurePosixPath(f"{default_stem(module.request.method, module.request.url)}.toml")
    return Imported(profiles=(ImportedProfile(path, module, tuple(notes)),), warnings=tuple(warnings))


def looks_like_curl(text: str) -> bool:
    """Whether pasted text is a curl command rather than a URL (`curl …`, `$ curl …`, `curl.exe …`)."""
    return re.match(r"\s*(?:[$>%]\s+)?curl(?:\.exe)?\s", text, re.IGNORECASE) is not None


def default_stem(method: str, url: str) -> str:
    """A file stem from the request: `POST https://api.stripe.com/v1/charges` → `stripe-post-v1-charges`."""
    parts = urlsplit(url)
    labels = [label for label in (parts.hostname or "").split(".") if label not in ("www", "api")]
    host = labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")
    path = re.sub(r"\{\{[^}]*\}\}", "", parts.path)
    return file_stem_for(f"{host} {method} {path}")[:80].strip("-") or "curl-import"


def _strip_prompt(text: str) -> str:
    """A command copied with its shell prompt (`$ curl …`) imports as the command."""
    return re.sub(r"\A\s*[$>%]\s+(?=curl)", "", text)


def _read_options(command: _Command, words: list[str], source_dir: Path) -> None:
    for name, value, written in read_words(words):
        if not name:
            command.unknown.append(written)
        elif name in NO_EFFECT:
            command.no_effect.append(written.partition("=")[0])
        else:
            _apply(command, name, value, written, source_dir)


def _apply(command: _Command, name: str, value: str | None, written: str, source_dir: Path) -> None:
    """One understood option."""
    text = value or ""
    if name == "request":
        command.method = text.upper()
    elif name == "url":
        command.urls.append(text)
    elif name == "header":
        _header(command, text)
    elif name in ("data", "data-raw", "data-binary", "data-urlencode"):
        _data(command, name, text, source_dir)
    elif name == "json":
        command.json.append(
            _read_at(text, source_dir, strip_newlines=False) if text.startswith("@") else text
        )
    elif name in ("form", "form-string"):
        command.form.append(_form_field(command, text, source_dir, literal=name == "form-string"))
    elif name == "url-query":
        command.query.append(_urlencoded(text, source_dir))
    elif name == "user":
        command.user = text
    elif name == "oauth2-bearer":
        command.bearer = text
    elif name == "user-agent":
        command.headers.append(("User-Agent", text))
    elif name == "referer":
        command.headers.append(("Referer", text.removesuffix(";auto")))
    elif name == "cookie":
        if "=" in text:
            command.headers.append(("Cookie", text))
        else:
            command.unknown.append(f"{written} {shown(text)} (a cookie file)")
    elif name == "get":
        command.get = True
    elif name == "head":
        command.head = True
    elif name == "location":
        command.follow = True
    elif name == "insecure":
        command.insecure = True
    elif name == "max-time":
        command.timeout = _seconds(text, written)
    elif name == "compressed":
        command.notes.append("--compressed: hookbench always accepts gzip and deflate responses")
    elif name == "digest":
        command.digest = True
    elif name == "basic":
        command.digest = False  # the default scheme for -u; the last of the two counts
    elif name == "cert":
        command.cert, password = _cert_and_password(text)
        if password is not None:
            command.key_password = password
    else:  # TLS and proxy options that take their value as it is
        setattr(command, _SETTINGS[name], text)


def _cert_and_password(text: str) -> tuple[str, str | None]:
    """curl's `--cert FILE:PASSWORD`: the first colon not escaped (`\\:`) and not a Windows
    drive's (`C:\\certs`) ends the file name."""
    at = 2 if re.match(r"[A-Za-z]:[\\/]", text) else 0
    name: list[str] = list(text[:at])
    while at < len(text):
        char = text[at]
        if char == "\\" and text[at + 1 : at + 2] in (":", "\\"):
            name.append(text[at + 1])
            at += 2
            continue
        if char == ":":
            return "".join(name), text[at + 1 :]
        name.append(char)
        at += 1
    return "".join(name), None


def _header(command: _Command, text: str) -> None:
    if text.startswith("@"):
        command.unknown.append(f"-H {shown(text)} (headers from a file)")
        return
    name, colon, value = text.partition(":")
    if not colon:
        if name.endswith(";"):  # `-H 'X-Empty;'` sends the header with no value
            command.headers.append((name[:-1].strip(), ""))
        else:
            command.notes.append(f"-H {shown(text)} is not a header (no ':'); left out")
        return
    value = value.strip(" \t")
    if not value:  # `-H 'Accept:'` removes a header curl would add; hookbench adds none of its own
        command.notes.append(f"-H {shown(text)} removes a header curl would send; nothing to import")
        return
    command.headers.append((name.strip(), value))


def _data(command: _Command, name: str, text: str, source_dir: Path) -> None:
    if name == "data-urlencode":
        command.data.append(_urlencoded(text, source_dir))
    elif name == "data-raw" or not text.startswith("@"):
        command.data.append(text)
    elif text == "@-":
        raise ImportSourceError(
            f"--{name} @- reads the body from standard input; put the body in the command"
        )
    elif name == "data-binary":
        content = _read_bytes(text[1:], source_dir)
        try:
            decoded = content.decode("utf-8")
        except UnicodeDecodeError:
            decoded = None
        if decoded is None or "\x00" in decoded:
            command.binary_file = text[1:]
        else:
            command.data.append(decoded)
    else:
        command.data.append(_read_at(text, source_dir, strip_newlines=True))


def _urlencoded(text: str, source_dir: Path) -> str:
    """`--data-urlencode`'s five forms: `content`, `=content`, `name=content`, `@file`, `name@file`."""
    name, equals, content = text.partition("=")
    if equals and not re.search(r"@", name):
        return f"{name}={quote_plus(content, safe='')}" if name else quote_plus(content, safe="")
    name, at, file_name = text.partition("@")
    if at:
        content = _read_bytes(file_name, source_dir).decode("utf-8", errors="replace")
        return f"{name}={quote_plus(content, safe='')}" if name else quote_plus(content, safe="")
    return quote_plus(text, safe="")


def _form_field(command: _Command, text: str, source_dir: Path, *, literal: bool) -> tuple[str, str]:
    """`-F name=value`, `name=@file;type=…` (an upload) or `name=<file` (the file's text as the value)."""
    name, equals, value = text.partition("=")
    if not equals:
        raise ImportSourceError(f"-F {shown(text)}: a form field is name=value")
    if literal:
        return name, value
    if value.startswith("@"):
        path, *params = value[1:].split(";")
        for param in params:
            key = param.partition("=")[0].strip().lower()
            if key in ("type", "filename", "headers", "encoder"):
                guessed = _guessed_type(path)
                if key == "type" and param.partition("=")[2].strip().lower() == guessed:
                    continue
                command.notes.append(
                    f"-F {name}: ;{param.strip()} not kept (hookbench sends the file's name and the type its extension gives)"
                )
        return name, "@" + path
    if value.startswith("<"):
        return name, _read_bytes(value[1:].split(";")[0], source_dir).decode("utf-8", errors="replace")
    text, _, media_type = value.partition(";type=")
    if media_type:
        command.notes.append(f"-F {name}: ;type={media_type} of a text field not kept")
    return name, text


def _guessed_type(path: str) -> str:
    import mimetypes

    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _read_at(text: str, source_dir: Path, *, strip_newlines: bool) -> str:
    """`@file` data: the file's text; `-d` drops its line breaks, as curl does."""
    content = _read_bytes(text[1:], source_dir).decode("utf-8", errors="replace")
    return content.replace("\r", "").replace("\n", "") if strip_newlines else content


def _read_bytes(name: str, source_dir: Path) -> bytes:
    path = source_dir / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportSourceError(
            f"@{name}: cannot read the file the command names: {exc.strerror or exc} ({path})"
        ) from exc


def _seconds(text: str, written: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise ImportSourceError(f"{written} {shown(text)}: not a number of seconds") from None
    if seconds <= 0:
        raise ImportSourceError(f"{written} {shown(text)}: must be more than 0 seconds")
    return seconds


# --- shaping the module -------------------------------------------------------------------------


def _module(command: _Command) -> Module:
    url = _url(command)
    headers = list(command.headers)
    body = None
    if command.get or (
        not command.data and not command.form and not command.json and not command.binary_file
    ):
        pieces = [*command.data, *command.query] if command.get else list(command.query)
        url = _with_query(url, pieces)
    else:
        url = _with_query(url, command.query)
        body = _body(command, headers)
    method = command.method or ("HEAD" if command.head else "POST" if body is not None else "GET")
    if method not in METHODS:
        raise ImportSourceError(f"method {method}: hookbench sends {', '.join(METHODS)}")
    if body is not None and method not in BODY_METHODS:
        command.notes.append(
            f"{method} carries no body in hookbench: the body is kept in the profile, not sent"
        )
    request = Request(
        method=method,
        url=url,
        headers=tuple(headers),
        body=body,
        timeout=command.timeout or DEFAULT_TIMEOUT,
        follow_redirects=command.follow,
        verify_tls=_verify(command),
        auth=_auth(command),
        client_cert=command.cert,
        client_key=command.key,
        client_key_password=command.key_password if command.cert or command.key else "",
        proxy=_proxy(command),
    )
    return Module(name=f"{method} {urlsplit(url).path or '/'}", request=request)


def _verify(command: _Command) -> bool | str:
    """`-k` → false; `--cacert FILE` → the file (trusted instead of the default store)."""
    if command.insecure:
        if command.cacert:
            command.notes.append(f"--cacert {shown(command.cacert)} has no effect with -k; left out")
        return False
    if command.key_password and not (command.cert or command.key):
        command.notes.append("--pass without --cert or --key: left out")
    return command.cacert or True


def _proxy(command: _Command) -> str:
    """`-x [scheme://]host[:port]` (curl assumes http://), `-U user:password` as the URL's user
    part (percent-encoded, as a URL holds it; placeholders stay as they are)."""
    proxy = command.proxy.strip()
    if not proxy:
        if command.proxy_user is not None:
            command.notes.append("--proxy-user without --proxy: left out")
        return ""
    scheme, has_scheme, rest = proxy.partition("://")
    if not has_scheme:
        scheme, rest = "http", proxy
    if scheme.lower() not in ("http", "https"):
        command.unknown.append(f"--proxy {shown(proxy)} (hookbench speaks http:// and https:// proxies)")
        return ""
    if command.proxy_user is not None:
        user, colon, password = command.proxy_user.partition(":")
        userinfo = _url_quoted(user) + (":" + _url_quoted(password) if colon else "")
        rest = userinfo + "@" + rest.rpartition("@")[2]
    return f"{scheme}://{rest}"


def _url_quoted(text: str) -> str:
    """Percent-encoded for a URL's user part, except the placeholders in it."""
    pieces = re.split(r"(\{\{[^{}]*\}\})", text)
    return "".join(piece if piece.startswith("{{") else quote(piece, safe="") for piece in pieces)


def _url(command: _Command) -> str:
    if not command.urls:
        raise ImportSourceError("the curl command names no URL")
    if len(command.urls) > 1:
        command.notes.append(
            f"more than one URL: {shown(command.urls[0])} imported, {len(command.urls) - 1} left out"
        )
    url = command.urls[0]
    if "://" not in url.partition("?")[0] and not url.startswith("{{"):
        url = "http://" + url  # what curl assumes
    return url


def _with_query(url: str, pieces: list[str]) -> str:
    query = "&".join(piece for piece in pieces if piece)
    if not query:
        return url
    base, hash_mark, fragment = url.partition("#")
    joiner = "&" if "?" in base else "?"
    if base.endswith(("?", "&")):
        joiner = ""
    return f"{base}{joiner}{query}{hash_mark}{fragment}"


def _content_type(headers: list[tuple[str, str]]) -> str | None:
    return next((value for name, value in reversed(headers) if name.lower() == "content-type"), None)


def _drop_content_type(headers: list[tuple[str, str]], added: str) -> None:
    """Leave out a Content-Type equal to the one hookbench adds for the body type."""
    for index in range(len(headers) - 1, -1, -1):
        name, value = headers[index]
        if name.lower() == "content-type" and value.strip().lower() == added:
            del headers[index]


def _body(command: _Command, headers: list[tuple[str, str]]) -> Body:
    """The body type inferred from the options and the Content-Type, as the issue's table says."""
    if command.form:
        if command.data or command.json:
            command.notes.append(
                "-F with -d: curl refuses to mix them; the form was imported, the data left out"
            )
        for index in range(len(headers) - 1, -1, -1):
            if (
                headers[index][0].lower() == "content-type"
                and "multipart/form-data" in headers[index][1].lower()
            ):
                del headers[index]  # httpx writes it with the boundary the parts need
        return Body(content_type="multipart", fields=tuple(command.form))
    if command.json:
        if not any(name.lower() == "accept" for name, _ in headers):
            headers.append(("Accept", "application/json"))
        if _content_type(headers) is None:
            headers.append(("Content-Type", "application/json"))
        text = "".join(command.json) if not command.data else "&".join([*command.data, "".join(command.json)])
        return _typed_body("json", text, headers)
    if command.binary_file is not None:
        if command.data:
            raise ImportSourceError(
                f"--data-binary @{command.binary_file} is not text: it cannot be joined with other data"
            )
        _curl_content_type(command, headers, f"--data-binary @{command.binary_file}")
        _drop_content_type(headers, _guessed_type(command.binary_file))  # hookbench's own for the file
        return Body(content_type="file", file=command.binary_file)
    text = "&".join(command.data)
    content_type = (_content_type(headers) or "").lower()
    if _JSON.search(content_type):
        return _typed_body("json", text, headers)
    if _XML.search(content_type):
        return _typed_body("xml", text, headers)
    if not content_type or content_type.startswith(MEDIA_TYPES["form"]):
        pairs = _form_pairs(text)
        if pairs is not None:
            _drop_content_type(headers, MEDIA_TYPES["form"])
            return Body(content_type="form", fields=pairs)
        _curl_content_type(command, headers, "the data (not name=value pairs)")
    _drop_content_type(headers, MEDIA_TYPES["text"])
    return Body(content_type="text", text=text)


def _curl_content_type(command: _Command, headers: list[tuple[str, str]], what: str) -> None:
    """A body with no Content-Type of its own goes out labelled as a form, by curl: the profile
    says so too, so that it sends what the command sends."""
    if _content_type(headers) is None:
        headers.append(("Content-Type", MEDIA_TYPES["form"]))
        command.notes.append(
            f"{what}: sent as curl sends it, Content-Type {MEDIA_TYPES['form']} (change the header to relabel it)"
        )


def _typed_body(kind: str, text: str, headers: list[tuple[str, str]]) -> Body:
    """A json or xml body when the text is one; the Content-Type hookbench adds is left out."""
    try:  # a placeholder stands where a value will be: `{"n": {{count}}}` is JSON once filled
        (check_json if kind == "json" else check_xml)(_PLACEHOLDER.sub("0", text))
    except BodyError as exc:
        raise ImportSourceError(f"the body is labelled {kind} but is not: {exc}") from exc
    _drop_content_type(headers, MEDIA_TYPES[kind])
    return Body(content_type=kind, text=text)


def _form_pairs(text: str) -> tuple[tuple[str, str], ...] | None:
    """`a=1&b=2` as the server reads it; None when some piece is not `name=value`."""
    pieces = [piece for piece in text.split("&") if piece]
    if not pieces or not all("=" in piece for piece in pieces):
        return None
    return tuple(parse_qsl(text, keep_blank_values=True))


def _auth(command: _Command) -> Auth | None:
    """`-u user:password` → basic (digest with `--digest`); `--oauth2-bearer` → bearer."""
    if command.user is not None:
        username, colon, password = command.user.partition(":")
        if not colon:
            command.notes.append("-u without a password: curl would ask for one; the password is left empty")
        kind = "digest" if command.digest else "basic"
        return Auth(kind, (("username", username), ("password", password)))
    if command.bearer is not None:
        return Auth("bearer", (("token", command.bearer),))
    return None
