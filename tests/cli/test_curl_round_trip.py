"""Round trip against a real server: what the system's curl sends, and what hookbench sends from
the profile it imported from the same command, both echoed by the sandbox, must agree.

Commands are written in the style of real API docs (payments, messaging, helpdesk, CRM, SOAP,
uploads, browser copies). `$BASE` and the other `$NAMES` are shell variables: curl gets them
from bash, hookbench from its environment (`{{env.NAME}}`), as a person would run both.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.servers import Proxy, forward_proxy, make_tls_files, tls_server
from tui.cli import main
from tui.core.curl import export_curl
from tui.core.profile import read_module
from tui.core.run import run_module_sync
from tui.core.variables import Variables, read_env_file
from tui.sandbox import Sandbox

CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(CURL is None, reason="the system's curl is needed for the round trip")

SHELL_ENV = {
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "TWILIO_AUTH_TOKEN": "twilio-auth-token-0123",
    "SENDGRID_API_KEY": "SG.abc123.def456",
    "GITHUB_TOKEN": "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
}

COMMANDS: dict[str, str] = {
    "stripe-charge": """curl "$BASE/echo/api/v1/charges" \\
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\
  -d amount=2000 \\
  -d currency=usd \\
  -d "description=Charge for jenny.rosen@example.com" """,
    "stripe-list-get": """curl -G "$BASE/echo/api/v1/customers" \\
  -u sk_test_4eC39HqLyjWDarjtT1zdp7dc: \\
  -d limit=3 \\
  --data-urlencode "email=jenny.rosen+test@example.com" """,
    "stripe-delete": """curl -X DELETE "$BASE/echo/api/v1/customers/cus_9s6XKzkNRiz8i3" -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:""",
    "twilio-sms": """curl -X POST "$BASE/echo/api/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
--data-urlencode "Body=McAvoy or Stewart? These timelines can get so confusing." \\
--data-urlencode "From=+15017122661" \\
--data-urlencode "To=+15558675310" \\
-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN""",
    "digest-auth": """curl --digest -u 'demo-user:demo-pass' "$BASE/auth/digest" """,
    "twilio-sms-header-auth": """curl -X POST "$BASE/echo/api/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
--data-urlencode "Body=Hi there & welcome, 100% free!" \\
--data-urlencode "From=+15017122661" \\
--data-urlencode "To=+15558675310" \\
-H "Authorization: Bearer $TWILIO_AUTH_TOKEN" """,
    "slack-post-message": """curl -X POST -H 'Authorization: Bearer xoxb-1234-5678-abcdefghijkl' \\
