"""Recorded responses as a test bed, as real processes: run --from-history, flow --offline,
paths --shape, diff and check. Records are made by real sends to the sandbox."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.core.history import History
from tui.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

pytestmark = pytest.mark.usefixtures("isolated_history")


def hookbench(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A copy of the example profiles (their history is this test's alone)."""
    folder = tmp_path / "profiles"
    shutil.copytree(ROOT / "profiles", folder)
    return folder


@pytest.fixture(autouse=True)
def _sandbox_back_to_normal(sandbox: Sandbox) -> Iterator[None]:
    """Tests here switch drift on or empty the data: the session sandbox must not keep that."""
    yield
    sandbox.reset()


def base(sandbox: Sandbox) -> str:
    return f"base_url={sandbox.base_url}"


def records(profiles: Path) -> list[dict]:
    done = hookbench("history", "--profiles", profiles, "--json", "--limit", "0")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- run --from-history


def test_from_history_gives_the_live_runs_variables_and_sends_nothing(
    fresh_sandbox: Sandbox, profiles: Path
) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    live = hookbench("run", lookup, "--var", base(fresh_sandbox), "--json")
    assert live.returncode == 0, live.stderr
    fresh_sandbox.state.subscribers.clear()  # the API changed since: offline must not notice
    offline = hookbench("run", lookup, "--from-history", "last", "--json")
    assert offline.returncode == 0, offline.stderr
    live_data, offline_data = json.loads(live.stdout), json.loads(offline.stdout)
    assert offline_data["variables"] == live_data["variables"]
    assert offline_data["variables"]["subscriber_id"] == "sub_1"
    assert (offline_data["route"], offline_data["status"]) == ("success", 200)
    assert offline_data["sent"] is False
    assert offline_data["record"] == records(profiles)[0]["id"]
    assert len(records(profiles)) == 1  # an offline run leaves no record

    text = hookbench("run", lookup, "--from-history", offline_data["record"][:22])
    assert text.returncode == 0, text.stderr
    first, *rest = text.stdout.splitlines()
    assert first.startswith(
        f"offline: nothing was sent; judged against history record {offline_data['record']}"
    )
    assert "route: SUCCESS — 200 OK" in rest
    assert any(line.split()[:3] == ["subscriber_id", "=", '"sub_1"'] for line in rest)


