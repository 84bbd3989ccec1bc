"""Put an import on disk: profiles, the dotenv file the secrets moved to, its `.gitignore`.

Everything is checked before the first write (a profile that exists, an unreadable `.env`),
so a refused import leaves the folder as it was; each file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from tui.core.errors import ProfileError
from tui.core.files import atomic_write_text
from tui.core.importers import Imported, ImportedProfile
from tui.core.importers.secrets import DOTENV, MovedSecret, SecretStore, dotenv_line, env_prefix, move_secrets
from tui.core.model import SYSTEM_TRUST, Module

_PARALLEL_FROM = 16  # fewer profiles than this are written one after the other
_WRITERS = 8


@dataclass(frozen=True)
class Written:
    """What an import put on disk: the profiles, the secrets moved and where they went."""

    profiles: tuple[Path, ...]
    secrets: tuple[MovedSecret, ...]
    dotenv: Path | None


def write_import(
    imported: Imported, folder: Path, *, keep_secrets: bool = False, overwrite: bool = False
) -> Written:
    """Write `imported` under `folder`; ProfileError (nothing written) when a profile exists."""
    from tui.core.profile import save_profile
    from tui.core.variables import read_env_file

    folder = Path(folder)
    targets = [folder / Path(*profile.path.parts) for profile in imported.profiles]
    if not overwrite:
        existing = [str(target) for target in targets if target.exists()]
        if existing:
            raise ProfileError(
                f"{', '.join(existing)}: already exists; --force replaces it (nothing was written)"
            )
    dotenv = folder / DOTENV
    store = SecretStore(existing=read_env_file(dotenv) if dotenv.is_file() else {})
    modules: list[Module] = []
    moved: list[MovedSecret] = []
    for profile, target in zip(imported.profiles, targets):
        module = profile.module
        if not keep_secrets:
            module, found = move_secrets(
                module, profile=str(target), prefix=env_prefix(target.stem), store=store
            )
            moved.extend(found)
        modules.append(module)
    try:
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
        _store_secrets(folder, store, moved)
    except OSError as exc:
        raise ProfileError(f"{folder}: cannot write: {exc.strerror or exc}") from exc
    _save_all(save_profile, list(zip(targets, modules)))
    return Written(profiles=tuple(targets), secrets=tuple(moved), dotenv=dotenv if moved else None)


def _save_all(save: Callable[[Path, Module], object], pairs: list[tuple[Path, Module]]) -> None:
    """Each profile written atomically, several at a time: each write waits on its fsync (which
    lets the other threads run), so a 1,200-operation specification is not 1,200 waits in a row."""
    if len(pairs) < _PARALLEL_FROM:
        for target, module in pairs:
            save(target, module)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for future in [pool.submit(save, target, module) for target, module in pairs]:
            future.result()  # the first error (a ProfileError naming the file) is raised here


def unused_paths(imported: Imported, folder: Path) -> Imported:
    """`imported` with each profile that would replace a file renamed `stem-2`, `stem-3`…"""
    taken: set[PurePosixPath] = set()
    profiles = []
    for profile in imported.profiles:
        path, number = profile.path, 2
        while path in taken or (Path(folder) / Path(*path.parts)).exists():
            path = profile.path.with_name(f"{profile.path.stem}-{number}{profile.path.suffix}")
            number += 1
        taken.add(path)
        profiles.append(replace(profile, path=path))
    return replace(imported, profiles=tuple(profiles))


def stash_secrets(module: Module, folder: Path, stem: str) -> tuple[Module, Written, dict[str, str]]:
    """Move `module`'s literal secrets to `folder`'s `.env` now (a module pasted into the
    workbench is saved later, and must never be saved with them); the values moved, by name,
    for the variables of the running app."""
    from tui.core.variables import read_env_file

    dotenv = Path(folder) / DOTENV
    store = SecretStore(existing=read_env_file(dotenv) if dotenv.is_file() else {})
    module, moved = move_secrets(module, profile=stem, prefix=env_prefix(stem), store=store)
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        _store_secrets(Path(folder), store, moved)
    except OSError as exc:
        raise ProfileError(f"{folder}: cannot write: {exc.strerror or exc}") from exc
    known = {**store.existing, **store.added}
    values = {secret.name: known[secret.name] for secret in moved}
    return module, Written(profiles=(), secrets=tuple(moved), dotenv=dotenv if moved else None), values


def _store_secrets(folder: Path, store: SecretStore, moved: list[MovedSecret]) -> None:
    if store.added:
        _add_to_dotenv(folder / DOTENV, store.added)
    if moved:
        _ignore_dotenv(folder)


def place_files(profile: ImportedProfile, source_dir: Path, folder: Path) -> ImportedProfile:
    """Files a request names relative to where the command ran (uploads, a file body, a CA bundle,
    a client certificate and key), made relative to the profile's folder (a profile reads its
    files from beside itself); files elsewhere get their absolute path."""

    def placed(name: str) -> str:
        return name if not name or "{{" in name else _placed(name, source_dir, folder)

    request = profile.module.request
    body = request.body
    if body is not None and body.content_type == "multipart":
        fields = tuple(
            (name, "@" + placed(value[1:])) if value.startswith("@") else (name, value)
            for name, value in body.fields
        )
        body = replace(body, fields=fields)
    elif body is not None and body.content_type == "file":
        body = replace(body, file=placed(body.file))
    verify = request.verify_tls
    if isinstance(verify, str) and verify != SYSTEM_TRUST:
        verify = placed(verify)
    request = replace(
        request,
        body=body,
        verify_tls=verify,
        client_cert=placed(request.client_cert),
        client_key=placed(request.client_key),
    )
    return replace(profile, module=replace(profile.module, request=request))


def _placed(name: str, source_dir: Path, folder: Path) -> str:
    absolute = (source_dir / Path(name).expanduser()).resolve()
    try:
        return absolute.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(absolute)


def _add_to_dotenv(path: Path, values: dict[str, str]) -> None:
    """Append the new names; the file is (re)written 0600, as a file of credentials should be."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += "".join(dotenv_line(name, value) + "\n" for name, value in values.items())
    atomic_write_text(path, text, mode=0o600)


def _ignore_dotenv(folder: Path) -> None:
    """`.env` in the `.gitignore` beside it, so the credentials never reach a commit."""
    ignore = folder / ".gitignore"
    text = ignore.read_text(encoding="utf-8") if ignore.is_file() else ""
    if any(line.strip() in (DOTENV, f"/{DOTENV}") for line in text.splitlines()):
        return
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write_text(ignore, text + DOTENV + "\n")