-H 'Content-type: application/json; charset=utf-8' \\
--data '{"channel":"C1234567890","text":"I hope the tour went well, Mr. Wonka."}' \\
"$BASE/echo/api/chat.postMessage" """,
    "sendgrid-mail": """curl --request POST \\
  --url "$BASE/echo/api/v3/mail/send" \\
  --header "Authorization: Bearer $SENDGRID_API_KEY" \\
  --header 'Content-Type: application/json' \\
  --data '{"personalizations": [{"to": [{"email": "test@example.com"}]}],"from": {"email": "test@example.com"},"subject": "Sending with SendGrid is Fun","content": [{"type": "text/plain", "value": "and easy to do anywhere, even with cURL"}]}'""",
    "zendesk-ticket": """curl "$BASE/echo/api/api/v2/tickets.json" \\
  -d '{"ticket": {"subject": "My printer is on fire!", "comment": { "body": "The smoke is very colorful." }}}' \\
  -H "Content-Type: application/json" -v -u jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv -X POST""",
    "zendesk-search": """curl "$BASE/echo/api/api/v2/search.json" \\
  -G --data-urlencode "query=type:ticket status:open" \\
  -u jdoe@example.com/token:6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv""",
    "freshdesk-list": """curl -v -u abcdefghij1234567890:X -H "Content-Type: application/json" -X GET "$BASE/echo/api/api/v2/tickets?per_page=2&page=1" """,
    "hubspot-contact": """curl --request POST \\
  --url "$BASE/echo/api/crm/v3/objects/contacts" \\
  --header 'authorization: Bearer pat-na1-11111111-2222-3333-4444-555555555555' \\
  --header 'content-type: application/json' \\
  --data '{"properties": {"email": "example@hubspot.com", "firstname": "Jane", "lastname": "Doe"}}'""",
    "salesforce-query": """curl "$BASE/echo/api/services/data/v58.0/query/?q=SELECT+name+from+Account" -H "Authorization: Bearer 00D5e000000abcd!AQ0AQH0dMHZfz972Szmpkb58urFRkgeBGsxL" """,
    "salesforce-patch-file": """curl "$BASE/echo/api/services/data/v58.0/sobjects/Account/001D000000INjVe" -H "Authorization: Bearer 00D5e000000abcd" -H "Content-Type: application/json" -d @account.json -X PATCH""",
    "intercom-put": """curl -X PUT "$BASE/echo/api/contacts/63a07ddf05a32042dffac965" \\
  -H 'Authorization: Bearer dG9rOmNiOTY=' \\
  -H 'Intercom-Version: 2.10' \\
  -H 'Content-Type: application/json' \\
  -d '{"email": "joebloggs@intercom.io", "custom_attributes": {"paid_subscriber": true, "monthly_spend": 155.5}}'""",
    "jira-issue": """curl --request POST \\
  --url "$BASE/echo/api/rest/api/3/issue" \\
  --user 'email@example.com:ATATT3xFfGF0T4Yw' \\
  --header 'Accept: application/json' \\
  --header 'Content-Type: application/json' \\
  --data '{"fields": {"project": {"key": "HSP"}, "summary": "Something is wrong", "issuetype": {"name": "Bug"}}}'""",
    "soap-11-file": """curl -X POST "$BASE/echo/api/soap/GlobalWeather.asmx" \\
  -H 'Content-Type: text/xml; charset=utf-8' \\
  -H 'SOAPAction: "http://www.webserviceX.NET/GetWeather"' \\
  --data-binary @request.xml""",
    "soap-12-inline": """curl -H 'Content-Type: application/soap+xml; charset=utf-8' -d '<?xml version="1.0" encoding="utf-8"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope"><soap12:Body><GetUser xmlns="urn:hookbench:subscribers"><email>ada@example.com</email></GetUser></soap12:Body></soap12:Envelope>' "$BASE/echo/api/soap12/subscribers" """,
    "slack-file-upload": """curl -F file=@report.csv -F "initial_comment=Shakes the cat" -F channels=C024BE91L,D032AC32T \\
  -H "Authorization: Bearer xoxb-1234-5678-abcdefghijkl" "$BASE/echo/api/files.upload" """,
    "telegram-pdf-upload": """curl -F 'document=@invoice.pdf;type=application/pdf' -F 'caption=Invoice #42' "$BASE/echo/api/bot123456:ABC-DEF1234ghIkl/sendDocument" """,
    "mailgun-form": """curl -s --user 'api:key-3ax6xnjp29jd6fds4gc373sgvjxteol0' \\
    "$BASE/echo/api/v3/mg.example.com/messages" \\
    -F from='Excited User <mailgun@mg.example.com>' \\
    -F to=bar@example.com \\
    -F subject='Hello' \\
    -F text='Testing some Mailgun awesomeness!'""",
    "github-list-issues": """curl -L \\
  -H "Accept: application/vnd.github+json" \\
  -H "Authorization: Bearer $GITHUB_TOKEN" \\
  -H "X-GitHub-Api-Version: 2022-11-28" \\
  "$BASE/echo/api/repos/OWNER/REPO/issues?state=open&per_page=5" """,
    "discord-json-flag": """curl --json '{"content": "Hello from curl", "username": "hookbench"}' "$BASE/echo/api/webhooks/123/abc" """,
    "browser-graphql": """curl "$BASE/echo/api/graphql" \\
  -H 'accept: */*' \\
  -H 'accept-language: en-US,en;q=0.9' \\
  -H 'content-type: application/json' \\
  -H 'cookie: _ga=GA1.1.123456; session=abc123def' \\
  -H 'origin: https://app.example.com' \\
  -H 'referer: https://app.example.com/' \\
  --data-raw '{"operationName":"Viewer","variables":{},"query":"{ viewer { login } }"}' \\
  --compressed""",
    "oauth-stuck-flags": """curl -XPOST -H'Content-Type: application/x-www-form-urlencoded' -d'grant_type=client_credentials&client_id=abc&client_secret=shh-its-secret' "$BASE/echo/api/oauth/token" """,
    "agent-referer-cookie": """curl -A 'Mozilla/5.0 (X11; Linux x86_64)' -e 'https://example.com/start' -b 'sid=31d4d96e407aad42; lang=en-US' "$BASE/echo/api/account" """,
    "continued-get-options": """curl --request GET \\
     --url "$BASE/echo/api/v1/orders?status=open&sort=-created" \\
     --header 'accept: application/json' \\
     --max-time 30 -k""",
    "maps-query-key": """curl "$BASE/echo/api/maps/api/geocode/json?address=1600+Amphitheatre+Parkway,+Mountain+View&key=AIzaSyD-EXAMPLEKEY123" """,
    "api-key-header-json": """curl -H "x-api-key: 0123456789abcdef" -H "Content-Type: application/json" -d '{"query": "status = open", "limit": 20}' "$BASE/echo/api/v1/search" """,
    "pagerduty-event": """curl -X POST -H 'Content-Type: application/json' --data '{"routing_key":"R0123456789abcdefghij","event_action":"trigger","payload":{"summary":"Disk full on db01","source":"db01","severity":"critical"}}' "$BASE/echo/api/v2/enqueue" """,
    "data-joined": """curl -d 'a=1' -d 'b=two words' -d 'c=%26amp' --data-urlencode 'note@note.txt' "$BASE/echo/api/v1/join" """,
    "data-file-stripped": """curl -d @payload.txt "$BASE/echo/api/v1/form" """,
    "form-text-from-file": """curl -F 'message=<message.txt' -F 'to=ops' "$BASE/echo/api/v1/notify" """,
    "token-scheme": """curl -H "Authorization: Token token=abc123, email=ops@example.com" "$BASE/echo/api/v1/customers?page=2" """,
    "ansi-c-quoting": """curl -H $'X-Note: tab\\there' -H 'Content-Type: application/json' -d $'{"text": "caf\\u00e9 \\x41 it\\'s"}' "$BASE/echo/api/ansi" """,
    "loggly-text-line": """curl -H "content-type:text/plain" -d 'PLAINTEXT log line: disk 91% full on db01' "$BASE/echo/api/inputs/TOKEN/tag/http/" """,
    "raw-words-no-type": """curl "$BASE/echo/api/v1/hooks/ping" -d 'ping from the docs, no pairs here'""",
    "elastic-bulk-ndjson": """curl -s -H "Content-Type: application/x-ndjson" -XPOST "$BASE/echo/api/_bulk" --data-binary "@requests.ndjson" """,
    "salesforce-bulk-csv": """curl "$BASE/echo/api/services/data/v58.0/jobs/ingest/7505e000/batches" \\
  -X PUT -H "Authorization: Bearer 00D5e000000abcd" \\
  -H "Content-Type: text/csv" --data-binary @contacts.csv""",
    "dropbox-binary-upload": """curl -X POST "$BASE/echo/api/2/files/upload" \\
  --header "Authorization: Bearer sl.dropbox-token-0123" \\
  --header 'Dropbox-API-Arg: {"path": "/Homework/math/logo.png","mode": "add"}' \\
  --header "Content-Type: application/octet-stream" \\
  --data-binary @logo.png""",
    "binary-no-type": """curl --data-binary @logo.png "$BASE/echo/api/v1/blobs" """,
    "corporate-proxy": """curl --proxy "http://$PROXY_HOST" --proxy-user 'ops:pr0xy pass' -H 'Accept: application/json' "$BASE/echo/api/v1/status" """,
    "proxy-stuck-flag": """curl -x$PROXY_HOST -d 'name=Ada' "$BASE/echo/api/v1/people" """,
    "prompt-and-output-flags": """$ curl -sS -o /dev/null -w '%{http_code}' -X PUT "$BASE/echo/api/v1/flags/beta" -H 'Content-Type: application/json' -d '{"enabled": false}'""",
}

