"""The embedded demo API, exercised over real HTTP on loopback."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import xmltodict

from tests.servers import ctrl_c_as_in_a_terminal
from tui.sandbox import DEMO_TOKEN, HOSTILE, Sandbox

SOAP_11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_12 = "http://www.w3.org/2003/05/soap-envelope"


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fresh_sandbox.base_url, timeout=5) as client:
        yield client


def soap_request(email: str, namespace: str = SOAP_11) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{namespace}"><s:Body><GetUser xmlns="urn:hookbench:subscribers">'
        f"<email>{email}</email></GetUser></s:Body></s:Envelope>"
    ).encode()


# --- subscribers ---------------------------------------------------------------------------


def test_lookup_by_email_ignores_case(client: httpx.Client) -> None:
    response = client.get("/subscribers", params={"email": "ADA@Example.com"})
    assert response.status_code == 200
    [ada] = response.json()["subscribers"]
    assert ada["id"] == "sub_1"
    assert ada["tags"] == ["vip", "newsletter"]
    assert set(ada) == {"id", "email", "first_name", "last_name", "phone", "tags", "created"}


def test_lookup_miss_is_404_with_an_empty_list(client: httpx.Client) -> None:
    response = client.get("/subscribers", params={"email": "nobody@example.com"})
    assert response.status_code == 404
    assert response.json() == {"subscribers": [], "error": "no subscriber with email nobody@example.com"}


def test_list_and_get_subscribers(client: httpx.Client) -> None:
    listed = client.get("/subscribers").json()["subscribers"]
    assert [s["email"] for s in listed] == ["ada@example.com", "grace@example.com"]
    assert client.get("/subscribers/sub_2").json()["last_name"] == "Hopper"
    missing = client.get("/subscribers/sub_99")
    assert missing.status_code == 404
    assert "sub_99" in missing.json()["error"]


def test_create_from_json(client: httpx.Client, fresh_sandbox: Sandbox) -> None:
    response = client.post(
        "/subscribers", json={"email": "new@example.com", "first_name": "Nia", "tags": ["trial"]}
    )
    assert response.status_code == 201
    created = response.json()
    assert created["id"] == "sub_3"
    assert response.headers["Location"] == "/subscribers/sub_3"
    assert fresh_sandbox.state.subscribers["sub_3"]["first_name"] == "Nia"
    assert client.get(response.headers["Location"]).json() == created


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml"])
def test_create_from_xml(client: httpx.Client, content_type: str) -> None:
    body = (
        b"<subscriber><email>x@example.com</email><first_name>Xia</first_name><phone/>"
        b"<tags><tag>a</tag><tag>b</tag></tags></subscriber>"
    )
    response = client.post("/subscribers", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 201
    assert response.json()["first_name"] == "Xia"
    assert response.json()["tags"] == ["a", "b"]
    assert response.json()["phone"] == ""


def test_create_from_form_with_repeated_tags(client: httpx.Client) -> None:
    response = client.post(
        "/subscribers", data={"email": "f@example.com", "last_name": "Form", "tags": ["one", "two"]}
    )
    assert response.status_code == 201
    assert response.json()["last_name"] == "Form"
    assert response.json()["tags"] == ["one", "two"]


def test_create_from_multipart_records_files(client: httpx.Client) -> None:
    payload = bytes(range(256)) * 4 + b"\r\n--tricky\r\n"
    response = client.post(
        "/subscribers",
        data={"email": "m@example.com", "tags": "x, y"},
        files={"avatar": ("me.png", payload, "image/png")},
    )
    assert response.status_code == 201
    subscriber = response.json()
    assert subscriber["tags"] == ["x", "y"]
    assert subscriber["attachments"] == [{"field": "avatar", "filename": "me.png", "size": len(payload)}]


def test_create_from_a_chunked_body(client: httpx.Client) -> None:
    chunks = iter([b'{"email": "chunk', b'ed@example.com"}'])
    response = client.post("/subscribers", content=chunks, headers={"Content-Type": "application/json"})
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert response.status_code == 201
    assert response.json()["email"] == "chunked@example.com"


def test_create_with_a_taken_email_is_409(client: httpx.Client) -> None:
    response = client.post("/subscribers", json={"email": "Grace@Example.com"})
    assert response.status_code == 409
    assert "sub_2" in response.json()["error"]


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"first_name": "No Mail"}}, 400, "'email' field is required"),
        ({"json": {"email": "not-an-address"}}, 400, "must be an e-mail address"),
        ({"json": ["a@example.com"]}, 400, "must be an object"),
        ({"json": {"email": "t@example.com", "tags": 3}}, 400, "'tags'"),
        ({"data": {"first_name": "No Mail"}}, 400, "'email' field is required"),
        ({"content": b'{"email": ', "headers": {"Content-Type": "application/json"}}, 400, "malformed JSON"),
        (
            {"content": b"<subscriber><email>", "headers": {"Content-Type": "application/xml"}},
            400,
            "malformed XML",
        ),
        (
            {"content": b"<email>a@example.com</email>", "headers": {"Content-Type": "text/xml"}},
            400,
            "child elements",
        ),
        (
            {"content": b"--x--", "headers": {"Content-Type": "multipart/form-data"}},
            400,
            "malformed multipart",
        ),
        (
            {"content": b"email=a@example.com", "headers": {"Content-Type": "text/plain"}},
            415,
            "unsupported content type 'text/plain'",
        ),
    ],
)
def test_create_rejects_bad_bodies(
    client: httpx.Client, kwargs: dict[str, object], status: int, message: str
) -> None:
    response = client.post("/subscribers", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert message in response.json()["error"]


def test_put_replaces_and_patch_merges(client: httpx.Client) -> None:
    patched = client.patch("/subscribers/sub_1", json={"phone": "555"}).json()
    assert (patched["phone"], patched["first_name"], patched["tags"]) == ("555", "Ada", ["vip", "newsletter"])
    put = client.put("/subscribers/sub_1", json={"email": "ada@lovelace.org", "first_name": "A"})
    assert put.status_code == 200
    assert put.json()["email"] == "ada@lovelace.org"
    assert (put.json()["phone"], put.json()["tags"]) == ("", [])
    assert put.json()["created"] == patched["created"]
    assert client.put("/subscribers/sub_1", json={"first_name": "B"}).status_code == 400
    taken = client.patch("/subscribers/sub_1", json={"email": "grace@example.com"})
    assert taken.status_code == 409
    assert client.patch("/subscribers/sub_9", json={"phone": "1"}).status_code == 404


def test_delete(client: httpx.Client, fresh_sandbox: Sandbox) -> None:
    response = client.delete("/subscribers/sub_2")
    assert response.status_code == 204
    assert response.content == b""
    assert "sub_2" not in fresh_sandbox.state.subscribers
    assert client.delete("/subscribers/sub_2").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/subscribers?email=ada@example.com",
        "/subscribers?email=nobody@example.com",
        "/subscribers/sub_1",
        "/subscribers/sub_9",
    ],
)
def test_head_answers_like_get_without_a_body(client: httpx.Client, url: str) -> None:
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code
    assert head.headers["Content-Length"] == str(len(got.content))
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.content == b""


# --- users, auth, e-mail, echo, reset ------------------------------------------------------


def test_users_have_titles(client: httpx.Client) -> None:
    users = client.get("/users").json()["users"]
    assert [(u["id"], u["title"]) for u in users] == [(1, "Ms"), (2, "Dr")]


def test_bearer_token(client: httpx.Client) -> None:
    missing = client.get("/secure/profile")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/secure/profile", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]
    ok = client.get("/secure/profile", headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
    assert ok.status_code == 200
    assert ok.json()["profile"]["email"] == "agent@example.com"


def test_discount_email_is_queued(client: httpx.Client, fresh_sandbox: Sandbox) -> None:
    first = client.post("/emails/discount", json={"email": "ada@example.com"})
    second = client.post("/emails/discount", json={"email": "b@example.com", "code": "VIP20"})
    assert first.status_code == 202
    assert first.json() == {"queued": True, "id": "mail_1", "email": "ada@example.com", "code": "WELCOME10"}
    assert second.json()["id"] == "mail_2"
    assert [m["code"] for m in fresh_sandbox.state.emails_sent] == ["WELCOME10", "VIP20"]
    assert client.post("/emails/discount", json={"code": "X"}).status_code == 400


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_echo_reflects_the_request(client: httpx.Client, method: str) -> None:
    response = client.request(
        method, "/echo?q=a+b&q=2", content=b"caf\xc3\xa9 \xff", headers={"X-Trace": "42"}
    )
    echoed = response.json()
    assert response.status_code == 200
    assert (echoed["method"], echoed["path"], echoed["query"]) == (method, "/echo", "q=a+b&q=2")
    assert echoed["args"] == {"q": ["a b", "2"]}
    assert echoed["headers"]["X-Trace"] == "42"
    assert echoed["body"] == "café \ufffd"


def test_reset_over_http_and_in_process(client: httpx.Client, fresh_sandbox: Sandbox) -> None:
    client.post("/subscribers", json={"email": "tmp@example.com"})
    client.post("/emails/discount", json={"email": "tmp@example.com"})
    assert client.post("/admin/reset").json() == {"reset": True}
    assert set(fresh_sandbox.state.subscribers) == {"sub_1", "sub_2"}
    assert fresh_sandbox.state.emails_sent == []
    assert client.post("/subscribers", json={"email": "again@example.com"}).json()["id"] == "sub_3"
    fresh_sandbox.reset()
    assert "sub_3" not in fresh_sandbox.state.subscribers


def test_drift_switch_changes_the_shape_of_users_and_subscribers(
    client: httpx.Client, fresh_sandbox: Sandbox
) -> None:
    assert client.post("/admin/drift").json() == {"drift": True}
    users = client.get("/users").json()
    assert users["page"] == {"next": None}
    assert users["users"][0]["id"] == "1" and users["users"][0]["salutation"] == "Ms"
    assert "title" not in users["users"][0]
    ada = client.get("/subscribers", params={"email": "ada@example.com"}).json()["subscribers"][0]
    assert ada["name"] == {"first": "Ada", "last": "Lovelace"} and "first_name" not in ada
    assert ada["tags"] == [{"label": "vip"}, {"label": "newsletter"}]
    assert client.post("/admin/drift", params={"on": "maybe"}).status_code == 400
    assert client.post("/admin/drift", params={"on": "false"}).json() == {"drift": False}
    assert set(client.get("/users").json()) == {"users"}
    assert client.get("/users").json()["users"][0]["title"] == "Ms"
    client.post("/admin/drift", params={"on": "true"})
    fresh_sandbox.reset()
    assert fresh_sandbox.state.drift is False


def test_unknown_path_and_wrong_method(client: httpx.Client) -> None:
    missing = client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.json() == {"error": "no endpoint at /nowhere"}
    wrong = client.delete("/users")
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "GET, HEAD"


def test_negative_content_length_is_400_and_closes(fresh_sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection(fresh_sandbox.base_url.removeprefix("http://"))
    try:
        connection.request("POST", "/echo", headers={"Content-Length": "-1"})
        response = connection.getresponse()
        assert response.status == 400
        assert response.will_close
    finally:
        connection.close()


def test_connection_is_kept_alive_across_responses(fresh_sandbox: Sandbox) -> None:
    connection = http.client.HTTPConnection(fresh_sandbox.base_url.removeprefix("http://"))
    try:
        for method, url in [
            ("POST", "/nowhere"),
            ("GET", "/users"),
            ("DELETE", "/users"),
            ("GET", "/fault/status/204"),
            ("GET", "/subscribers/sub_1"),
        ]:
            connection.request(method, url, body=b"ignored" if method == "POST" else None)
            socket = connection.sock
            response = connection.getresponse()
            response.read()
            assert not response.will_close
        assert connection.sock is socket
        assert response.status == 200
    finally:
        connection.close()


# --- SOAP ----------------------------------------------------------------------------------


def test_soap_get_user(client: httpx.Client) -> None:
    response = client.post(
        "/soap/subscribers",
        content=soap_request("ada@example.com"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    body = xmltodict.parse(response.content)["soap:Envelope"]["soap:Body"]
    user = body["GetUserResponse"]["user"]
    assert (user["@id"], user["name"], user["tags"]["tag"]) == (
        "sub_1",
        "Ada Lovelace",
        ["vip", "newsletter"],
    )


def test_soap_12_answers_in_kind(client: httpx.Client) -> None:
    response = client.post(
        "/soap/subscribers",
        content=soap_request("grace@example.com", SOAP_12),
        headers={"Content-Type": "application/soap+xml; charset=utf-8"},
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/soap+xml")
    assert f'xmlns:soap="{SOAP_12}"' in response.text
    assert "<name>Grace Hopper</name>" in response.text


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (soap_request("nobody@example.com"), "no subscriber with email nobody@example.com"),
        (b"<soap:Envelope", "malformed XML"),
        (b"<Envelope><Body/></Envelope>", "expected soap:Envelope/soap:Body/GetUser/email"),
    ],
)
def test_soap_fault(client: httpx.Client, body: bytes, reason: str) -> None:
    response = client.post("/soap/subscribers", content=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 500
    fault = xmltodict.parse(response.content)["soap:Envelope"]["soap:Body"]["soap:Fault"]
    assert fault["faultcode"] == "soap:Client"
    assert reason in fault["faultstring"]


def test_soap_12_fault(client: httpx.Client) -> None:
    response = client.post(
        "/soap/subscribers",
        content=soap_request("nobody@example.com", SOAP_12),
        headers={"Content-Type": "application/soap+xml"},
    )
    assert response.status_code == 500
    fault = xmltodict.parse(response.content)["soap:Envelope"]["soap:Body"]["soap:Fault"]
    assert fault["soap:Code"]["soap:Value"] == "soap:Sender"
    assert "nobody@example.com" in fault["soap:Reason"]["soap:Text"]["#text"]


# --- faults --------------------------------------------------------------------------------


def test_delay(client: httpx.Client) -> None:
    assert client.get("/fault/delay", params={"seconds": "0.05"}).json() == {"delayed": 0.05}
    assert client.get("/fault/delay", params={"seconds": "soon"}).status_code == 400
    with pytest.raises(httpx.ReadTimeout):
        client.get("/fault/delay", params={"seconds": "1"}, timeout=0.1)


def test_drip_sends_headers_first_then_the_body(client: httpx.Client) -> None:
    with client.stream("GET", "/fault/drip", params={"seconds": "0.3", "bytes": "6"}) as response:
        assert response.headers["Content-Length"] == "6"
        assert response.read() == b"******"


def test_drip_survives_a_client_hanging_up(client: httpx.Client) -> None:
    with client.stream("GET", "/fault/drip", params={"seconds": "0.5", "bytes": "50"}) as response:
        first = next(response.iter_raw())  # one drip, or two when the machine is busy
        assert first and set(first) == {ord("*")}
    assert client.get("/users").status_code == 200


def test_drop_cuts_the_body_short(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="received 10 bytes, expected 1000"):
        client.get("/fault/drop")
    assert client.get("/users").status_code == 200


def test_malformed_bodies(client: httpx.Client) -> None:
    bad_json = client.get("/fault/malformed-json")
    assert bad_json.headers["Content-Type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        bad_json.json()
    bad_xml = client.get("/fault/malformed-xml")
    assert bad_xml.headers["Content-Type"] == "application/xml"
    with pytest.raises(Exception, match="mismatched tag"):
        xmltodict.parse(bad_xml.content)


def test_xml_bomb_is_small_on_the_wire(client: httpx.Client) -> None:
    response = client.get("/fault/xml-bomb")
    assert response.headers["Content-Type"] == "application/xml"
    assert len(response.content) < 2000
    assert b"<!DOCTYPE lolz" in response.content
    assert b"<lolz>&lol9;</lolz>" in response.content
    assert response.text.count("&lol8;") == 10


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 1000, 1001])
def test_bytes_as_json_is_a_valid_array(client: httpx.Client, size: int) -> None:
    response = client.get("/fault/bytes", params={"n": size, "type": "json"})
    assert response.headers["Content-Type"] == "application/json"
    assert len(response.content) == max(size, 2)
    assert set(response.json()) <= {0}


def test_bytes_as_text_and_binary(client: httpx.Client) -> None:
    text = client.get("/fault/bytes", params={"n": 100, "type": "text"})
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert len(text.content) == 100
    assert text.text.startswith("The quick brown fox")
    binary = client.get("/fault/bytes", params={"n": 300})
    assert binary.headers["Content-Type"] == "application/octet-stream"
    assert binary.content == (bytes(range(256)) * 2)[:300]
    assert client.get("/fault/bytes", params={"type": "yaml"}).status_code == 400


def test_bytes_streams_a_large_body(client: httpx.Client) -> None:
    size = 8 * 1024 * 1024
    with client.stream("GET", "/fault/bytes", params={"n": size}) as response:
        assert response.headers["Content-Length"] == str(size)
        assert sum(len(chunk) for chunk in response.iter_raw()) == size


@pytest.mark.parametrize("code", [200, 201, 404, 418, 500, 503])
def test_status(client: httpx.Client, code: int) -> None:
    response = client.post(f"/fault/status/{code}")
    assert response.status_code == code
    assert response.json() == {"status": code}


def test_status_edge_cases(client: httpx.Client) -> None:
    no_content = client.get("/fault/status/204")
    assert (no_content.status_code, no_content.content) == (204, b"")
    assert client.get("/fault/status/100").status_code == 400


def test_redirect_chain(client: httpx.Client) -> None:
    first = client.get("/fault/redirect/3")
    assert first.status_code == 302
    assert first.headers["Location"] == "/fault/redirect/2"
    followed = client.get("/fault/redirect/3", follow_redirects=True)
    assert followed.json() == {"redirected": True}
    assert len(followed.history) == 3


def test_binary_is_not_utf8(client: httpx.Client) -> None:
    response = client.get("/fault/binary")
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")


def test_latin1_bodies(client: httpx.Client) -> None:
    text = client.get("/fault/latin1")
    assert text.content == b"caf\xe9"
    assert text.text == "café"
    data = client.get("/fault/json-latin1")
    assert data.headers["Content-Type"] == "application/json; charset=iso-8859-1"
    assert json.loads(data.content.decode(data.encoding or "utf-8")) == {"name": "café"}


def test_escapes_reach_the_client_in_every_place(client: httpx.Client) -> None:
    """The raw material of the terminal-safety tests: httpx lets all of it through."""
    text = client.get("/fault/escapes")
    assert text.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert HOSTILE in text.text and "ls\rrm -rf ~" in text.text
    assert text.headers["X-Hostile"] == HOSTILE  # the C1 byte arrives as U+009B (latin-1)
    assert text.reason_phrase == "OK " + HOSTILE.replace("\x9b", "")  # httpx drops non-ASCII here
    data = client.get("/fault/escapes", params={"type": "json"}).json()
    assert data[HOSTILE] == "a key that is hostile"
    assert data["nested"]["value"] == HOSTILE
    assert client.get("/fault/escapes", params={"type": "xml"}).status_code == 400


# --- lifecycle -----------------------------------------------------------------------------


def test_lifecycle() -> None:
    sandbox = Sandbox()
    with pytest.raises(RuntimeError, match="not running"):
        sandbox.base_url  # noqa: B018
    with sandbox:
        assert httpx.get(f"{sandbox.base_url}/users").status_code == 200
        with pytest.raises(RuntimeError, match="already running"):
            sandbox.start()
        url = sandbox.base_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/users")
    sandbox.stop()  # stopping twice is harmless


def test_serve_forever_prints_its_url_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", "from tui.sandbox import serve_forever; serve_forever()"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("hookbench sandbox listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1].strip()
        assert httpx.get(f"{url}/users").status_code == 200
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=5)
    finally:
        process.kill()
    assert process.returncode == 0
    assert stderr == ""


# --- big generated bodies --------------------------------------------------------------------


def test_records_as_json_and_xml(client: httpx.Client) -> None:
    data = client.get("/records", params={"n": 3}).json()
    assert data["count"] == 3
    assert data["records"][2] == {
        "id": "rec_2",
        "email": "user2@example.com",
        "name": "Alan Turing",
        "tags": ["newsletter"],
        "points": 74,
        "active": True,
    }
    response = client.get("/records", params={"n": 2, "format": "xml"})
    assert response.headers["content-type"] == "application/xml"
    records = xmltodict.parse(response.text)["records"]["record"]
    assert [r["@id"] for r in records] == ["rec_0", "rec_1"] and records[1]["tags"]["tag"] == [
        "newsletter",
        "vip",
    ]
    assert client.get("/records", params={"format": "csv"}).status_code == 400
