"""Run history: every send leaves a TOML record that can be listed, replayed and promoted.

One folder of records per profiles folder, one file a run, named by its id. Ids start with the
UTC time, so the newest records are found by sorting file names; the list reads only the first
line of each (a JSON summary) and parses a whole record with `tomllib` only when it is opened.
Records are written atomically (0600, in a 0700 folder) and pruned to the newest `keep`.

Where history lives: `$HOOKBENCH_HISTORY_DIR` if set, else `$XDG_STATE_HOME/hookbench/history`
(`~/.local/state/hookbench/history`), then one sub-folder per profiles folder named
`<folder name>-<hash of its absolute path>`. `$HOOKBENCH_HISTORY_KEEP` sets how many records
each keeps (default 1000; 0 records nothing).
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import json
import os
import re
import stat
import threading
import time as _time
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import HistoryError, ProfileError
from tui.core.files import atomic_write_text, state_home
from tui.core.history_record import (
    HEADER_PREFIX,
    MAX_LOGGED_BODY,
    RecordSummary,
    build_record,
    masked_places,
    record_text,
)
from tui.core.names import control_problem

if TYPE_CHECKING:
    from tui.core.environments import Environment
    from tui.core.model import Module
    from tui.core.run import RunResult

__all__ = ["History", "HistoryWarning", "RecordSummary", "folder_key", "history_base", "keep_setting"]

DEFAULT_KEEP = 1000
HISTORY_DIR_ENV = "HOOKBENCH_HISTORY_DIR"
HISTORY_KEEP_ENV = "HOOKBENCH_HISTORY_KEEP"
RECORD_NAME = re.compile(r"\d{8}T\d{6}\.\d{6}Z-\d+-[0-9a-f]{4}\.toml")
_ID_TEXT = re.compile(r"\d[0-9A-Za-z.\-]*")
_TEMP_NAME = re.compile(r"\.\d{8}T\d{6}\.\d{6}Z-\d+-[0-9a-f]{4}\.toml\..+\.tmp")
_STALE_TEMP_SECONDS = 3600
_MAX_HEADER_BYTES = 256 * 1024
_HEADER_BYTES = HEADER_PREFIX.encode("ascii")


class HistoryWarning(UserWarning):
    """A record was skipped (hand-broken, truncated, unreadable); the rest of the list stands."""


# --- where history lives --------------------------------------------------------------------


def history_base() -> Path:
    """`$HOOKBENCH_HISTORY_DIR`, else `$XDG_STATE_HOME/hookbench/history` (~/.local/state/…)."""
    override = os.environ.get(HISTORY_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return state_home() / "history"


def folder_key(folder: Path) -> str:
    """`profiles-1a2b3c4d5e`: readable, and distinct for two folders with the same name."""
    resolved = Path(folder).expanduser().resolve()
    slug = re.sub(r"[^a-z0-9._-]+", "-", resolved.name.lower()).strip("-.")[:40] or "profiles"
    digest = hashlib.sha256(str(resolved).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{slug}-{digest}"


def keep_setting() -> int:
    """`$HOOKBENCH_HISTORY_KEEP`, or 1000."""
    text = os.environ.get(HISTORY_KEEP_ENV, "").strip()
    if not text:
        return DEFAULT_KEEP
    try:
        keep = int(text)
    except ValueError:
        keep = -1
    if keep < 0:
        raise HistoryError(
            f"{HISTORY_KEEP_ENV}={text!r}: expected a whole number of records (0 records nothing)"
        )
    return keep


# --- ids --------------------------------------------------------------------------------------

_id_lock = threading.Lock()
_last_micros = 0


def _next_time() -> datetime:
    """Now, but strictly later than this process's previous id, so ids never collide here."""
    global _last_micros
    with _id_lock:
        micros = max(_time.time_ns() // 1000, _last_micros + 1)
        _last_micros = micros
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def new_record_id(now: datetime) -> str:
    """`20261128T184512.123456Z-<pid>-<4 hex>`: sorts by time, unique across processes."""
    return f"{now:%Y%m%dT%H%M%S}.{now.microsecond:06d}Z-{os.getpid()}-{os.urandom(2).hex()}"


# --- the store --------------------------------------------------------------------------------


class History:
    """The records of one profiles folder."""

    def __init__(self, root: Path, *, keep: int = DEFAULT_KEEP, max_body: int = MAX_LOGGED_BODY) -> None:
        self.root = Path(root)
        self.keep = keep
        self.max_body = max_body
        self.last_error: str | None = None
        self.skipped: builtins.list[str] = []
        self.replay_notes: builtins.list[str] = []

    def __repr__(self) -> str:
        return f"History({str(self.root)!r}, keep={self.keep})"

    @classmethod
    def for_profiles(cls, folder: Path) -> History:
        """The history of `folder`, where the environment says it lives (see the module doc)."""
        return cls(history_base() / folder_key(folder), keep=keep_setting())

    # --- writing -------------------------------------------------------------------------

    def record(
        self, module: Module, result: RunResult, *, profile_path: Path | None, profile: str | None = None
    ) -> RecordSummary | None:
        """Write one run; on disk trouble return None and leave the reason in `last_error`.

        A run has already happened when this is called: failing to record it must not turn a
        success into a crash. `profile` overrides the name taken from `profile_path`'s stem
        (a replay keeps the name of the profile the record came from).
        """
        self.last_error = None
        if self.keep <= 0:
            return None
        now = _next_time()
        record_id = new_record_id(now)
        data, summary = build_record(
            module,
            result,
            record_id=record_id,
            time=now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            profile=profile if profile is not None else (Path(profile_path).stem if profile_path else ""),
            base_dir=Path(profile_path).resolve().parent if profile_path else None,
            max_body=self.max_body,
        )
        try:
            self._ensure_root()
            atomic_write_text(self.root / f"{record_id}.toml", record_text(data, summary), mode=0o600)
        except OSError as exc:
            self.last_error = f"could not record the run in {self.root}: {exc.strerror or exc}"
            return None
        try:
            self.prune()
        except (OSError, HistoryError) as exc:
            self.last_error = f"recorded {record_id}, but pruning {self.root} failed: {exc}"
        return RecordSummary.from_json(summary)

    def _ensure_root(self) -> None:
        """Create the folder (and any missing parents) 0700; tighten it if it is looser."""
        missing = []
        folder = self.root
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
        if stat.S_IMODE(self.root.stat().st_mode) != 0o700:
            os.chmod(self.root, 0o700)

    def prune(self) -> int:
        """Delete records beyond the newest `keep`, and temp files a killed writer left behind.

        Only file names of the record pattern are ever touched. Returns how many went.
        """
        names = self._names()
        removed = 0
        for name in names[max(self.keep, 0) :]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.root / name)
                removed += 1
        self._remove_stale_temps()
        return removed

    def _remove_stale_temps(self) -> None:
        cutoff = _time.time() - _STALE_TEMP_SECONDS
        with contextlib.suppress(OSError), os.scandir(self.root) as entries:
            for entry in entries:
                if _TEMP_NAME.fullmatch(entry.name):
                    with contextlib.suppress(OSError):
                        if entry.stat().st_mtime < cutoff:
                            os.unlink(entry.path)

    # --- listing ---------------------------------------------------------------------------

    def _names(self) -> builtins.list[str]:
        """Record file names, newest first."""
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise HistoryError(f"{self.root}: cannot list the history folder: {exc.strerror or exc}") from exc
        names = [name for name in names if RECORD_NAME.fullmatch(name)]
        names.sort(reverse=True)
        return names

    def list(self, limit: int = 100, query: str = "") -> builtins.list[RecordSummary]:
        """The newest `limit` records (all when `limit` ≤ 0) matching `query`, newest first.

        Unreadable records are skipped with a HistoryWarning and noted in `skipped`.
        """
        self.skipped = []
        found: builtins.list[RecordSummary] = []
        for name in self._names():
            summary = self._summary(name)
            if summary is None or (query and not summary.matches(query)):
                continue
            found.append(summary)
            if 0 < limit <= len(found):
                break
        return found

    def newest(self, accept: Callable[[RecordSummary], bool]) -> RecordSummary | None:
        """The newest record `accept` takes; records are read newest first, one line each."""
        self.skipped = []
        for name in self._names():
            summary = self._summary(name)
            if summary is not None and accept(summary):
                return summary
        return None

    def _summary(self, name: str) -> RecordSummary | None:
        """Fast path: the first line, checked against the file size. Slow path: the whole TOML."""
        path = self.root / name
        try:
            with open(path, "rb") as handle:
                first = handle.readline(_MAX_HEADER_BYTES)
                size = os.fstat(handle.fileno()).st_size
        except FileNotFoundError:
            return None  # pruned by another process a moment ago
        except OSError as exc:
            self._skip(path, f"cannot read it ({exc.strerror or exc})")
            return None
        if first.startswith(_HEADER_BYTES):
            try:
                data = json.loads(first[len(_HEADER_BYTES) :])
                if data.get("id") == name[:-5] and len(first) + int(data["bytes"]) == size:
                    return RecordSummary.from_json(data)
            except (ValueError, TypeError, KeyError, AttributeError):
                pass
        return self._summary_from_toml(path, name[:-5])

    def _summary_from_toml(self, path: Path, record_id: str) -> RecordSummary | None:
        """A record edited by hand (its size no longer matches) is still listed if it parses."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            request, result = data["request"], data.get("result", {})
            return RecordSummary.from_json(
                {
                    "id": record_id,
                    "time": str(result.get("time") or _time_of(record_id)),
                    "method": request.get("method", "GET"),
                    "url": request["url"],
                    "status": result.get("status"),
                    "route": result.get("route", ""),
                    "elapsed_ms": result.get("elapsed_ms"),
                    "profile": data.get("profile", ""),
                    "name": data.get("name", ""),
                    "reason": result.get("reason", ""),
                }
            )
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._skip(path, f"cannot read it ({exc.strerror or exc})")
            return None
        except UnicodeDecodeError:
            self._skip(path, "it is not UTF-8 text")
            return None
        except tomllib.TOMLDecodeError as exc:
            self._skip(path, f"it is not valid TOML (truncated or edited by hand?): {exc}")
            return None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self._skip(path, f"it is not a hookbench record ({exc})")
            return None

    def _skip(self, path: Path, problem: str) -> None:
        message = f"skipped history record {path}: {problem}"
        self.skipped.append(message)
        warnings.warn(message, HistoryWarning, stacklevel=4)
        return None

    # --- opening ----------------------------------------------------------------------------

    def resolve_id(self, text: str) -> str:
        """The record id for `text`: the id itself, its file name, or an unambiguous prefix of it."""
        problem = control_problem(text)
        if problem:
            raise HistoryError(f"history id in {self.root}: {problem}")
        wanted = text.strip().removesuffix(".toml")
        if not _ID_TEXT.fullmatch(wanted):
            raise HistoryError(
                f"no history record {text!r} in {self.root} (ids look like 20261128T184512.123456Z-4242-ab12)"
            )
        if (self.root / f"{wanted}.toml").is_file():
            return wanted
        matches = [name[:-5] for name in self._names() if name.startswith(wanted)]
        if not matches:
            raise HistoryError(f"no history record {text!r} in {self.root}")
        if len(matches) > 1:
            shown = ", ".join(matches[:3]) + (", …" if len(matches) > 3 else "")
            raise HistoryError(
                f"{text!r} matches {len(matches)} history records ({shown}); give more of the id"
            )
        return matches[0]

    def path_of(self, record_id: str) -> Path:
        """The file of a record (ids may be given as unambiguous prefixes)."""
        return self.root / f"{self.resolve_id(record_id)}.toml"

    def text(self, record_id: str) -> str:
        """The record's TOML exactly as stored (already masked): what `history show` prints."""
        path = self.path_of(record_id)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise HistoryError(
                f"history record {record_id} ({path}): cannot read: {exc.strerror or exc}"
            ) from exc
        except UnicodeDecodeError as exc:
            raise HistoryError(f"history record {record_id} ({path}): not UTF-8 text") from exc

    def read(self, record_id: str) -> dict[str, Any]:
        """The whole record as data, `[result]` included."""
        return self._parse(record_id)[2]

    def _parse(self, record_id: str) -> tuple[Path, str, dict[str, Any]]:
        path = self.path_of(record_id)
        text = self.text(record_id)
        try:
            return path, text, tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise HistoryError(
                f"history record {record_id} ({path}) is broken (truncated or edited by hand?): {exc}"
            ) from exc

    def load(self, record_id: str) -> Module:
        """The record as a module, ready to replay or to load into the composer (nothing is sent)."""
        return self._module(*self._parse(record_id))

    @staticmethod
    def _module(path: Path, text: str, data: dict[str, Any]) -> Module:
        from tui.core.profile import module_from_data

        try:
            return module_from_data(
                data, source=str(path), text=text, default_name=str(data.get("profile") or "history")
            )
        except ProfileError as exc:
            raise HistoryError(f"history record {path.stem}: {exc}") from exc

    def load_for_replay(
        self, record_id: str, *, sources: Path | None = None, environment: Environment | None = None
    ) -> Module:
        """`load`, refusing a record that cannot be sent as recorded.

        A masked secret would go out as `••••••` and a request body that was not kept
        (log_request_body off) would go out empty: the request is never sent with a hole in it.
        A secret masked in the record (header, auth value, client key password, proxy password)
        is taken from its source profile in `sources` (the profiles folder), with
        `environment`'s `[auth]` and `proxy` defaults, where they still have it;
        `replay_notes` says what came from where.
        """
        self.replay_notes = []
        path, text, data = self._parse(record_id)
        module = self._module(path, text, data)
        problems = masked_places(data)
        why = ""
        if problems and sources is not None:
            module, problems, why = self._from_source(
                module, problems, Path(sources), str(data.get("profile") or ""), environment
            )
        if problems:
            raise HistoryError(
                f"history record {path.stem} cannot be replayed as recorded: secrets were masked in "
                f"{', '.join(problems)}{why}. Save it as a profile and re-enter them, or use {{{{env.NAME}}}}"
            )
        if module.request.sends_body and data.get("request", {}).get("body", {}).get("omitted"):
            raise HistoryError(
                f"history record {path.stem} cannot be replayed: its request body was not kept "
                "(log_request_body is off), so the replay would send a different request"
            )
        return module

    def _from_source(
        self,
        module: Module,
        problems: builtins.list[str],
        folder: Path,
        stem: str,
        environment: Environment | None,
    ) -> tuple[Module, builtins.list[str], str]:
        """Fill masked secrets from the record's source profile where it still has them; the
        places left and why the source could not fill them."""
        from tui.core.profile import read_module
        from tui.core.replay_sources import recover_masked

        source_path = folder / f"{stem}.toml"
        if not stem:
            return module, problems, " (the record names no source profile to take them from)"
        if not source_path.is_file():
            return module, problems, f" (its source profile {source_path} does not exist)"
        try:
            source = read_module(source_path)
        except ProfileError as exc:
            return module, problems, f" (its source profile does not load: {exc})"
        recovered = recover_masked(module, source, profile=source_path, environment=environment)
        self.replay_notes.extend(recovered.notes)
        left = [place for place in problems if place not in recovered.taken]
        return recovered.module, left, f" (its source profile {source_path} does not hold them)"

    def save_as_profile(self, record_id: str, folder: Path, name: str, *, overwrite: bool = False) -> Path:
        """Write the record's module as `folder/<name>.toml`; masked secrets stay masked.

        The user re-enters them (or writes `{{env.NAME}}`); a header comment says so.
        An existing profile is never replaced unless `overwrite` is set.
        """
        import tomlkit

        from tui.core.profile import file_stem_for, save_profile

        name = name.strip().removesuffix(".toml").strip()
        if not name:
            raise HistoryError("a profile needs a name")
        path = Path(folder) / f"{file_stem_for(name)}.toml"
        if path.exists() and not overwrite:
            raise HistoryError(f"{path}: a profile with that name already exists")
        resolved = self.resolve_id(record_id)
        module = replace(self.load(resolved), name=name)
        document = tomlkit.document()
        document.add(tomlkit.comment(f"Saved from history record {resolved}."))
        document.add(
            tomlkit.comment("Secrets are masked (••••••) in history: re-enter them here or use {{env.NAME}}.")
        )
        document.add(tomlkit.nl())
        try:
            save_profile(path, module, document)
        except ProfileError as exc:
            raise HistoryError(f"saving history record {resolved} as a profile: {exc}") from exc
        return path


def _time_of(record_id: str) -> str:
    """`20261128T184512.123456Z-…` → `2026-11-28T18:45:12.123456Z`."""
    stamp = record_id.split("-", 1)[0]
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:]}"