FILES = {
    "account.json": '{\n  "BillingCity": "San Francisco",\n  "Name": "Acme"\n}\n',
    "request.xml": (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
        '  <soap:Body><GetWeather xmlns="http://www.webserviceX.NET"><CityName>Oslo</CityName></GetWeather></soap:Body>\n'
        "</soap:Envelope>\n"
    ),
    "report.csv": "date,visits\n2024-01-01,42\n2024-01-02,17\n",
    "note.txt": "50% off & more",
    "payload.txt": "first=Ada&\nlast=Lovelace\n",
    "message.txt": "Disk full on db01",
    "requests.ndjson": '{"index":{"_index":"logs"}}\n{"msg":"disk full","host":"db01"}\n',
    "contacts.csv": "FirstName,LastName,Email\nAda,Lovelace,ada@example.com\nAlan,Turing,alan@example.com\n",
}
# A PNG header and every byte value: not text, so `--data-binary @logo.png` is a file body.
LOGO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
# Headers either side adds on its own; the ones a command sets are compared.
_OWN = {"host", "connection", "content-length", "accept-encoding", "user-agent", "accept"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("curl-docs")
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "invoice.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    (folder / "logo.png").write_bytes(LOGO)
    return folder


@pytest.fixture(scope="module")
def proxy() -> Iterator[Proxy]:
    with forward_proxy() as running:
        yield running


@pytest.fixture(autouse=True)
def _proxy_host(proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SHELL_ENV, "PROXY_HOST", proxy.url.removeprefix("http://"))


def shell_env(sandbox: Sandbox) -> dict[str, str]:
    return {**SHELL_ENV, "BASE": sandbox.base_url.rstrip("/")}


def echo_by_curl(command: str, folder: Path, sandbox: Sandbox) -> dict[str, Any]:
    """Run the command as a person would: bash expands it, the system's curl sends it."""
    command = command.removeprefix("$ ")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder), **shell_env(sandbox)}
    done = subprocess.run(
        ["bash", "-c", command.replace("-o /dev/null -w '%{http_code}'", "")],
        cwd=folder,
        env=env,
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def echo_by_hookbench(
    command: str, folder: Path, sandbox: Sandbox, name: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], Path]:
    """Import with `hookbench import curl`, then send the profile it wrote."""
    monkeypatch.chdir(folder)
    profile = folder / "profiles" / f"{name}.toml"
    assert main(["import", "curl", command, "-o", str(profile)]) == 0
    module = read_module(profile)
    dotenv = profile.parent / ".env"
    variables = Variables(
        environ=shell_env(sandbox), env_file=read_env_file(dotenv) if dotenv.exists() else {}
    )
    result = run_module_sync(module, variables, base_dir=profile.parent)
    assert result.exchange is not None and result.exchange.status == 200, result.reason
    return json.loads(result.exchange.body), profile


