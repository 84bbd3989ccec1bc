"""Crash reports: an exception that still reaches the app is written down, secrets masked.

`$XDG_STATE_HOME/hookbench/crashes/crash-<UTC time>.txt` (0600): when, the versions, the last
inputs (keys by name; typed and pasted text only as a length) and the traceback, with every
secret value the module holds replaced by the mask.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from tui.core.auth import is_secret_key
from tui.core.files import atomic_write_text, state_home
from tui.core.history_record import header_secrets
from tui.core.model import Module
from tui.core.secrets import mask_text
from tui.core.template import names_in
from tui.core.variables import ENV_PREFIX


def module_secrets(module: Module, environ: Mapping[str, str] | None = None) -> set[str]:
    """Secret header and auth values as typed, and the values of the `{{env.*}}` it uses."""
    request = module.request
    found: set[str] = set()
    for name, value in request.headers:
        found |= header_secrets(name, value)
    if request.auth is not None:
        found |= {value for key, value in request.auth.values if is_secret_key(key) and value}
        found |= {value for _, value in request.auth.params if value}
    env = os.environ if environ is None else environ
    for name in names_in(*request.template_texts()):
        if name.startswith(ENV_PREFIX) and env.get(name[len(ENV_PREFIX) :]):
            found.add(env[name[len(ENV_PREFIX) :]])
    return found


def write_crash_report(
    error: BaseException,
    *,
    versions: Mapping[str, str],
    inputs: Iterable[str],
    secrets: Iterable[str],
) -> Path:
    """Write the report and return its path (OSError if the state folder is not writable)."""
    now = datetime.now(UTC)
    folder = state_home() / "crashes"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"crash-{now.strftime('%Y%m%dT%H%M%S.%fZ')}.txt"
    lines = [
        f"hookbench crash report, {now.isoformat()}",
        f"python {sys.version.split()[0]} on {platform.platform()}",
        *(f"{name} {version}" for name, version in versions.items()),
        "",
        "last inputs (oldest first):",
        *(f"  {item}" for item in inputs),
        "",
        "".join(traceback.format_exception(error)).rstrip(),
        "",
    ]
    atomic_write_text(path, mask_text("\n".join(lines), list(secrets)), mode=0o600)
    return path
