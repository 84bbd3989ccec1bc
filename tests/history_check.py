"""The session-wide check that every history record written during the tests parses with tomllib."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from tui.core.history import RECORD_NAME


def unparsable_records(root: Path, *, except_for: Iterable[Path] = ()) -> list[str]:
    """`path: problem` for each record file under `root` that `tomllib` cannot read.

    Files are read as bytes, as `tomllib.load` wants them: a text read would turn a stray `\\r`
    into a line break and hide it. `except_for` names records a test broke on purpose.
    """
    skipped = {Path(path).resolve() for path in except_for}
    problems = []
    for path in sorted(Path(root).rglob("*.toml")):
        if not RECORD_NAME.fullmatch(path.name) or path.resolve() in skipped:
            continue
        try:
            with path.open("rb") as file:
                tomllib.load(file)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: {exc}")
    return problems
