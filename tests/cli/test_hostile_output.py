"""A hostile API cannot drive the terminal through the headless commands.

The sandbox's /fault/escapes puts OSC 52 (clipboard), OSC 0 (title), CSI 2J (clear) and a C1
CSI into the reason phrase, a header, a text body and JSON keys and values. Every command's
human output must carry them as visible `\\u001b` escapes; `--json` must stay exact JSON.
The checks read the bytes the process writes, as a terminal would receive them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tui.core.paths import format_path
from tui.sandbox import HOSTILE, Sandbox

ROOT = Path(__file__).resolve().parents[2]
SHOWN_TITLE = "\\u001b]0;pwned-title\\u0007"  # how the OSC 0 sequence must look once made safe


def hookbench(*args: str | Path, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        input=stdin,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def assert_inert(data: bytes) -> str:
    """No byte a terminal would obey: only printable text, newlines and tabs."""
    text = data.decode("utf-8")
    obeyed = sorted({c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F})
    assert not obeyed, f"control characters reached the terminal: {obeyed!r}"
    return text


@pytest.fixture
def profiles(tmp_path: Path, sandbox: Sandbox, isolated_history: Path) -> Path:
    """`hostile-json` maps a hostile value and a hostile key, then routes to `hostile-text`,
    whose 200 is not a success: its failure reason quotes the hostile reason phrase."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    key_path = json.dumps(format_path([HOSTILE]))  # a JSON string is a valid TOML basic string
    (folder / "hostile-json.toml").write_text(
        textwrap.dedent(f"""\
            name = "hostile json"
            [request]
            method = "GET"
            url = "{sandbox.base_url}/fault/escapes?type=json"
            log_response_body = true
            [[set_variables]]
            name = "nested.value"
            type = "variable"
            target = "hostile_value"
            [[set_variables]]
            name = {key_path}
            type = "variable"
            target = "hostile_key"
            [routes]
            success = "hostile-text"
            """),
        encoding="utf-8",
    )
    (folder / "hostile-text.toml").write_text(
        textwrap.dedent(f"""\
            name = "hostile text"
            [request]
            method = "GET"
            url = "{sandbox.base_url}/fault/escapes?type=text"
            success_statuses = [201]
            log_response_body = true
            [on_failure]
            variable = "why"
            """),
        encoding="utf-8",
    )
    return folder


def test_run_shows_hostile_values_and_reason_as_escapes(profiles: Path) -> None:
    done = hookbench("run", profiles / "hostile-json.toml")
    assert done.returncode == 0, done.stderr
    out = assert_inert(done.stdout)
    assert out.count(SHOWN_TITLE) == 3  # status line (reason phrase), and both variables
    assert "\\u009b2Jc1-cleared\\u007f" in out

    failed = hookbench("run", profiles / "hostile-text.toml")
    assert failed.returncode == 1
    out = assert_inert(failed.stdout)
    assert "route: FAILURE — HTTP 200 OK \\u001b]52;c;" in out
    assert SHOWN_TITLE in out.splitlines()[-1]  # the failure variable holds the reason


def test_run_json_stays_exact(profiles: Path) -> None:
    done = hookbench("run", profiles / "hostile-json.toml", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(assert_inert(done.stdout))
    assert result["variables"] == {"hostile_value": HOSTILE, "hostile_key": "a key that is hostile"}
    assert result["reason"] == "200 OK " + HOSTILE.replace("\x9b", "")  # httpx drops the non-ASCII byte


def test_paths_quotes_hostile_keys_and_escapes_values(sandbox: Sandbox) -> None:
    import httpx

    body = httpx.get(f"{sandbox.base_url}/fault/escapes?type=json").content
    done = hookbench("paths", "-", stdin=body)
    assert done.returncode == 0, done.stderr
    lines = assert_inert(done.stdout).splitlines()
    key_line = next(line for line in lines if line.startswith('"\\u001b]52;c;'))
    assert key_line == f'{format_path([HOSTILE])} = "a key that is hostile"'
    assert f'nested.value = "{SHOWN_TITLE}' not in "\n".join(lines)  # the value is JSON: starts with OSC 52
    value_line = next(line for line in lines if line.startswith("nested.value = "))
    assert json.loads(value_line.removeprefix("nested.value = ")) == HOSTILE


def test_history_show_and_list_are_inert_and_show_is_still_the_record(profiles: Path) -> None:
    assert hookbench("run", profiles / "hostile-text.toml").returncode == 1
    listed = hookbench("history", "--profiles", profiles, "--json")
    records = json.loads(assert_inert(listed.stdout))
    assert records and records[0]["reason"].startswith("HTTP 200 OK \x1b]52;c;")  # exact in JSON
    assert_inert(hookbench("history", "--profiles", profiles).stdout)

    shown = hookbench("history", "--profiles", profiles, "show", records[0]["id"])
    assert shown.returncode == 0, shown.stderr
    text = assert_inert(shown.stdout)
    assert SHOWN_TITLE in text
    # The escapes are TOML's own, so what `show` prints reads back as the same record.
    record = tomllib.loads(text)
    assert record["result"]["reason"] == records[0]["reason"]
    assert HOSTILE in record["result"]["body"]["text"]
    assert "ls\rrm -rf ~ hidden-by-cr" in record["result"]["body"]["text"]  # the lone CR, exact
    headers = {name.lower(): value for name, value in record["result"]["headers"].items()}
    assert headers["x-hostile"] == HOSTILE


def test_history_replay_is_inert(profiles: Path) -> None:
    assert hookbench("run", profiles / "hostile-json.toml").returncode == 0
    record = json.loads(hookbench("history", "--profiles", profiles, "--json").stdout)[0]
    done = hookbench("history", "--profiles", profiles, "replay", record["id"])
    assert done.returncode == 0, done.stderr
    assert assert_inert(done.stdout).count(SHOWN_TITLE) == 3


def test_flow_steps_and_summary_are_inert(profiles: Path) -> None:
    done = hookbench("flow", profiles / "hostile-json.toml")
    assert done.returncode == 1, done.stderr
    out = assert_inert(done.stdout)
    assert "hostile-text" in out and "HTTP 200 OK \\u001b]52;c;" in out
    assert out.count(SHOWN_TITLE) >= 4  # both steps' variables and reasons, and the summary

    as_json = hookbench("flow", profiles / "hostile-json.toml", "--json")
    flow = json.loads(assert_inert(as_json.stdout))
    assert flow["variables"]["hostile_value"] == HOSTILE


def test_error_messages_are_inert(tmp_path: Path) -> None:
    """An error naming a file whose name came from outside (a cloned folder of profiles) prints escaped."""
    hostile = tmp_path / "x\x1b]0;pwned-title\x07.toml"
    hostile.write_text("[request\n")  # not TOML: the error names the file
    done = hookbench("run", hostile, "--no-history")
    assert done.returncode == 2
    assert "x\\u001b]0;pwned-title\\u0007.toml" in assert_inert(done.stderr)
