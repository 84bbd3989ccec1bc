"""Names read from files and the command line must be one line of printable text.

A variable, header or environment name is printed on one line by `run`, written as a TOML key
in history records and sent as an HTTP header name; a line break or an escape in one breaks all
three, so it is refused where it is read. Validators here (and every `re` check of a whole name)
use `fullmatch`: `$` also matches before a trailing newline.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def control_problem(name: str) -> str | None:
    """Why `name` cannot be a name (it holds a control character), or None when it can."""
    found = _CONTROL.search(name)
    if found is None:
        return None
    return f"name {name!r} holds a control character ({shown(found.group(0))}); a name is one line of printable text"


def shown(text: str) -> str:
    """`text` with each control character written as its escape (`\\n`, `\\x1b`), for messages."""
    return _CONTROL.sub(lambda match: repr(match.group(0))[1:-1], text)
