"""A name holding a control character is refused where it is read: file, key and line, exit 2.

Each place a name is read (Set Variables targets, the failure variable, `[variables]` keys,
header names, environment names, history ids) against a line break, a carriage return, a tab,
a NUL and an escape. The commands run in process through `main`, as the console script runs it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.history import History

pytestmark = pytest.mark.usefixtures("isolated_history")

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = ["\n", "\r", "\t", "\x00", "\x1b"]
IDS = ["newline", "return", "tab", "nul", "escape"]
# How an error line writes each: the usual short escapes, else `\u001b` (as the screen does).
SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\u0000", "\x1b": "\\u001b"}
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def toml_escaped(name: str) -> str:
    """The name as a TOML basic string spells it: `\\uXXXX` for each control character."""
    return "".join(f"\\u{ord(char):04x}" if ord(char) < 32 or ord(char) == 127 else char for char in name)


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def assert_one_clean_line(err: str) -> None:
    """The error is one line, with no raw control character that could break or paint the terminal."""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert not RAW_CONTROL.search(err.removesuffix("\n")), repr(err)
    assert "Traceback" not in err


# (what the profile holds, the key the error names, the line it is on)
PROFILE_PLACES = {
    "target": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[[set_variables]]\nname = "a"\ntarget = "t{c}"\n',
        "set_variables[0].target",
        6,
    ),
    "failure variable": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[on_failure]\nvariable = "failed{c}"\n',
        "on_failure.variable",
        5,
    ),
    "variables key": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[variables]\nplain = "1"\n"bad{c}" = "2"\n',
        "variables.bad{shown}",
        6,
    ),
    "nested variables key": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[variables.source]\n"bad{c}" = "2"\n',
        "variables.source.bad{shown}",
        5,
    ),
    "header name": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[request.headers]\nAccept = "*/*"\n"X-Id{c}" = "1"\n',
        "request.headers.X-Id{shown}",
        6,
    ),
    "route": (
        '[request]\nurl = "http://127.0.0.1:9/"\n\n[routes]\nsuccess = "next{c}"\n',
        "routes.success",
        5,
    ),
}


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
@pytest.mark.parametrize("place", PROFILE_PLACES)
def test_a_profile_name_with_a_control_character_is_refused(
    place: str, control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, key, line = PROFILE_PLACES[place]
    profile = tmp_path / "odd.toml"
    profile.write_text(text.format(c=toml_escaped(control)), encoding="utf-8")
    shown = SHOWN[control]
    code, err = run(capsys, "run", profile)
    assert code == 2
    assert err.startswith(f"hookbench: error: {profile}: {key.format(shown=shown)}: ")
    assert f"holds a control character ({shown})" in err and err.endswith(f"(line {line})\n")
    assert_one_clean_line(err)
    assert History.for_profiles(tmp_path).list() == []  # nothing was sent, nothing recorded


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_a_header_name_filled_with_a_control_character_is_not_sent(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "odd.toml"
    profile.write_text('[request]\nurl = "http://127.0.0.1:9/"\n[request.headers]\n"X-{{suffix}}" = "1"\n')
    code, err = run(capsys, "run", profile, "--var", f"suffix=id{control}")
    assert code == 2
    assert err.startswith("hookbench: error: header name 'X-id") and "holds a control character" in err
    assert_one_clean_line(err)
    assert History.for_profiles(tmp_path).list() == []


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_an_env_file_name_with_a_control_character_is_refused(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env_file = tmp_path / "odd.env"
    env_file.write_bytes(f"# tokens\nGOOD=1\nBA{control}D=2\n".encode())
    profile = tmp_path / "p.toml"
    profile.write_text('[request]\nurl = "http://127.0.0.1:9/{{env.GOOD}}"\n')
    code, err = run(capsys, "run", profile, "--dry-run", "--env-file", env_file)
    assert code == 2
    assert err.startswith(f"hookbench: error: --env-file {env_file}: line 3: ")
    # a line break ends the line, so `BA` alone is the malformed line; anything else is named
    assert "expected NAME=value" in err if control == "\n" else "holds a control character" in err
    assert_one_clean_line(err)


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_a_vars_file_key_with_a_control_character_is_refused(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vars_file = tmp_path / "vars.toml"
    vars_file.write_text(f'good = "1"\n\n[source]\n"em{toml_escaped(control)}ail" = "a@b.c"\n')
    profile = tmp_path / "p.toml"
    profile.write_text('[request]\nurl = "http://127.0.0.1:9/{{good}}"\n')
    code, err = run(capsys, "run", profile, "--dry-run", "--vars-file", vars_file)
    shown = SHOWN[control]
    assert code == 2
    assert err.startswith(f"hookbench: error: --vars-file {vars_file}: source.em{shown}ail: ")
    assert "holds a control character" in err and err.endswith("(line 4)\n")
    assert_one_clean_line(err)


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
def test_a_var_option_name_with_a_control_character_is_refused(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[request]\nurl = "http://127.0.0.1:9/"\n')
    code, err = run(capsys, "run", profile, "--dry-run", "--var", f"na{control}me=1")
    assert code == 2
    assert err.startswith("hookbench: error: --var: name 'na") and "holds a control character" in err
    assert_one_clean_line(err)


@pytest.mark.parametrize("control", CONTROLS, ids=IDS)
@pytest.mark.parametrize("action", ["show", "replay"])
def test_a_history_id_with_a_control_character_is_refused(
    action: str, control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = History.for_profiles(tmp_path)
    code, err = run(capsys, "history", "--profiles", tmp_path, action, f"20261128T184512{control}")
    assert code == 2
    assert err.startswith(f"hookbench: error: history id in {history.root}: name '20261128T184512")
    assert "holds a control character" in err
    assert_one_clean_line(err)


def test_the_reported_target_with_a_trailing_newline_exits_2_as_a_user_runs_it(tmp_path: Path) -> None:
    """The issue's own case, through the console script: refused, one line, nothing recorded."""
    profile = tmp_path / "t.toml"
    profile.write_text(
        textwrap.dedent(
            """\
            [request]
            url = "http://127.0.0.1:9/"

            [[set_variables]]
            name = "id"
            target = "t\\n"
            """
        )
    )
    done = subprocess.run(
        [sys.executable, "-m", "tui", "run", str(profile)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"hookbench: error: {profile}: set_variables[0].target: name 't\\n' holds a control character (\\n); "
        "a name is one line of printable text (line 6)\n"
    )
    assert History.for_profiles(tmp_path).list() == []
