"""`hookbench flow` run as a user would: a subprocess, stdout, stderr and the exit code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "profiles"
LOOKUP = PROFILES / "subscriber-lookup.toml"


def flow(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "flow", *map(str, args)],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=30,
    )


def write(folder: Path, stem: str, text: str) -> Path:
    path = folder / f"{stem}.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def base(sandbox: Sandbox) -> str:
    return f"base_url={sandbox.base_url}"


def test_unknown_email_prints_each_step_and_the_final_variables(fresh_sandbox: Sandbox) -> None:
    done = flow(LOOKUP, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"flow subscriber-lookup ({LOOKUP})"
    steps = [line.split() for line in lines if line[:2].strip().isdigit()]
    assert [s[:4] for s in steps] == [
        ["1", "subscriber-lookup", "404", "failure"],
        ["2", "subscriber-create", "201", "success"],
        ["3", "send-discount", "202", "success"],
    ]
    assert '      lookup_failed = "HTTP 404 Not Found"' in lines
    assert "flow ended on the success route after 3 steps (at send-discount)" in lines
    assert any(line.split() == ["source.email", "=", '"zoe@example.com"'] for line in lines)
    assert [mail["email"] for mail in fresh_sandbox.state.emails_sent] == ["zoe@example.com"]
    assert done.stderr == ""


def test_known_email_as_json(fresh_sandbox: Sandbox) -> None:
    done = flow(LOOKUP, "--var", base(fresh_sandbox), "--var", "source.email=grace@example.com", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) == {"route", "steps", "variables"} and report["route"] == "success"
    assert [(s["profile"], s["status"], s["route"]) for s in report["steps"]] == [
        ("subscriber-lookup", 200, "success"),
        ("subscriber-details", 200, "success"),
    ]
    assert set(report["steps"][0]) == {"profile", "status", "route", "reason", "elapsed_ms", "variables"}
    assert report["steps"][0]["variables"]["subscriber_id"] == "sub_2"
    assert report["steps"][1]["variables"]["details.user_last_name"] == "Hopper"
    assert report["variables"]["subscriber_id"] == "sub_2"
    assert fresh_sandbox.state.emails_sent == [] and len(fresh_sandbox.state.subscribers) == 2


def test_flow_ending_on_a_failure_route_exits_1(sandbox: Sandbox, tmp_path: Path) -> None:
    write(tmp_path, "down", '[request]\nurl = "{{base_url}}/fault/status/503"\n')
    done = flow(tmp_path / "down.toml", "--var", base(sandbox))
    assert done.returncode == 1, done.stderr
    assert "HTTP 503 Service Unavailable" in done.stdout
    assert "flow ended on the failure route after 1 step (at down)" in done.stdout


def test_missing_route_target_exits_2_before_sending_anything(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    write(
        tmp_path,
        "signup",
        """
        [request]
        method = "POST"
        url = "{{base_url}}/subscribers"
        [request.body]
        text = '{"email": "x@example.com"}'
        [routes]
        success = "welcome-mail"
    """,
    )
    done = flow(tmp_path / "signup.toml", "--var", base(fresh_sandbox))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "signup.toml: routes.success names 'welcome-mail'" in done.stderr
    assert "welcome-mail.toml does not exist" in done.stderr
    assert len(fresh_sandbox.state.subscribers) == 2  # the entry was not sent either


def test_loop_past_max_steps_exits_2_naming_the_profiles(sandbox: Sandbox, tmp_path: Path) -> None:
    write(tmp_path, "ping", '[request]\nurl = "{{base_url}}/echo"\n[routes]\nsuccess = "pong"\n')
    write(tmp_path, "pong", '[request]\nurl = "{{base_url}}/echo"\n[routes]\nsuccess = "ping"\n')
    done = flow(tmp_path / "ping.toml", "--var", base(sandbox), "--max-steps", "3")
    assert done.returncode == 2
    assert "stopped after 3 steps (--max-steps 3): the routes loop pong → ping → pong" in done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()[1:]] == ["ping", "pong", "ping"]


def test_unknown_placeholder_mid_flow_exits_2_naming_the_step(sandbox: Sandbox, tmp_path: Path) -> None:
    write(tmp_path, "first", '[request]\nurl = "{{base_url}}/echo"\n[routes]\nsuccess = "second"\n')
    write(tmp_path, "second", '[request]\nurl = "{{base_url}}/echo?x={{nowhere}}"\n')
    report = tmp_path / "junit.xml"
    done = flow(tmp_path / "first.toml", "--var", base(sandbox), "--junit", report)
    assert done.returncode == 2
    assert " 1  first " in done.stdout
    assert "hookbench: error: flow step 2, second" in done.stderr and "nowhere" in done.stderr
    cases = ET.parse(report).getroot().findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["first", "second"]
    assert cases[1].find("error") is not None and "nowhere" in cases[1].find("error").get("message", "")


def test_junit_report_one_case_per_step_and_failures_only_where_unexpected(
    fresh_sandbox: Sandbox, tmp_path: Path
) -> None:
    report = tmp_path / "reports" / "flow.xml"
    done = flow(
        LOOKUP, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com", "--junit", report
    )
    assert done.returncode == 0, done.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        "subscriber-lookup",
        "3",
        "1",
        "0",
    )
    cases = suite.findall("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("subscriber-lookup", "subscriber-lookup"),
        ("subscriber-lookup", "subscriber-create"),
        ("subscriber-lookup", "send-discount"),
    ]
    assert all(float(c.get("time", "x")) >= 0 for c in cases)
    failures = [c.find("failure") for c in cases]
    assert failures[0] is not None and failures[0].get("message") == "HTTP 404 Not Found"
    assert failures[1] is None and failures[2] is None
    assert list(report.parent.iterdir()) == [report]  # written atomically: no temp file left behind

    # the same flow, with the lookup declaring that not finding the e-mail is expected
    folder = tmp_path / "expecting"
    shutil.copytree(PROFILES, folder)
    lookup = folder / "subscriber-lookup.toml"
    lookup.write_text(lookup.read_text().replace("[routes]\n", '[routes]\nexpect = "failure"\n'))
    done = flow(
        lookup, "--var", base(fresh_sandbox), "--var", "source.email=yan@example.com", "--junit", report
    )
    assert done.returncode == 0, done.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("3", "0")
    assert all(c.find("failure") is None for c in suite.findall("testcase"))


def test_flow_ending_on_an_expected_failure_exits_0(sandbox: Sandbox, tmp_path: Path) -> None:
    write(
        tmp_path, "gone", '[request]\nurl = "{{base_url}}/fault/status/410"\n[routes]\nexpect = "failure"\n'
    )
    done = flow(tmp_path / "gone.toml", "--var", base(sandbox), "--junit", tmp_path / "r.xml")
    assert done.returncode == 0, done.stderr
    assert "failure (expected)" in done.stdout and "that failure was expected" in done.stdout
    assert ET.parse(tmp_path / "r.xml").getroot().get("failures") == "0"


def test_dry_run_prints_graph_and_requests_and_sends_nothing(fresh_sandbox: Sandbox) -> None:
    done = flow(LOOKUP, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com", "--dry-run")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith(
        "subscriber-lookup ─success→ subscriber-details\n"
        "                  ─failure→ subscriber-create ─success→ send-discount\n"
    )
    assert f"GET {fresh_sandbox.base_url}/subscribers?email=zoe%40example.com" in out
    assert f"POST {fresh_sandbox.base_url}/emails/discount" in out and '{"email": "zoe@example.com"}' in out
    assert out.index("[1] subscriber-lookup") < out.index("[4] send-discount")
    assert len(fresh_sandbox.state.subscribers) == 2 and fresh_sandbox.state.emails_sent == []


def test_dry_run_masks_secrets_and_names_unknown_placeholders_per_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        "login",
        """
        [request]
        url = "http://127.0.0.1:9/login"
        [request.headers]
        Authorization = "Bearer {{env.HB_FLOW_TOKEN}}"
        [[set_variables]]
        name = "session"
        target = "session"
        [routes]
        success = "order"
        failure = "alert"
    """,
    )
    write(tmp_path, "order", '[request]\nurl = "http://127.0.0.1:9/orders?s={{session}}"\n')
    write(tmp_path, "alert", '[request]\nurl = "http://127.0.0.1:9/alert?to={{pager}}"\n')
    env = tmp_path / ".env"
    env.write_text("HB_FLOW_TOKEN=s3cr3t-value\n")
    done = flow(tmp_path / "login.toml", "--env-file", env, "--dry-run")
    assert "s3cr3t-value" not in done.stdout + done.stderr
    assert "Authorization: Bearer ••••••" in done.stdout
    assert (
        "[2] order" in done.stdout
        and "not rendered: unknown variable session (set at run time by login)" in done.stdout
    )
    assert "[3] alert" in done.stdout and "not rendered: unknown variable pager\n" in done.stdout + "\n"
    # `pager` can come from no step: a run would stop there, so the dry run says so
    assert done.returncode == 2
    assert "cannot render alert" in done.stderr


def test_flow_command_imports_no_textual_and_agrees_on_max_steps() -> None:
    code = (
        "import sys, tui.cli; tui.cli.build_parser();"
        "import tui.commands.flow as c, tui.core.flows as f, tui.core.junit;"
        "assert c.DEFAULT_MAX_STEPS == f.DEFAULT_MAX_STEPS;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_max_steps_must_be_positive() -> None:
    done = flow(LOOKUP, "--max-steps", "0")
    assert done.returncode == 2 and "must be at least 1" in done.stderr


def test_each_step_is_recorded_in_history_unless_no_history(fresh_sandbox: Sandbox, tmp_path: Path) -> None:
    import os

    env = {**os.environ, "HOOKBENCH_HISTORY_DIR": str(tmp_path / "history")}

    def hookbench(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tui", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
        )

    quiet = hookbench(
        "flow",
        str(LOOKUP),
        "--var",
        base(fresh_sandbox),
        "--var",
        "source.email=x@example.com",
        "--no-history",
    )
    assert quiet.returncode == 0, quiet.stderr
    assert json.loads(hookbench("history", "--json", "--profiles", str(PROFILES)).stdout or "[]") == []
    done = hookbench("flow", str(LOOKUP), "--var", base(fresh_sandbox), "--var", "source.email=y@example.com")
    assert done.returncode == 0, done.stderr
    listed = json.loads(hookbench("history", "--json", "--profiles", str(PROFILES)).stdout)
    assert [r["profile"] for r in listed] == ["send-discount", "subscriber-create", "subscriber-lookup"]
    assert [r["route"] for r in listed] == ["success", "success", "failure"]
