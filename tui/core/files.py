"""Atomic file writes: a profile or record on disk is either the old one or the new one."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


def state_home() -> Path:
    """hookbench's state folder: `$XDG_STATE_HOME/hookbench` (default ~/.local/state/hookbench)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state).expanduser() / "hookbench"


def atomic_write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """Write `text` to `path` via a temp file in the same folder, fsync, then rename.

    The file keeps its existing permission bits unless `mode` is given; a crash at any
    point leaves either the previous file or the complete new one, never half of it.
    """
    import tempfile  # not at module level: `hookbench run` never writes a profile

    path = Path(path)
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        elif path.exists():
            os.chmod(tmp_name, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform; best effort)."""
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
