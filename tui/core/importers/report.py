"""The report every import prints (and the workbench shows): what was written, skipped, moved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.safe_text import safe_text

if TYPE_CHECKING:
    from tui.core.importers import Imported
    from tui.core.importers.writing import Written


def format_report(imported: Imported, written: Written) -> str:
    """One line per profile (with its notes), each skipped request, each secret moved, totals."""
    lines: list[str] = []
    for profile, path in zip(imported.profiles, written.profiles):
        request = profile.module.request
        lines.append(f"imported {_safe(str(path))}  ({request.method} {_safe(request.url)})")
        lines += [f"  note: {_safe(note)}" for note in profile.notes]
    lines += [f"skipped {_safe(skip.name)}: {_safe(skip.reason)}" for skip in imported.skipped]
    for secret in written.secrets:
        lines.append(f"secret moved: {_safe(secret.where)} → {{{{env.{secret.name}}}}} in {written.dotenv}")
    count = len(written.profiles)
    total = f"{count} profile{'s' if count != 1 else ''} imported"
    if imported.skipped:
        total += f", {len(imported.skipped)} skipped"
    if written.secrets:
        total += f", {len(written.secrets)} secret{'s' if len(written.secrets) != 1 else ''} moved to {written.dotenv}"
    lines.append(total)
    return "\n".join(lines)


def _safe(text: str) -> str:
    """Outside text (the source's URLs, names, options) on one line, control characters escaped."""
    return safe_text(text, single_line=True)