def comparable(echo: dict[str, Any], command: str) -> dict[str, Any]:
    """What must agree: method, path, query, the headers that matter, the body as the server reads it.

    An endpoint that checks rather than echoes (digest auth, whose header holds a fresh nonce)
    is compared on its answer."""
    if "headers" not in echo:
        return echo
    headers = {name.lower(): value for name, value in echo["headers"].items()}
    sets = command.lower()
    kept = {
        name: value
        for name, value in headers.items()
        if name not in _OWN or f"{name}:" in sets or (name == "user-agent" and "-a " in sets)
    }
    media_type = headers.get("content-type", "")
    body: Any = echo["body"]
    if media_type.startswith("multipart/form-data"):
        kept["content-type"] = "multipart/form-data"
        body = sorted(multipart_parts(media_type, body, typed="type=" in command))
    elif media_type.startswith("application/x-www-form-urlencoded") and all(
        "=" in piece for piece in body.split("&") if piece
    ):
        body = parse_qsl(body, keep_blank_values=True)
    elif re.search(r"[/+]json\b", media_type) and body:
        body = json.loads(body)
    return {
        "method": echo["method"],
        "path": echo["path"],
        "args": echo["args"],
        "headers": kept,
        "body": body,
    }


def multipart_parts(media_type: str, body: str, *, typed: bool) -> list[tuple[str, str, str, str]]:
    """(field, file name, part type, content) of each part, boundaries aside; hookbench sends text
    fields before files, so callers compare them sorted. A file's type counts when the command
    gave one (`;type=`); else each side names it its own way (curl: octet-stream, hookbench: by
    its extension)."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {media_type}\r\n\r\n".encode() + body.encode("utf-8", "surrogateescape")
    )
    return [
        (
            str(part.get_param("name", header="content-disposition")),
            part.get_filename() or "",
            part.get_content_type() if part.get("content-type") and typed else "",
            part.get_payload(decode=True).decode("utf-8", "replace"),
        )
        for part in message.iter_parts()
    ]


def test_the_table_is_as_long_as_the_issue_asks() -> None:
    assert len(COMMANDS) >= 30


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_curl_and_hookbench_send_the_same_request(
    name: str, workspace: Path, sandbox: Sandbox, proxy: Proxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = COMMANDS[name]
    carried = len(proxy.seen)
    by_curl = echo_by_curl(command, workspace, sandbox)
    by_hookbench, profile = echo_by_hookbench(command, workspace, sandbox, name, monkeypatch)
    assert comparable(by_hookbench, command) == comparable(by_curl, command)
    if "PROXY_HOST" in command:  # both went through the proxy, with the same credentials
        assert len(proxy.seen) == carried + 2 and proxy.seen[-1] == proxy.seen[-2]
        assert proxy.credentials[-1] == proxy.credentials[-2]
        assert ("proxy-user" in command) == proxy.credentials[-1].startswith("Basic ")
    # and the profile holds no credential of the command: they went to the .env beside it
    text = profile.read_text(encoding="utf-8")
    for secret in (
        "sk_test_4eC39",
        "xoxb-1234",
        "6wiIBWbG",
        "pat-na1",
        "00D5e000000abcd",
        "AIzaSyD",
        "shh-its",
        "sl.dropbox",
        "pr0xy",
    ):
        assert secret not in text


def test_tls_options_against_a_mutual_tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--cacert`, `--cert`, `--key` and `--pass` (an encrypted key) against a server that
    demands a client certificate: curl, hookbench from the imported profile, and the command
    hookbench exports from that profile all get in as the same client."""
    (tmp_path / "tls").mkdir()
    tls = make_tls_files(tmp_path / "tls")
    monkeypatch.chdir(tmp_path)
    with tls_server(tls) as url:
        command = (
            f"curl --cacert tls/ca.pem --cert tls/{tls.client_cert.name} --key tls/{tls.encrypted_key.name} "
            f"--pass '{tls.key_password}' {url}/whoami"
        )
        plain = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
        by_curl = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=plain, capture_output=True, timeout=30
        )
        assert by_curl.returncode == 0, by_curl.stderr.decode()
        assert json.loads(by_curl.stdout) == {"client": "client.hookbench.test"}

        profile = tmp_path / "profiles" / "whoami.toml"
        assert main(["import", "curl", command, "-o", str(profile)]) == 0
        text = profile.read_text(encoding="utf-8")
        assert tls.key_password not in text  # the key's password went to the .env
        module = read_module(profile)
        assert module.request.verify_tls == str(tls.ca_pem)
        assert module.request.client_key == str(tls.encrypted_key)
        secrets = read_env_file(profile.parent / ".env")
        result = run_module_sync(module, Variables(environ={}, env_file=secrets), base_dir=profile.parent)
        assert result.exchange is not None, result.reason
        assert json.loads(result.exchange.body) == {"client": "client.hookbench.test"}

        exported = export_curl(module, Variables(environ={}), base_dir=profile.parent)
        assert '--pass "$HOOKBENCH_WHOAMI_KEY_PASSWORD"' in exported
        again = subprocess.run(
            ["bash", "-c", exported], env={**plain, **secrets}, capture_output=True, timeout=30
        )
        assert again.returncode == 0, again.stderr.decode()
        assert json.loads(again.stdout) == {"client": "client.hookbench.test"}


def test_a_binary_upload_arrives_byte_for_byte(
    workspace: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--data-binary @file` of a file that is not text: both send exactly its bytes (the echo
    table compares decoded text; /echo/raw gives the bytes' digest)."""
    command = """curl -H 'Content-Type: image/png' --data-binary @logo.png "$BASE/echo/raw" -D -"""
    done = subprocess.run(
        ["bash", "-c", command + " -o /dev/null"],
        cwd=workspace,
        env={"PATH": os.environ.get("PATH", ""), **shell_env(sandbox)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    digest = hashlib.sha256(LOGO).hexdigest()
    assert f"x-body-sha256: {digest}" in done.stdout.lower()
    monkeypatch.chdir(workspace)
    profile = workspace / "profiles" / "raw-upload.toml"
    assert main(["import", "curl", command, "-o", str(profile)]) == 0
    module = read_module(profile)
    assert module.request.body is not None and module.request.body.file == str(workspace / "logo.png")
    result = run_module_sync(module, Variables(environ=shell_env(sandbox)), base_dir=profile.parent)
    assert result.exchange is not None and result.exchange.header("x-body-sha256") == digest
    assert result.exchange.body == LOGO