def test_from_history_judges_the_current_mapping_and_failure_route(
    fresh_sandbox: Sandbox, profiles: Path
) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    assert (
        hookbench(
            "run", lookup, "--var", base(fresh_sandbox), "--var", "source.email=x@example.com"
        ).returncode
        == 1
    )
    edited = lookup.read_text().replace('variable = "lookup_failed"', 'variable = "not_found"')
    lookup.write_text(edited)
    done = hookbench("run", lookup, "--from-history", "last", "--json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["route"] == "failure" and data["status"] == 404
    assert data["variables"]["not_found"] == "HTTP 404 Not Found"
    assert data["variables"]["subscriber_id"] is None


def test_a_record_without_its_body_is_a_clear_error(fresh_sandbox: Sandbox, profiles: Path) -> None:
    users = profiles / "users.toml"
    users.write_text(users.read_text().replace("log_response_body = true", "log_response_body = false"))
    assert hookbench("run", users, "--var", base(fresh_sandbox)).returncode == 0
    done = hookbench("run", users, "--from-history", "last")
    assert done.returncode == 2
    assert "has no response body: log_response_body was off" in done.stderr
    assert done.stdout == ""


def test_last_with_no_record_and_an_unknown_id_exit_2(profiles: Path) -> None:
    done = hookbench("run", profiles / "users.toml", "--from-history", "last")
    assert done.returncode == 2 and "no history record of users" in done.stderr
    done = hookbench("run", profiles / "users.toml", "--from-history", "2099")
    assert done.returncode == 2 and "no history record '2099'" in done.stderr
    done = hookbench("run", profiles / "users.toml", "--from-history", "last", "--dry-run")
    assert done.returncode == 2 and "not allowed with argument" in done.stderr


# --------------------------------------------------------------------------- flow --offline


def test_offline_flow_takes_both_branches_from_records(fresh_sandbox: Sandbox, profiles: Path) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    for email in ("grace@example.com", "zoe@example.com"):  # found, then not found → create → e-mail
        live = hookbench("flow", lookup, "--var", base(fresh_sandbox), "--var", f"source.email={email}")
        assert live.returncode == 0, live.stderr
    sent = len(records(profiles))
    assert sent == 5
    fresh_sandbox.reset()

    known = hookbench(
        "flow",
        lookup,
        "--var",
        base(fresh_sandbox),
        "--var",
        "source.email=grace@example.com",
        "--offline",
        "--json",
    )
    assert known.returncode == 0, known.stderr
    report = json.loads(known.stdout)
    assert report["sent"] is False
    assert [(s["profile"], s["status"]) for s in report["steps"]] == [
        ("subscriber-lookup", 200),
        ("subscriber-details", 200),
    ]
    assert report["variables"]["subscriber_id"] == "sub_2"
    assert all(step["record"] for step in report["steps"])

    unknown = hookbench(
        "flow", lookup, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com", "--offline"
    )
    assert unknown.returncode == 0, unknown.stderr
    lines = unknown.stdout.splitlines()
    assert "offline: nothing is sent" in lines[0]
    steps = [line.split()[:4] for line in lines if line[:2].strip().isdigit()]
    assert steps == [
        ["1", "subscriber-lookup", "404", "failure"],
        ["2", "subscriber-create", "201", "success"],
        ["3", "send-discount", "202", "success"],
    ]
    assert sum("(history record " in line for line in lines) == 3
    assert fresh_sandbox.state.emails_sent == [] and len(fresh_sandbox.state.subscribers) == 2
    assert len(records(profiles)) == sent  # nothing recorded either


def test_offline_flow_stops_with_exit_2_at_a_step_without_a_record(
    fresh_sandbox: Sandbox, profiles: Path, tmp_path: Path
) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    assert (
        hookbench(
            "run", lookup, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com"
        ).returncode
        == 1
    )
    junit = tmp_path / "report.xml"
    done = hookbench(
        "flow", lookup, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com",
        "--offline", "--junit", junit,
    )  # fmt: skip
    assert done.returncode == 2
    assert "flow step 2, subscriber-create" in done.stderr
    assert (
        f"no recorded response of subscriber-create for POST {fresh_sandbox.base_url}/subscribers"
        in done.stderr
    )
    assert " 1  subscriber-lookup   404  failure" in done.stdout  # the step before it was judged
    assert "no recorded response" in junit.read_text()

    nobody = hookbench(
        "flow", lookup, "--var", base(fresh_sandbox), "--var", "source.email=nobody@example.com", "--offline"
    )
    assert nobody.returncode == 2
    assert (
        f"no recorded response of subscriber-lookup for GET {fresh_sandbox.base_url}/subscribers?email=nobody%40example.com"
        in nobody.stderr
    )


# --------------------------------------------------------------------------- paths --shape


def test_paths_shape_from_a_file_and_stdin() -> None:
    done = hookbench("paths", "--shape", DATA / "users.json")
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    assert ["users.*.title", "string", "(2)"] in rows
    assert ["users.*.tags.*", "string", "(1)"] in rows
    xml = hookbench("paths", "--shape", "-", stdin=(DATA / "users.xml").read_text())
    assert ["users.user.*.@id", "string", "(2)"] in [line.split() for line in xml.stdout.splitlines()]
    bad = hookbench("paths", "--shape", "-", stdin="{nope")
    assert bad.returncode == 2 and "stdin: body is not JSON" in bad.stderr


# --------------------------------------------------------------------------- diff


def write_json(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(json.dumps(data))
    return path


def test_diff_files_exit_0_for_the_same_shape_3_for_drift_2_for_bad_input(tmp_path: Path) -> None:
    users = json.loads((DATA / "users.json").read_text())
    a = write_json(tmp_path, "a.json", users)
    longer = write_json(tmp_path, "longer.json", {**users, "users": users["users"] * 3})
    same = hookbench("diff", a, longer)
    assert same.returncode == 0, same.stderr
    assert same.stdout.splitlines() == [f"A: file {a}", f"B: file {longer}", "shape: same"]

    users["users"][0]["title"] = 7
    del users["meta"]
    changed = write_json(tmp_path, "changed.json", users)
    drift = hookbench("diff", a, changed)
    assert drift.returncode == 3, drift.stderr
    lines = drift.stdout.splitlines()
    assert lines[2] == "shape: 4 removed, 1 type changed"
    assert [line.split() for line in lines[3:]] == [
        ["-", "meta", "object"],
        ["-", "meta.count", "number"],
        ["-", "meta.next", "null"],
        ["-", 'meta."a.b"', "boolean"],
        ["~", "users.*.title", "string", "→", "string|number"],
    ]

    data = json.loads(hookbench("diff", a, "-", "--json", "--values", stdin=changed.read_text()).stdout)
    assert data["same_shape"] is False and data["b"] == "stdin"
    assert {"path": "users.0.title", "kind": "changed", "before": "Ms", "after": 7} in data["values"]

    for args, message in (
        ((a, tmp_path / "missing.json"), "is neither a file nor a history record"),
        (("-", "-"), "only one of A and B can be -"),
        ((a, "-"), "stdin: empty document"),
    ):
        bad = hookbench("diff", *args)
        assert bad.returncode == 2, (args, bad.stdout)
        assert message in bad.stderr


def test_diff_of_records_lists_the_profiles_broken_rows(fresh_sandbox: Sandbox, profiles: Path) -> None:
    users = profiles / "users.toml"
    assert hookbench("run", users, "--var", base(fresh_sandbox)).returncode == 0
    fresh_sandbox.state.drift = True
    assert hookbench("run", users, "--var", base(fresh_sandbox)).returncode == 0
    older, newest = records(profiles)[1]["id"], records(profiles)[0]["id"]

    done = hookbench("diff", older, "last", "--profiles", profiles)
    assert done.returncode == 3, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"A: history record {older} (users, recorded ")
    assert lines[1].startswith(f"B: history record {newest} (users, recorded ")
    assert ["-", "users.*.title", "string"] in [line.split() for line in lines]
    assert ["~", "users.*.id", "number", "→", "string"] in [line.split() for line in lines]
    assert "broken Set Variables rows (resolve in A, not in B):" in lines
    assert any(line.startswith("  users.0.title → {{title}}: no value at 'users.0.title'") for line in lines)

    assert hookbench("diff", "last~1", "last", "--profiles", profiles).stdout == done.stdout
    again = hookbench("diff", older[:20], newest, "--profile", users, "--json")
    assert again.returncode == 3
    assert [row["publishes"] for row in json.loads(again.stdout)["broken_rows"]] == ["title"]
    assert hookbench("diff", newest, "last", "--profile", "users", "--profiles", profiles).returncode == 0
    unknown = hookbench("diff", older, newest, "--profile", "nope", "--profiles", profiles)
    assert unknown.returncode == 2 and "--profile nope: no such profile" in unknown.stderr


# --------------------------------------------------------------------------- check


def test_check_turns_from_0_to_3_when_the_sandbox_changes_shape(
    fresh_sandbox: Sandbox, profiles: Path
) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    var = ("--var", base(fresh_sandbox))
    no_baseline = hookbench("check", lookup, *var)
    assert no_baseline.returncode == 2
    assert "no successful record of subscriber-lookup" in no_baseline.stderr
    assert records(profiles) == []  # nothing was sent for it

    assert hookbench("run", lookup, *var).returncode == 0
    same = hookbench("check", lookup, *var)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "check: same shape — compared with history record " in same.stdout

    fresh_sandbox.state.drift = True
    drift = hookbench("check", lookup, *var, "--no-history")
    assert drift.returncode == 3, drift.stdout + drift.stderr
    lines = drift.stdout.splitlines()
    assert any(line.startswith("check: DRIFT — compared with history record ") for line in lines)
    assert ["+", "subscribers.*.name.first", "string"] in [line.split() for line in lines]
    assert ["-", "subscribers.*.first_name", "string"] in [line.split() for line in lines]
    assert ["~", "subscribers.*.tags.*", "string", "→", "object"] in [line.split() for line in lines]
    broken = lines[lines.index("broken Set Variables rows (resolve in A, not in B):") + 1 :]
    assert [line.split(" → ")[0].strip() for line in broken] == ["subscribers.0.first_name"]

    as_json = hookbench("check", lookup, *var, "--json")  # recorded: the new shape is the baseline
    assert as_json.returncode == 3
    report = json.loads(as_json.stdout)
    assert report["drifted"] is True and report["route"] == "success"
    assert [row["path"] for row in report["diff"]["broken_rows"]] == ["subscribers.0.first_name"]
    assert hookbench("check", lookup, *var).returncode == 0


def test_check_on_a_failure_route_exits_1(fresh_sandbox: Sandbox, profiles: Path) -> None:
    lookup = profiles / "subscriber-lookup.toml"
    assert hookbench("run", lookup, "--var", base(fresh_sandbox)).returncode == 0
    done = hookbench("check", lookup, "--var", base(fresh_sandbox), "--var", "source.email=zoe@example.com")
    assert done.returncode == 1
    assert "route: FAILURE — HTTP 404 Not Found" in done.stdout
    assert "check:" not in done.stdout


def test_check_with_a_baseline_without_body_is_a_configuration_error(
    fresh_sandbox: Sandbox, profiles: Path
) -> None:
    users = profiles / "users.toml"
    users.write_text(users.read_text().replace("log_response_body = true", "log_response_body = false"))
    assert hookbench("run", users, "--var", base(fresh_sandbox)).returncode == 0
    done = hookbench("check", users, "--var", base(fresh_sandbox))
    assert done.returncode == 2
    assert "log_response_body was off" in done.stderr
    assert len(History.for_profiles(profiles).list()) == 1  # refused before sending


def test_check_takes_the_shared_variable_options_run_takes() -> None:
    """`check` gets every option `add_variable_options` offers (environments included, once added)."""
    import argparse

    from tui.cli import build_parser
    from tui.commands.common import add_variable_options

    shared = argparse.ArgumentParser()
    add_variable_options(shared)
    wanted = {option for action in shared._actions for option in action.option_strings} - {"-h", "--help"}
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    check = {option for action in commands.choices["check"]._actions for option in action.option_strings}
    assert wanted and wanted <= check
