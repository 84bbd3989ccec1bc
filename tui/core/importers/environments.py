"""Environments an import brings: Postman environments, OpenAPI servers → `environments/NAME.toml`.

Secret values never go into the TOML: they go to `environments/NAME.env` (0600, ignored by
git through the profiles folder's `.gitignore`), which the environment names as its `dotenv`,
so the profiles' `{{env.NAME}}` references read them when that environment is chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tui.core.errors import ProfileError
from tui.core.files import atomic_write_text
from tui.core.importers.secrets import DOTENV, dotenv_line

FOLDER = "environments"
_IGNORED = f"{FOLDER}/*.env"


@dataclass(frozen=True)
class ImportedEnvironment:
    """One environment to write: file stem, the title it had, plain variables, secret values.

    Before `with_secrets_as`, `secrets` are (variable, value); after, (dotenv name, value).
    """

    name: str
    title: str
    variables: tuple[tuple[str, str], ...] = ()
    secrets: tuple[tuple[str, str], ...] = ()

    def with_secrets_as(self, renames: Mapping[str, str]) -> ImportedEnvironment:
        """Every variable the profiles read as `{{env.NAME}}` moved to the secrets, under NAME."""
        plain = [(name, value) for name, value in self.variables if name not in renames]
        moved = [
            (renames[name][len("env.") :], value)
            for name, value in (*self.variables, *self.secrets)
            if name in renames
        ]
        return replace(self, variables=tuple(plain), secrets=tuple(moved))


def environment_paths(environments: Sequence[ImportedEnvironment], folder: Path) -> list[Path]:
    """Where each environment's TOML goes."""
    return [Path(folder) / FOLDER / f"{env.name}.toml" for env in environments]


def refuse_existing(environments: Sequence[ImportedEnvironment], folder: Path) -> None:
    """ProfileError naming the environment files that exist already (checked before any write)."""
    existing = [str(path) for path in environment_paths(environments, folder) if path.exists()]
    if existing:
        raise ProfileError(
            f"{', '.join(existing)}: already exists; --force replaces it (nothing was written)"
        )


def write_environments(
    environments: Sequence[ImportedEnvironment], folder: Path, *, source: str
) -> list[tuple[Path, Path | None]]:
    """Write each environment and its secrets file; (TOML path, secrets path or None) each."""
    import tomlkit

    written: list[tuple[Path, Path | None]] = []
    for env, path in zip(environments, environment_paths(environments, folder)):
        doc = tomlkit.document()
        doc.add(tomlkit.comment(f"Imported from {source}: {env.title}"))
        secrets_path = None
        if env.secrets:
            secrets_path = path.with_suffix(".env")
            text = "".join(dotenv_line(name, value) + "\n" for name, value in env.secrets)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(secrets_path, text, mode=0o600)
            _ignore(Path(folder), _IGNORED)
            doc["dotenv"] = f"{FOLDER}/{secrets_path.name}"
        variables = tomlkit.table()
        for name, value in env.variables:
            variables[name] = value
        doc["variables"] = variables
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, tomlkit.dumps(doc))
        written.append((path, secrets_path))
    return written


def _ignore(folder: Path, pattern: str) -> None:
    """`pattern` in the `.gitignore` of the profiles folder, so credentials never reach a commit."""
    ignore = folder / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
    if any(line.strip() in (pattern, f"/{pattern}") for line in text.splitlines()):
        return
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write_text(ignore, text + pattern + "\n")


def add_dotenv_values(folder: Path, values: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Add NAME=value lines to `folder/.env` (0600, ignored by git); (added, kept) names.

    A name the file holds already keeps its value (an import never overwrites a credential
    someone set by hand); those names are returned as kept, for the report.
    """
    from tui.core.variables import read_env_file

    path = Path(folder) / DOTENV
    existing = read_env_file(path) if path.is_file() else {}
    added = [(name, value) for name, value in values if name not in existing]
    kept = [name for name, value in values if name in existing and existing[name] != value]
    if added:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text + "".join(dotenv_line(n, v) + "\n" for n, v in added), mode=0o600)
        _ignore(Path(folder), DOTENV)
    return [name for name, _ in added], kept
