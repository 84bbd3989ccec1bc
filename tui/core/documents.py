"""Parse a standalone JSON or XML document (a file or stdin), deciding which by its first byte."""

from __future__ import annotations

from typing import Any

from tui.core.bulk import gc_paused
from tui.core.errors import HookbenchError
from tui.core.responses import parse_json, parse_xml


def parse_document(raw: bytes, name: str) -> Any:
    """The tree of `raw`; a HookbenchError names `name` and the parse problem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HookbenchError(f"{name}: not UTF-8 text (byte {exc.start}); is it binary?") from exc
    start = text.lstrip()[:1]
    if not start:
        raise HookbenchError(f"{name}: empty document")
    with gc_paused():
        if start == "<":
            del text  # valid UTF-8, so expat reads the bytes themselves
            data, error = parse_xml(raw)
        else:
            data, error = parse_json(text)
    if error:
        raise HookbenchError(f"{name}: {error}")
    return data
