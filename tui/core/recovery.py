"""Recovery copies: the unsaved module kept in the state folder, so that a dropped SSH link,
a SIGTERM, a kill -9 or a crash loses at most the last second of edits (editors' swap files).

One folder per profiles folder, `$XDG_STATE_HOME/hookbench/recovery/<folder key>/` (0700), one
file per module being edited (0600, written atomically): the module as saving its profile would
write it (comments and unknown keys included), after a first line saying which profile it
belongs to and when it was written. Secrets stay as typed: it is the user's own work, readable
only by them, and deleted on save or on "without saving".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import ProfileError
from tui.core.files import atomic_write_text, state_home
from tui.core.history import folder_key
from tui.core.profile import module_from_data, profile_text

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from tui.core.model import Module

HEADER_PREFIX = "# hookbench-recovery v1 "


@dataclass(frozen=True)
class RecoveryCopy:
    """One copy on disk: where it is, the profile it belongs to (None: never saved), when."""

    path: Path
    profile: Path | None
    written: datetime
    name: str

    def text(self) -> str:
        """The profile text (without the header line)."""
        return self.path.read_text(encoding="utf-8").partition("\n")[2]

    def load(self) -> Module:
        """The module as it was when the copy was written; ProfileError if the copy is broken."""
        try:
            text = self.text()
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ProfileError(f"{self.path}: unreadable recovery copy: {exc}") from exc
        return module_from_data(data, source=str(self.path), text=text, default_name=self.name)

    def local_time(self) -> str:
        """`14:02:07`, or `2026-11-28 14:02` when not today."""
        local = self.written.astimezone()
        if local.date() == datetime.now().astimezone().date():
            return local.strftime("%H:%M:%S")
        return local.strftime("%Y-%m-%d %H:%M")


class RecoveryStore:
    """The recovery copies of one profiles folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = state_home() / "recovery" / folder_key(folder)

    def path_for(self, profile: Path | None, session: str) -> Path:
        """The copy of `profile`, or of this session's never-saved module."""
        if profile is None:
            return self.folder / f"new-{session}.toml"
        resolved = Path(profile).expanduser().resolve()
        digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:10]
        return self.folder / f"{resolved.stem}-{digest}.toml"

    def write(
        self, path: Path, module: Module, *, profile: Path | None, document: TOMLDocument | None = None
    ) -> RecoveryCopy:
        """Write (replace) the copy at `path` atomically, 0600 in a 0700 folder.

        `document` is the saved profile's; it is copied, never edited.
        """
        if document is not None:
            import tomlkit

            document = tomlkit.parse(document.as_string())
        text, _ = profile_text(module, document)
        written = datetime.now(UTC)
        where = str(Path(profile).expanduser().resolve()) if profile is not None else None
        header = {"profile": where, "written": written.isoformat(), "name": module.name}
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        atomic_write_text(path, HEADER_PREFIX + json.dumps(header) + "\n" + text, mode=0o600)
        return RecoveryCopy(path, Path(where) if where else None, written, module.name)

    def discard(self, path: Path) -> None:
        """Delete a copy (saved, or given up on purpose)."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def for_profile(self, profile: Path) -> RecoveryCopy | None:
        """The copy of unsaved edits to `profile`, if one was left behind."""
        return self.read(self.path_for(profile, ""))

    def unsaved_new(self) -> list[RecoveryCopy]:
        """Copies of never-saved modules, newest first."""
        return [copy for copy in self.all() if copy.profile is None]

    def all(self) -> list[RecoveryCopy]:
        """Every readable copy of this folder, newest first."""
        if not self.folder.is_dir():
            return []
        found = (self.read(path) for path in self.folder.glob("*.toml"))
        return sorted((c for c in found if c is not None), key=lambda c: c.written, reverse=True)

    def read(self, path: Path) -> RecoveryCopy | None:
        """The copy at `path`; None when there is none or its header is not ours."""
        try:
            with path.open(encoding="utf-8") as handle:
                first = handle.readline()
        except (OSError, UnicodeDecodeError):
            return None
        if not first.startswith(HEADER_PREFIX):
            return None
        try:
            header = json.loads(first[len(HEADER_PREFIX) :])
            written = datetime.fromisoformat(header["written"])
        except (ValueError, KeyError, TypeError):
            return None
        profile = Path(header["profile"]) if header.get("profile") else None
        return RecoveryCopy(path, profile, written, str(header.get("name") or path.stem))
