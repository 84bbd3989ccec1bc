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
    lines += secret_lines(written)
    count = len(written.profiles)
    total = f"{count} profile{'s' if count != 1 else ''} imported"
    if imported.skipped:
        total += f", {len(imported.skipped)} skipped"
    if written.secrets:
        many = "s" if len(written.secrets) != 1 else ""
        total += f", {len(written.secrets)} secret{many} moved to {_safe(str(written.dotenv))}"
    lines.append(total)
    return "\n".join(lines)


def secret_lines(written: Written) -> list[str]:
    """`secret moved: header Authorization → {{env.NAME}} in profiles/.env`, one per secret."""
    return [
        f"secret moved: {_safe(secret.where)} → {{{{env.{secret.name}}}}} in {_safe(str(written.dotenv))}"
        for secret in written.secrets
    ]


def _safe(text: str) -> str:
    """Outside text (the source's URLs, names, options) on one line, control characters escaped."""
    return safe_text(text, single_line=True)
