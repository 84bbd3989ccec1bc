"""Put a collection or specification import on disk and say what happened: the profiles (through
the shared writer), the secret values, the environments, the script lines kept as comments.

Used by `hookbench import postman|openapi` and by the workbench's palette. Every check that
can refuse the import (a profile or environment that exists) runs before the first write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tui.core.errors import ImportSourceError
from tui.core.files import atomic_write_text
from tui.core.importers import DocumentImport, Imported
from tui.core.importers.environments import (
    add_dotenv_values,
    refuse_existing,
    write_environments,
)
from tui.core.safe_text import safe_text

SCRIPT_NOTE = "script: "  # a note holding one untranslated script line


def save_import(
    result: DocumentImport,
    folder: Path,
    *,
    source: str,
    keep_secrets: bool = False,
    overwrite: bool = False,
) -> tuple[Imported, str]:
    """Write everything under `folder`; (what was read, the report). ProfileError (nothing
    written) on a clash."""
    from tui.core.importers.report import format_report
    from tui.core.importers.writing import DOTENV, write_import

    folder = Path(folder)
    imported = result.imported
    if not overwrite:
        refuse_existing(result.environments, folder)
    written = write_import(imported, folder, keep_secrets=keep_secrets, overwrite=overwrite)
    for profile, path in zip(imported.profiles, written.profiles):
        _add_script_comments(
            path, [n[len(SCRIPT_NOTE) :] for n in profile.notes if n.startswith(SCRIPT_NOTE)]
        )
    added, kept = add_dotenv_values(folder, result.secrets)
    env_paths = write_environments(result.environments, folder, source=source)
    shown = replace(
        imported,
        profiles=tuple(
            replace(p, notes=tuple(n for n in p.notes if not n.startswith(SCRIPT_NOTE)))
            for p in imported.profiles
        ),
    )
    dotenv = folder / DOTENV
    lines = [format_report(shown, written)]
    lines += [f"secret variable → {{{{env.{name}}}}} in {dotenv}" for name in added]
    lines += [f"secret variable {name}: {dotenv} holds another value; kept it" for name in kept]
    for env, (path, secrets_path) in zip(result.environments, env_paths):
        lines.append(f"environment {path}")
        lines += [f"  secret {name} → {secrets_path}" for name, _ in env.secrets]
    if result.credentials:
        lines.append(f"credentials to set (in the environment or {dotenv}): {', '.join(result.credentials)}")
    return imported, "\n".join(lines)


def _add_script_comments(path: Path, lines: list[str]) -> None:
    """The script lines hookbench did not translate, kept at the top of the profile as comments."""
    if not lines:
        return
    header = ["# Postman script lines not translated (kept for reference):"]
    header += [f"#   {safe_text(line, single_line=True)}" for line in lines]
    text = path.read_text(encoding="utf-8")
    atomic_write_text(path, "\n".join(header) + "\n" + text)


def read_source(path: Path) -> bytes:
    """The bytes of a file to import; ImportSourceError (exit 2) when it cannot be read."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ImportSourceError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def import_postman_files(
    collection: Path,
    environments: Sequence[Path],
    folder: Path,
    *,
    keep_secrets: bool = False,
    overwrite: bool = False,
) -> tuple[Imported, str]:
    """Read, translate and write a collection and its environments; (what was read, the report)."""
    from tui.core.importers.postman import import_postman

    result = import_postman(
        read_source(collection),
        source=str(collection),
        environments=[(str(path), read_source(path)) for path in environments],
        keep_secrets=keep_secrets,
    )
    return save_import(result, folder, source=str(collection), keep_secrets=keep_secrets, overwrite=overwrite)


def import_openapi_file(
    spec: Path,
    folder: Path,
    *,
    tags: Sequence[str] = (),
    keep_secrets: bool = False,
    overwrite: bool = False,
) -> tuple[Imported, str]:
    """Read, translate and write a specification; (what was read, the report)."""
    from tui.core.importers.openapi import import_openapi

    result = import_openapi(read_source(spec), source=str(spec), tags=tags)
    return save_import(result, folder, source=str(spec), keep_secrets=keep_secrets, overwrite=overwrite)
