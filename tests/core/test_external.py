"""The person's pager and editor, run for real: tiny scripts stand in for less and vim."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.core.errors import ProgramError
from tui.core.external import edit_text, editor_command, page_text, pager_command


def script(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_commands_come_from_the_environment_with_their_options() -> None:
    assert pager_command({}) == ["less"]
    assert pager_command({"PAGER": "  "}) == ["less"]
    assert pager_command({"PAGER": "less -R -S"}) == ["less", "-R", "-S"]
    assert editor_command({}) == ["vi"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({"EDITOR": "nano", "VISUAL": "'my editor' --wait"}) == ["my editor", "--wait"]
    with pytest.raises(ProgramError, match=r"\$PAGER cannot be read"):
        pager_command({"PAGER": "less 'unclosed"})


def test_the_pager_gets_a_file_named_for_its_kind_and_it_is_removed_after(tmp_path: Path) -> None:
    record = tmp_path / "record"
    pager = script(
        tmp_path, "pager", f'echo "$@" > {record}\nfor last; do :; done\ncat "$last" >> {record}\n'
    )
    page_text('{\n  "a": 1\n}', suffix=".json", environ={"PAGER": f"{pager} --flag"})
    argument, *content = record.read_text().splitlines()
    flag, shown = argument.split(" ")
    assert flag == "--flag" and shown.endswith("/response.json")
    assert content == ["{", '  "a": 1', "}"]
    assert not Path(shown).exists() and not Path(shown).parent.exists()


def test_the_editors_changes_come_back_without_an_added_final_newline(tmp_path: Path) -> None:
    editor = script(tmp_path, "editor", 'sed -i "s/1/2/" "$1"\n')
    assert edit_text('{"a": 1}', suffix=".json", environ={"EDITOR": str(editor)}) == '{"a": 2}'
    assert edit_text('{"a": 1}\n', suffix=".json", environ={"EDITOR": str(editor)}) == '{"a": 2}\n'


def test_missing_and_failing_programs_are_program_errors(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="'/no/such/pager' was not found"):
        page_text("x", suffix=".txt", environ={"PAGER": "/no/such/pager"})
    failing = script(tmp_path, "failing", 'echo changed > "$1"\nexit 3\n')
    with pytest.raises(ProgramError, match="exited with status 3"):
        edit_text("x", suffix=".json", environ={"EDITOR": str(failing)})
    not_executable = tmp_path / "plain"
    not_executable.write_text("")
    with pytest.raises(ProgramError, match="cannot be run"):
        page_text("x", suffix=".txt", environ={"PAGER": str(not_executable)})
    binary = script(tmp_path, "binary", "printf '\\377\\376' > \"$1\"\n")
    with pytest.raises(ProgramError, match="not UTF-8"):
        edit_text("x", suffix=".json", environ={"EDITOR": str(binary)})
