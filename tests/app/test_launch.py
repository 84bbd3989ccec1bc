"""`hookbench demo` works on a copy of the bundled examples, never on the examples themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.commands.demo import BUNDLED_PROFILES, demo_folder


def test_demo_folder_is_a_working_copy_that_keeps_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    folder = demo_folder()
    assert folder == tmp_path / "hookbench" / "demo-profiles"
    bundled = sorted(p.name for p in BUNDLED_PROFILES.glob("*.toml"))
    assert sorted(p.name for p in folder.glob("*.toml")) == bundled
    edited = folder / "users.toml"
    edited.write_text(edited.read_text() + "\n# my note\n")
    (folder / "send-discount.toml").unlink()
    demo_folder()
    assert edited.read_text().endswith("# my note\n")  # a person's edit is kept
    assert (folder / "send-discount.toml").exists()  # a missing example comes back
    assert "# my note" not in (BUNDLED_PROFILES / "users.toml").read_text()
