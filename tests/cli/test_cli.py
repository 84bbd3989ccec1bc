"""The `hookbench` command run as a user runs it: a real process, real stdout/stderr, exit codes
(0 success route, 1 failure route, 2 usage/profile/template error), against the sandbox."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from tests.servers import ctrl_c_as_in_a_terminal
from tui.core.secrets import MASK
from tui.sandbox import DEMO_TOKEN, Sandbox

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
PROFILES = ROOT / "profiles"


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment minus proxies and the demo token, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "HOOKBENCH_DEMO_TOKEN"}
    env.update(extra)
    return env


def hookbench(
    *args: str | Path, env: dict[str, str] | None = None, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin if stdin is not None else "",
        env=env if env is not None else clean_env(),
        cwd=cwd or ROOT,
        timeout=60,
    )


def write_profile(folder: Path, text: str, name: str = "profile.toml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- run: output


def test_run_prints_status_route_and_variables(sandbox: Sandbox) -> None:
    done = hookbench("run", PROFILES / "users.toml", "--var", f"base_url={sandbox.base_url}")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert re.fullmatch(rf"200 OK · \d+ ms · \d+ B · GET {re.escape(sandbox.base_url)}/users", lines[0])
    assert re.fullmatch(r"timings: connect \d+ ms · send \d+ ms · wait \d+ ms · receive \d+ ms", lines[1])
    assert lines[2:] == ["route: SUCCESS — 200 OK", "variables:", '  title  = "Ms"']


def test_run_json_is_one_parseable_object(sandbox: Sandbox) -> None:
    done = hookbench(
        "run", PROFILES / "subscriber-lookup.toml", "--json", "--var", f"base_url={sandbox.base_url}"
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"route", "status", "reason", "elapsed_ms", "timings_ms", "variables"}
    timings = result["timings_ms"]
    assert list(timings) == ["connect", "tls", "send", "wait", "receive"]
    assert timings["tls"] is None  # plain http: no handshake
    assert all(timings[phase] >= 0 for phase in ("connect", "send", "wait", "receive"))
    assert (result["route"], result["status"], result["reason"]) == ("success", 200, "200 OK")
    assert isinstance(result["elapsed_ms"], float) and result["elapsed_ms"] > 0
    assert result["variables"] == {
        "subscriber_id": "sub_1",
        "details.user_first_name": "Ada",
        "details.tags": ["vip", "newsletter"],
    }


def test_failure_route_exits_1_with_reason_and_failure_variable(sandbox: Sandbox) -> None:
    args = (
        "run",
        PROFILES / "subscriber-lookup.toml",
        "--var",
        f"base_url={sandbox.base_url}",
        "--var",
        "source.email=nobody@example.com",
    )
    done = hookbench(*args, "--json")
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    assert (result["route"], result["status"], result["reason"]) == ("failure", 404, "HTTP 404 Not Found")
    assert result["variables"] == {
        "subscriber_id": None,
        "details.user_first_name": None,
        "details.tags": None,
        "lookup_failed": "HTTP 404 Not Found",
    }
    human = hookbench(*args)
    assert human.returncode == 1
    lines = human.stdout.splitlines()
    assert lines[0].startswith("404 Not Found · ")
    assert lines[1].startswith("timings: ")
    assert lines[2] == "route: FAILURE — HTTP 404 Not Found"
    assert lines[3:] == [
        "variables:",
        "  subscriber_id            missing  (no value at 'subscribers.0.id': 'subscribers' is an empty list)",
        "  details.user_first_name  missing  (no value at 'subscribers.0.first_name': 'subscribers' is an empty list)",
        "  details.tags             missing  (no value at 'subscribers.0.tags': 'subscribers' is an empty list)",
        'failure variable: lookup_failed = "HTTP 404 Not Found"',
    ]


def test_transport_failure_in_json_has_no_status(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = write_profile(
        tmp_path,
        f"""
        name = "refused"
        [request]
        url = "http://127.0.0.1:{port}/users"
        [on_failure]
        variable = "down"
    """,
    )
    done = hookbench("run", profile, "--json")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    reason = f"connection refused by 127.0.0.1:{port}"
    assert result == {
        "route": "failure",
        "status": None,
        "reason": reason,
        "elapsed_ms": None,
        "timings_ms": None,
        "variables": {"down": reason},
    }


def test_max_body_truncation_is_flagged(sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        """
        name = "big"
        [request]
        url = "{{base_url}}/fault/bytes?n=5000&type=text"
    """,
    )
    done = hookbench("run", profile, "--max-body", "1k", "--var", f"base_url={sandbox.base_url}")
    assert done.returncode == 0, done.stderr
    assert " · 1.0 kB (truncated) · GET " in done.stdout.splitlines()[0]
    bad = hookbench("run", profile, "--max-body", "lots")
    assert bad.returncode == 2
    assert "not a size: 'lots'" in bad.stderr


# --------------------------------------------------------------------------- run: dry run and secrets


def test_dry_run_masks_secrets_and_sends_nothing(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        """
        name = "create with secrets"
        [request]
        method = "POST"
        url = "{{base_url}}/subscribers?key={{env.API_TOKEN}}"
        [request.headers]
        Authorization = "Bearer {{env.API_TOKEN}}"
        X-Api-Key = "literal-key-value"
        X-Copy = "{{env.API_TOKEN}}"
        [request.body]
        content_type = "json"
        text = '{"email": "dry@example.com", "first_name": "{{env.API_TOKEN}}"}'
    """,
    )
    token = "tok_9f8e7d6c"
    done = hookbench(
        "run",
        profile,
        "--dry-run",
        "--var",
        f"base_url={fresh_sandbox.base_url}",
        env=clean_env(API_TOKEN=token),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"POST {fresh_sandbox.base_url}/subscribers?key={MASK}",
        f"Authorization: Bearer {MASK}",
        f"X-Api-Key: {MASK}",
        f"X-Copy: {MASK}",
        "Content-Type: application/json",
        "",
        f'{{"email": "dry@example.com", "first_name": "{MASK}"}}',
        "",
        "# no proxy",
    ]
    assert token not in done.stdout and "literal-key-value" not in done.stdout
    assert fresh_sandbox.state.find("dry@example.com") == []
    assert len(fresh_sandbox.state.find(None)) == 2


def test_secure_example_needs_the_token_from_the_environment(sandbox: Sandbox) -> None:
    base = ("run", PROFILES / "secure-profile.toml", "--var", f"base_url={sandbox.base_url}")
    missing = hookbench(*base)
    assert missing.returncode == 2
    assert (
        missing.stderr
        == "hookbench: error: unknown variable in header 'Authorization': env.HOOKBENCH_DEMO_TOKEN\n"
    )
    assert missing.stdout == ""
    wrong = hookbench(*base, env=clean_env(HOOKBENCH_DEMO_TOKEN="wrong-token"))
    assert wrong.returncode == 1
    assert "route: FAILURE — HTTP 401 Unauthorized" in wrong.stdout
    assert "wrong-token" not in wrong.stdout


# --------------------------------------------------------------------------- run: where values come from


@pytest.fixture
def echo_profile(tmp_path: Path) -> Path:
    write_profile(tmp_path, 'v = "vars-file"\n[env]\nT = "vars-file"\n', name="vars.toml")
    # not named .env: that one, beside the profile, is read without being asked for
    (tmp_path / "extra.env").write_text("# test values\nexport T='env-file'\n", encoding="utf-8")
    return write_profile(
        tmp_path,
        """
        name = "echo"
        [request]
        url = "{{base_url}}/echo?v={{v}}&t={{env.T}}"

        [[set_variables]]
        name = "args.v.0"
        type = "variable"
        target = "v_seen"

        [[set_variables]]
        name = "args.t.0"
        type = "variable"
        target = "t_seen"

        [variables]
        v = "profile"
        "env.T" = "profile"
    """,
        name="echo.toml",
    )


@pytest.mark.parametrize(
    ("layers", "v_seen", "t_seen"),
    [
        ((), "profile", "profile"),
        (("vars",), "vars-file", "vars-file"),
        (("vars", "envfile"), "vars-file", "env-file"),
        (("vars", "envfile", "process"), "vars-file", "process"),
        (("vars", "envfile", "process", "var"), "cli", "cli"),
    ],
)
def test_variable_precedence(
    sandbox: Sandbox, echo_profile: Path, layers: tuple[str, ...], v_seen: str, t_seen: str
) -> None:
    folder = echo_profile.parent
    args: list[str | Path] = ["run", echo_profile, "--json", "--var", f"base_url={sandbox.base_url}"]
    env = clean_env()
    env.pop("T", None)
    if "vars" in layers:
        args += ["--vars-file", folder / "vars.toml"]
    if "envfile" in layers:
        args += ["--env-file", folder / "extra.env"]
    if "process" in layers:
        env["T"] = "process"
    if "var" in layers:
        args += ["--var", "v=cli", "--var", "env.T=cli"]
    done = hookbench(*args, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["variables"] == {"v_seen": v_seen, "t_seen": t_seen}


def test_var_value_may_contain_equals_and_spaces(sandbox: Sandbox, echo_profile: Path) -> None:
    done = hookbench(
        "run", echo_profile, "--json", "--var", f"base_url={sandbox.base_url}", "--var", "v=a=b & c"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["variables"]["v_seen"] == "a=b & c"


# --------------------------------------------------------------------------- run: errors (exit 2)


def test_unknown_placeholder_is_named_and_nothing_is_sent(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        """
        name = "create"
        [request]
        method = "POST"
        url = "{{base_url}}/subscribers"
        [request.body]
        content_type = "json"
        text = '{"email": "hole@example.com", "first_name": "{{first_nmae}}"}'
    """,
    )
    done = hookbench("run", profile, "--var", f"base_url={fresh_sandbox.base_url}", "--var", "first_name=Ann")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "hookbench: error: unknown variable in JSON body: first_nmae\n"
    assert fresh_sandbox.state.find("hole@example.com") == []
    dry = hookbench("run", profile, "--dry-run", "--var", f"base_url={fresh_sandbox.base_url}")
    assert dry.returncode == 2
    assert "first_nmae" in dry.stderr


def test_body_not_well_formed_after_rendering_exits_2(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        """
        name = "json"
        [request]
        method = "POST"
        url = "http://127.0.0.1:9/x"
        [request.body]
        content_type = "json"
        text = '{"n": {{n}}}'
    """,
    )
    done = hookbench("run", profile, "--var", "n=1,")
    assert done.returncode == 2
    # our words and the position; the sentence between is Python's own and changed in 3.13
    assert done.stderr.startswith("hookbench: error: JSON body is not valid after rendering: ")
    assert re.search(r" at line 1, column \d+\n\Z", done.stderr), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path,
        """
        name = "broken"

        [request]
        url = "http://example.test/
    """,
    )
    done = hookbench("run", profile)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"hookbench: error: {profile}: invalid TOML: ")
    assert "line 4" in done.stderr


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        (
            '[request]\nmethod = "SEND"\nurl = "http://example.test/"\n',
            ["request.method: unknown method 'SEND'", "(line 2)"],
        ),
        (
            '[request]\nurl = "http://example.test/"\n[[set_variables]]\nname = "a"\ntype = "contact"\ntarget = "x"\n',
            ["set_variables[0].type: unknown type 'contact'", "(line 5)"],
        ),
        (
            '[request]\nurl = "http://example.test/"\n[[set_variables]]\nname = "a"\ntype = "routing"\ntarget = "queue"\n',
            ["set_variables[0].target: unknown routing target 'queue'", "inbound_number", "(line 6)"],
        ),
        ('[request]\nmethod = "GET"\n', ["request.url: is missing"]),
        (
            '[request]\nurl = "http://example.test/"\ntimeout = "1s"\n',
            ["request.timeout: must be a positive number of seconds", "(line 3)"],
        ),
    ],
    ids=["method", "type", "target", "url", "timeout"],
)
def test_profile_errors_exit_2_naming_file_and_key(tmp_path: Path, body: str, fragments: list[str]) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(body, encoding="utf-8")
    done = hookbench("run", profile)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"hookbench: error: {profile}: ")
    for fragment in fragments:
        assert fragment in done.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    users = PROFILES / "users.toml"
    (tmp_path / "bad.env").write_text("NOT AN ASSIGNMENT\n", encoding="utf-8")
    cases = [
        (("run",), "the following arguments are required: profile"),
        (
            ("run", tmp_path / "absent.toml"),
            f"hookbench: error: {tmp_path / 'absent.toml'}: no such profile file",
        ),
        (("run", users, "--var", "oops"), "hookbench: error: --var 'oops': expected NAME=VALUE"),
        (
            ("run", users, "--vars-file", tmp_path / "none.toml"),
            f"hookbench: error: --vars-file {tmp_path / 'none.toml'}: cannot read: No such file or directory",
        ),
        (
            ("run", users, "--env-file", tmp_path / "bad.env"),
            f"hookbench: error: --env-file {tmp_path / 'bad.env'}: line 1: expected NAME=value",
        ),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ]
    for args, message in cases:
        done = hookbench(*args)
        assert done.returncode == 2, args
        assert message in done.stderr, (args, done.stderr)
        assert done.stdout == ""


# --------------------------------------------------------------------------- run: every example profile


EXAMPLES: dict[str, tuple[int, str, dict[str, object]]] = {
    "users.toml": (0, "success", {"title": "Ms"}),
    "subscriber-lookup.toml": (
        0,
        "success",
        {"subscriber_id": "sub_1", "details.user_first_name": "Ada", "details.tags": ["vip", "newsletter"]},
    ),
    "subscriber-details.toml": (
        0,
        "success",
        {
            "details.user_first_name": "Ada",
            "details.user_last_name": "Lovelace",
            "details.user_email_address": "ada@example.com",
            "details.tags": ["vip", "newsletter"],
        },
    ),
    "subscriber-create.toml": (
        0,
        "success",
        {"subscriber_id": "sub_3", "source.email": "new.customer@example.com"},
    ),
    "subscriber-create-form.toml": (0, "success", {"subscriber_id": "sub_3"}),
    "subscriber-update.toml": (0, "success", {"source.phone_number": "+1 202 555 0199"}),
    "send-discount.toml": (0, "success", {"discount_email_id": "mail_1", "discount_code": "WELCOME10"}),
    "soap-lookup.toml": (
        0,
        "success",
        {
            "linked_id.custom_database": "sub_2",
            "details.user_full_name": "Grace Hopper",
            "first_tag": "newsletter",
        },
    ),
    "secure-profile.toml": (0, "success", {}),
    "slow-timeout.toml": (1, "failure", {"slow_failed": "timeout after 1 s"}),
}
ALL_EXAMPLES = sorted(p.name for p in PROFILES.glob("*.toml"))


def expected_outcome(name: str) -> tuple[int, str, dict[str, object] | None]:
    """Known examples have exact expectations; a new one must at least reach its declared route."""
    if name in EXAMPLES:
        return EXAMPLES[name]
    from tui.core.profile import read_module

    route = read_module(PROFILES / name).expect or "success"
    return (0 if route == "success" else 1), route, None


def test_the_known_examples_exist() -> None:
    assert set(EXAMPLES) <= set(ALL_EXAMPLES)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_profile_runs_against_the_sandbox(fresh_sandbox: Sandbox, name: str) -> None:
    code, route, variables = expected_outcome(name)
    env = clean_env(HOOKBENCH_DEMO_TOKEN=DEMO_TOKEN)
    done = hookbench("run", PROFILES / name, "--json", "--var", f"base_url={fresh_sandbox.base_url}", env=env)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["route"] == route, result["reason"]
    if variables is not None:
        assert result["variables"] == variables
    if name == "slow-timeout.toml":
        assert (result["status"], result["reason"]) == (None, "timeout after 1 s")
    if name == "subscriber-create.toml":
        assert fresh_sandbox.state.get("sub_3")["first_name"] == "Nina"


def test_multipart_attachment_is_relative_to_the_profile(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    (folder / "files").mkdir(parents=True)
    shutil.copy(DATA / "attachment.txt", folder / "files" / "cv.txt")
    profile = write_profile(
        folder,
        """
        name = "upload"
        [request]
        method = "POST"
        url = "{{base_url}}/subscribers"
        [request.body]
        content_type = "multipart"
        [request.body.fields]
        email = "upload@example.com"
        cv = "@files/cv.txt"
    """,
    )
    done = hookbench("run", profile, "--var", f"base_url={fresh_sandbox.base_url}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2] == "route: SUCCESS — 201 Created"
    [created] = fresh_sandbox.state.find("upload@example.com")
    assert created["attachments"] == [
        {"field": "cv", "filename": "cv.txt", "size": (DATA / "attachment.txt").stat().st_size}
    ]
    (folder / "files" / "cv.txt").unlink()
    missing = hookbench("run", profile, "--var", f"base_url={fresh_sandbox.base_url}", cwd=tmp_path)
    assert missing.returncode == 2
    assert (
        "hookbench: error: body field 'cv': cannot attach 'files/cv.txt': No such file or directory"
        in missing.stderr
    )


# --------------------------------------------------------------------------- paths


USERS_JSON_LINES = [
    "users.0.id = 1",
    'users.0.title = "Ms"',
    'users.0.name = "Ada Lovelace"',
    'users.0.tags.0 = "vip"',
    "users.1.id = 2",
    'users.1.title = "Dr"',
    'users.1.name = "Grace Hopper"',
    "users.1.tags = []",
    "meta.count = 2",
    "meta.next = null",
    'meta."a.b" = true',
]
USERS_XML_LINES = [
    'users.@count = "2"',
    'users.user.0.@id = "1"',
    'users.user.0.title = "Ms"',
    'users.user.0.name = "Ada Lovelace"',
    'users.user.1.@id = "2"',
    'users.user.1.title = "Dr"',
    'users.user.1.name = "Grace Hopper"',
]


def test_paths_of_a_json_file() -> None:
    done = hookbench("paths", DATA / "users.json")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == USERS_JSON_LINES


def test_paths_of_an_xml_file() -> None:
    done = hookbench("paths", DATA / "users.xml")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == USERS_XML_LINES
    soap = hookbench("paths", DATA / "soap-response.xml")
    assert 'soap:Envelope.soap:Body.GetUserResponse.user.@id = "sub_1"' in soap.stdout.splitlines()


def test_paths_from_stdin() -> None:
    text = (DATA / "users.json").read_text(encoding="utf-8")
    dash = hookbench("paths", "-", stdin=text)
    assert (dash.returncode, dash.stdout.splitlines()) == (0, USERS_JSON_LINES)
    default = hookbench("paths", stdin=(DATA / "users.xml").read_text(encoding="utf-8"))
    assert (default.returncode, default.stdout.splitlines()) == (0, USERS_XML_LINES)
    scalar = hookbench("paths", "-", stdin="42")
    assert scalar.stdout == ". = 42\n"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (
            '{"users": [1, 2,',
            "hookbench: error: stdin: body is not JSON: Expecting value at line 1, column 17\n",
        ),
        ("<a>\n<b></a>", "hookbench: error: stdin: body is not XML: mismatched tag: line 2, column 5\n"),
        ("   \n", "hookbench: error: stdin: empty document\n"),
        ("hello", "hookbench: error: stdin: body is not JSON: Expecting value at line 1, column 1\n"),
    ],
)
def test_paths_of_malformed_input_exits_2(stdin: str, message: str) -> None:
    done = hookbench("paths", "-", stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == message


def test_paths_file_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<a><b></a>", encoding="utf-8")
    done = hookbench("paths", bad)
    assert done.returncode == 2
    assert done.stderr == f"hookbench: error: {bad}: body is not XML: mismatched tag: line 1, column 8\n"
    absent = hookbench("paths", tmp_path / "absent.json")
    assert absent.returncode == 2
    assert absent.stderr == f"hookbench: error: {tmp_path / 'absent.json'}: No such file or directory\n"
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    done = hookbench("paths", binary)
    assert done.returncode == 2
    assert f"{binary}: not UTF-8 text" in done.stderr


# --------------------------------------------------------------------------- start-up cost


def test_headless_commands_do_not_import_textual(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import contextlib, io, json, sys
        import tui.cli
        loaded = {{"import": sorted(m for m in sys.modules if m.split(".")[0] == "textual")}}
        for name, argv in (("paths", ["paths", {str(DATA / "users.json")!r}]),
                           ("dry-run", ["run", {str(PROFILES / "subscriber-create.toml")!r}, "--dry-run"])):
            with contextlib.redirect_stdout(io.StringIO()) as out:
                code = tui.cli.main(argv)
            assert code == 0 and out.getvalue(), (name, code)
            loaded[name] = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
        print(json.dumps(loaded))
    """)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"import": [], "paths": [], "dry-run": []}


# --------------------------------------------------------------------------- the console script


def test_console_script_behaves_like_python_m_tui() -> None:
    script = shutil.which("hookbench", path=str(Path(sys.executable).parent))
    assert script is not None, "the hookbench console script is not installed next to the interpreter"
    args = ["run", str(PROFILES / "users.toml"), "--dry-run", "--var", "base_url=http://127.0.0.1:1"]
    direct = subprocess.run([script, *args], capture_output=True, text=True, env=clean_env(), timeout=60)
    assert (direct.returncode, direct.stdout) == (0, "GET http://127.0.0.1:1/users\n\n# no proxy\n")
    assert direct.stdout == hookbench(*args).stdout
    usage = subprocess.run([script, "--help"], capture_output=True, text=True, env=clean_env(), timeout=60)
    assert usage.returncode == 0
    assert "run" in usage.stdout and "paths" in usage.stdout and "sandbox" in usage.stdout


def test_sandbox_command_prints_its_url_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_as_in_a_terminal,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"hookbench sandbox listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert match, line
        assert httpx.get(f"{match.group(1)}/users", timeout=5).json()["users"][0]["title"] == "Ms"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert stderr == ""
