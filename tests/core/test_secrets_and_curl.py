"""Secrets are masked wherever a request is shown: --dry-run output and the curl command line."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tui.commands.output import format_request
from tui.core.curl import to_curl
from tui.core.model import Body, Module, Request
from tui.core.render import RenderedRequest, render_request
from tui.core.secrets import MASK, is_secret_header, mask_header, mask_text
from tui.core.variables import Variables

DATA = Path(__file__).resolve().parents[1] / "data"
SECRET = "s3cr3t&v@lue <x>"


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("Authorization", True),
        ("proxy-authorization", True),
        ("Cookie", True),
        ("Set-Cookie", True),
        ("X-API-Key", True),
        ("X-Auth-Token", True),
        ("client_secret", True),
        ("X-Password", True),
        ("Accept", False),
        ("Content-Type", False),
        ("X-Request-Id", False),
    ],
)
def test_secret_header_names(name: str, secret: bool) -> None:
    assert is_secret_header(name) is secret


def test_mask_header_keeps_the_auth_scheme_only() -> None:
    assert mask_header("Authorization", "Bearer abc.def") == f"Bearer {MASK}"
    assert mask_header("Authorization", "Basic dXNlcjpwYXNz") == f"Basic {MASK}"
    assert mask_header("Authorization", "rawtoken") == MASK
    assert mask_header("Cookie", "session=abc; theme=dark") == MASK
    assert mask_header("X-Api-Key", "Key abc") == MASK
    assert mask_header("Accept", "application/json") == "application/json"


def test_mask_text_catches_every_encoding_of_a_secret() -> None:
    text = (
        "raw s3cr3t&v@lue <x> | url s3cr3t%26v%40lue%20%3Cx%3E | form s3cr3t%26v%40lue+%3Cx%3E"
        " | xml s3cr3t&amp;v@lue &lt;x&gt;"
    )
    assert mask_text(text, {SECRET}) == f"raw {MASK} | url {MASK} | form {MASK} | xml {MASK}"
    assert mask_text("ab is short", {"ab"}) == "ab is short"  # too short to mask safely


def rendered_with_secrets() -> RenderedRequest:
    module = Module(
        request=Request(
            method="POST",
            url="https://api.example.test/v1/items?api_key={{env.API_KEY}}&page=2",
            headers=(
                ("Authorization", "Bearer {{env.TOKEN}}"),
                ("X-Mirror", "{{env.TOKEN}}"),
                ("Accept", "application/json"),
            ),
            body=Body("json", '{"token": "{{env.TOKEN}}", "key": "{{env.API_KEY}}", "name": "visible"}'),
        )
    )
    return render_request(module, Variables(environ={"TOKEN": "tok-123456", "API_KEY": SECRET}))


def test_dry_run_output_masks_secret_headers_and_env_values() -> None:
    shown = format_request(rendered_with_secrets())
    assert shown == "\n".join(
        [
            f"POST https://api.example.test/v1/items?api_key={MASK}&page=2",
            f"Authorization: Bearer {MASK}",
            f"X-Mirror: {MASK}",
            "Accept: application/json",
            "Content-Type: application/json",
            "",
            f'{{"token": "{MASK}", "key": "{MASK}", "name": "visible"}}',
        ]
    )
    assert "tok-123456" not in shown and "s3cr3t" not in shown


def test_a_literal_secret_header_is_masked_even_without_env() -> None:
    module = Module(
        request=Request(url="http://example.test/", headers=(("Authorization", "Bearer hard-coded"),))
    )
    shown = format_request(render_request(module, Variables(environ={})))
    assert shown == f"GET http://example.test/\nAuthorization: Bearer {MASK}"


def test_curl_for_the_screen_masks_and_can_be_pasted() -> None:
    request = rendered_with_secrets()
    line = to_curl(request, mask_secrets=True)
    assert "tok-123456" not in line and "s3cr3t" not in line
    assert shlex.split(line) == [
        "curl",
        f"https://api.example.test/v1/items?api_key={MASK}&page=2",
        "-H",
        f"Authorization: Bearer {MASK}",
        "-H",
        f"X-Mirror: {MASK}",
        "-H",
        "Accept: application/json",
        "-H",
        "Content-Type: application/json",
        "--data-binary",
        f'{{"token": "{MASK}", "key": "{MASK}", "name": "visible"}}',
        "-L",
        "--max-time",
        "10",
    ]


def test_curl_unmasked_shows_the_real_values() -> None:
    argv = shlex.split(to_curl(rendered_with_secrets()))
    assert "Authorization: Bearer tok-123456" in argv
    assert "https://api.example.test/v1/items?api_key=s3cr3t%26v%40lue%20%3Cx%3E&page=2" in argv


def test_curl_for_get_multipart_and_options(tmp_path: Path) -> None:
    get = render_request(
        Module(
            request=Request(
                url="http://example.test/a b", timeout=2.5, verify_tls=False, follow_redirects=False
            )
        ),
        Variables(environ={}),
    )
    assert shlex.split(to_curl(get)) == ["curl", "http://example.test/a b", "-k", "--max-time", "2.5"]
    (tmp_path / "cv.txt").write_text("cv", encoding="utf-8")
    multipart = Module(
        request=Request(
            method="POST",
            url="http://example.test/up",
            body=Body("multipart", fields=(("who", "{{env.WHO}}"), ("cv", "@cv.txt"))),
        )
    )
    rendered = render_request(multipart, Variables(environ={"WHO": "secret-person"}), base_dir=tmp_path)
    assert shlex.split(to_curl(rendered, mask_secrets=True)) == [
        "curl",
        "http://example.test/up",
        "-F",
        f"who={MASK}",
        "-F",
        f"cv=@{tmp_path / 'cv.txt'};type=text/plain",
        "-L",
        "--max-time",
        "10",
    ]


def test_non_ascii_secret_in_a_json_body_is_masked() -> None:
    module = Module(
        request=Request(method="POST", url="http://example.test/", body=Body("json", '{"p": "{{env.PASS}}"}'))
    )
    request = render_request(module, Variables(environ={"PASS": 'pä"sswörd'}))
    assert "sswörd" not in format_request(request)
    assert "sswörd" not in to_curl(request, mask_secrets=True)


@pytest.mark.parametrize("secret", ["it's-a-secret", 'say "secret"', "a&b<secret>"])
def test_secret_with_quotes_in_an_xml_body_is_masked(secret: str) -> None:
    module = Module(
        request=Request(
            method="POST",
            url="http://example.test/",
            body=Body("xml", '<p a="{{env.PASS}}">{{env.PASS}}</p>'),
        )
    )
    request = render_request(module, Variables(environ={"PASS": secret}))
    assert format_request(request).endswith(f'<p a="{MASK}">{MASK}</p>')
    assert "secret" not in to_curl(request, mask_secrets=True)
