"""A flow as a JUnit XML report, so CI systems show each step as a test case.

One test case per executed step (classname = the flow's entry stem, name = the step's
profile stem); a failure route is a `<failure>` unless the profile declared
`expect = "failure"`. A flow stopped by a configuration error gets an `<error>` case, so
the report a CI job collects says why the flow did not finish. Written atomically.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from tui.core.errors import HookbenchError
from tui.core.files import atomic_write_text
from tui.core.flows import StepResult
from tui.core.secrets import mask_text

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ReportError(HookbenchError):
    """A report file (JUnit XML) cannot be written."""


def junit_xml(suite: str, steps: Sequence[StepResult], *, error: tuple[str, str] | None = None) -> str:
    """The report as text; `error` is (test case name, message) for a flow that stopped."""
    failures = sum(1 for step in steps if not step.expected)
    total_time = sum(step.duration_s for step in steps)
    counts = {
        "tests": str(len(steps) + (1 if error else 0)),
        "failures": str(failures),
        "errors": str(1 if error else 0),
        "skipped": "0",
        "time": f"{total_time:.3f}",
    }
    root = ET.Element("testsuites", {"name": f"hookbench flow {suite}", **counts})
    testsuite = ET.SubElement(root, "testsuite", {"name": suite, **counts})
    seen: set[str] = set()
    for step in steps:
        name = step.stem if step.stem not in seen else f"{step.stem} (step {step.index})"
        seen.add(step.stem)
        _add_step(testsuite, suite, name, step)
    if error is not None:
        case = ET.SubElement(testsuite, "testcase", {"classname": suite, "name": error[0], "time": "0.000"})
        ET.SubElement(case, "error", {"message": _clean(error[1]), "type": "configuration"}).text = _clean(
            error[1]
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_step(testsuite: ET.Element, suite: str, name: str, step: StepResult) -> None:
    case = ET.SubElement(
        testsuite, "testcase", {"classname": suite, "name": name, "time": f"{step.duration_s:.3f}"}
    )
    request = step.result.request
    secrets = request.secrets
    if not step.expected:
        failure = ET.SubElement(case, "failure", {"message": _clean(step.reason), "type": "failure route"})
        status = step.status if step.status is not None else "no response"
        failure.text = _clean(mask_text(f"{request.method} {request.url} → {status}: {step.reason}", secrets))
    lines = [f"route: {step.route} — {step.reason}"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in step.published.items()]
    ET.SubElement(case, "system-out").text = _clean(mask_text("\n".join(lines), secrets))


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, whatever a server put in a reason."""
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", text)


def write_junit(
    path: Path, suite: str, steps: Sequence[StepResult], *, error: tuple[str, str] | None = None
) -> None:
    """Write the report atomically, creating its folder (CI jobs name `reports/…`)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, junit_xml(suite, steps, error=error))
    except OSError as exc:
        raise ReportError(f"--junit {path}: cannot write: {exc.strerror or exc}") from exc
