"""Postman test scripts read for what hookbench can do itself.

A line that sets a variable from the response body (`pm.environment.set("x",
pm.response.json().a.b[0].c)`, the same through a `jsonData` variable, `pm.collectionVariables`,
`pm.globals`, `pm.variables`, the older `postman.setEnvironmentVariable`) becomes a Set Variables
row; `pm.response.to.have.status(201)` becomes the success statuses. Every other line is kept,
as a comment, for a person to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.core.paths import Segment, format_path

_JSON_SOURCES = r"(?:pm\.response\.json\(\)|JSON\.parse\(\s*(?:responseBody|pm\.response\.text\(\))\s*\))"
_DECLARE = re.compile(rf"^(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*{_JSON_SOURCES}\s*;?$")
_SETTER = re.compile(
    r"""^(?:pm\.(?:environment|collectionVariables|globals|variables)\.set"""
    r"""|postman\.set(?:Environment|Global)Variable)"""
    r"""\(\s*(["'])([^"']+)\1\s*,\s*(.+?)\s*\)\s*;?$"""
)
_STATUS = re.compile(r"^pm\.response\.to\.have\.status\(\s*(\d{3})\s*\)\s*;?$")
_TEST_WRAPPER = re.compile(
    r"""^pm\.test\(\s*(["']).*?\1\s*,\s*(?:function\s*\(\s*\)|\(\s*\)\s*=>)\s*\{\s*(.*?)\s*\}\s*\)\s*;?$"""
)
_ACCESS = re.compile(r"""\.([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\]|\[\s*(["'])(.*?)\3\s*\]""")


@dataclass(frozen=True)
class Script:
    """What a request's scripts gave: rows (path, target), statuses, and the lines left over."""

    rows: tuple[tuple[str, str], ...] = ()
    statuses: tuple[int, ...] = ()
    untranslated: tuple[str, ...] = ()


def read_scripts(test_lines: list[str], prerequest_lines: list[str]) -> Script:
    """Translate the test script; keep every other meaningful line (pre-request ones included)."""
    rows: list[tuple[str, str]] = []
    statuses: list[int] = []
    left: list[str] = [f"pre-request: {line.strip()}" for line in prerequest_lines if _meaningful(line)]
    documents: set[str] = set()
    for raw in test_lines:
        line = raw.strip()
        if not _meaningful(line):
            continue
        inner = _TEST_WRAPPER.match(line)  # pm.test("…", function () { pm.response.to.have.status(201); });
        statement = inner.group(2) if inner else line
        declared = _DECLARE.match(statement)
        if declared:
            documents.add(declared.group(1))
            continue
        status = _STATUS.match(statement)
        if status:
            statuses.append(int(status.group(1)))
            continue
        setter = _SETTER.match(statement)
        path = _response_path(setter.group(3), documents) if setter else None
        if setter and path is not None:
            rows.append((path, setter.group(2)))
            continue
        left.append(line)
    return Script(rows=tuple(rows), statuses=tuple(statuses), untranslated=tuple(left))


def _meaningful(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("//")


def _response_path(expression: str, documents: set[str]) -> str | None:
    """`pm.response.json().a.b[0].c` or `jsonData.a["b c"]` → a dot path; None for anything else."""
    for prefix in (*(re.escape(name) for name in documents), _JSON_SOURCES):
        start = re.match(prefix, expression)
        if start:
            return _accessors(expression[start.end() :])
    return None


def _accessors(text: str) -> str | None:
    segments: list[Segment] = []
    position = 0
    while position < len(text):
        match = _ACCESS.match(text, position)
        if match is None:
            return None  # a method call, arithmetic…: not a plain path
        if match.group(1) is not None:
            segments.append(match.group(1))
        elif match.group(2) is not None:
            segments.append(int(match.group(2)))
        else:
            segments.append(match.group(4))
        position = match.end()
    if not segments or segments[-1] == "length":  # `.length` counts an array in JavaScript
        return None
    return format_path(segments)
