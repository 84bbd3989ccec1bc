"""Recovery copies and crash reports in the state folder (no terminal needed)."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path

import pytest

from tui.core.crash import module_secrets, write_crash_report
from tui.core.model import Auth, Module, Request
from tui.core.profile import load_profile, save_profile
from tui.core.recovery import RecoveryStore
from tui.core.secrets import MASK


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "hookbench"


def test_copy_of_an_edited_profile_keeps_comments_and_secrets_as_typed(state: Path, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = folder / "lookup.toml"
    path.write_text('# my notes\nname = "Lookup"\n\n[request]\nmethod = "GET"\nurl = "https://a.test/"\n')
    profile = load_profile(path)
    edited = replace(
        profile.module,
        request=replace(
            profile.module.request, url="https://b.test/", headers=(("Authorization", "Bearer s3cret"),)
        ),
    )
    store = RecoveryStore(folder)
    copy_path = store.path_for(path, "session")
    store.write(copy_path, edited, profile=path, document=profile.document)

    found = store.for_profile(path)
    assert found is not None and found.path == copy_path and found.profile == path.resolve()
    assert found.load() == edited
    assert "# my notes" in found.text() and "s3cret" in found.text()
    assert "b.test" not in profile.document.as_string()  # the profile's document is not edited
    assert stat.S_IMODE(copy_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy_path.parent.stat().st_mode) == 0o700
    assert copy_path.is_relative_to(state / "recovery")
    assert path.read_text().count("a.test") == 1  # the profile itself is untouched


def test_never_saved_modules_are_listed_newest_first_and_discarded(state: Path, tmp_path: Path) -> None:
    store = RecoveryStore(tmp_path / "profiles")
    first = store.write(
        store.path_for(None, "one"), Module(name="First", request=Request(url="https://1/")), profile=None
    )
    second = store.write(
        store.path_for(None, "two"), Module(name="Second", request=Request(url="https://2/")), profile=None
    )
    (store.folder / "not-ours.toml").write_text('name = "x"\n')  # no header: ignored
    assert [c.name for c in store.all()] == ["Second", "First"]
    assert all(c.profile is None for c in store.all())
    store.discard(second.path)
    store.discard(second.path)  # twice is fine
    assert [c.path for c in store.all()] == [first.path]


def test_the_copy_of_a_profile_is_replaced_not_multiplied(state: Path, tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = folder / "a.toml"
    save_profile(path, Module(name="A", request=Request(url="https://a/")))
    store = RecoveryStore(folder)
    for url in ("https://1/", "https://2/"):
        store.write(store.path_for(path, "s"), Module(name="A", request=Request(url=url)), profile=path)
    assert len(store.all()) == 1
    copy = store.for_profile(path)
    assert copy is not None and copy.load().request.url == "https://2/"


def test_crash_report_masks_secrets_and_keeps_the_traceback(state: Path) -> None:
    try:
        raise KeyError("token s3cret-value leaked into a message")
    except KeyError as exc:
        error = exc
    path = write_crash_report(
        error,
        versions={"hookbench": "0.1.0", "textual": "8.2.8"},
        inputs=["key ctrl+p", "typed 6 characters", "click 3,4"],
        secrets=["s3cret-value"],
    )
    text = path.read_text()
    assert path.parent == state / "crashes"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "s3cret-value" not in text and MASK in text
    assert "KeyError" in text and "test_crash_report_masks_secrets" in text
    assert "key ctrl+p" in text and "textual 8.2.8" in text


def test_module_secrets_are_header_auth_and_env_values() -> None:
    module = Module(
        request=Request(
            url="https://a.test/{{env.API_KEY}}",
            headers=(("Authorization", "Bearer tok-123"), ("Accept", "text/plain")),
            auth=Auth(type="basic", values=(("username", "ann"), ("password", "pw-secret"))),
        )
    )
    found = module_secrets(module, {"API_KEY": "env-value-9", "OTHER": "not-used"})
    assert {"tok-123", "pw-secret", "env-value-9"} <= found
    assert "text/plain" not in found and "not-used" not in found
