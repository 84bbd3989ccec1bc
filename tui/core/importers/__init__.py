"""Importers: pure functions from an outside document (a curl command, a collection, a
specification) to modules plus a report. One module per source; what they share is here.

An importer never writes: it returns an `Imported`. `tui.core.importers.secrets` then moves
every literal secret to the profiles folder's `.env`, and `tui.core.importers.writing` puts
the files on disk, all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from tui.core.model import Module

if TYPE_CHECKING:
    from tui.core.importers.environments import ImportedEnvironment


@dataclass(frozen=True)
class ImportedProfile:
    """One module to be written at `path`, relative to the output folder (sub-folders allowed)."""

    path: PurePosixPath
    module: Module
    notes: tuple[str, ...] = ()  # what this request lost or how it was read, for the report


@dataclass(frozen=True)
class Skipped:
    """A request of the source that was not imported, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class Imported:
    """What an importer read: profiles to write, requests skipped, warnings about the source."""

    profiles: tuple[ImportedProfile, ...]
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentImport:
    """A collection or specification read: the profiles (in `imported`), its environments,
    secret values for the dotenv file (Postman: (dotenv name, value) pairs the profiles reference
    as `{{env.NAME}}`) and the credentials the user must set (OpenAPI: `{{env.NAME}}` names its
    security schemes read)."""

    imported: Imported
    environments: tuple[ImportedEnvironment, ...] = ()
    secrets: tuple[tuple[str, str], ...] = ()
    credentials: tuple[str, ...] = ()
