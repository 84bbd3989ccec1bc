"""Workers that the workbench's routing modules start on the screen.

What `@work(exclusive=True, exit_on_error=False)` does for a screen method, for a function
given the screen: the worker belongs to the screen, so cancelling its group there reaches it
(Esc and a newly loaded module cancel "send"), and an error is reported by the screen's
`on_worker_state_changed` instead of ending the app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker


def start(
    screen: DOMNode,
    work: partial[Any],
    *,
    group: str,
    exclusive: bool = True,
    thread: bool = False,
    description: str = "",
) -> Worker[Any]:
    """Run `work` (a coroutine function, or a plain one with `thread`) as a worker of `screen`.

    `description` stays short: Textual's default is repr() of the arguments, and a run result
    holds the whole body (~0.5 s of the UI thread for a 4.5 MB response, at every send).
    """
    function: Callable[..., Any] = work.func
    return screen.run_worker(
        work,
        name=function.__name__.lstrip("_"),
        group=group,
        description=description or function.__name__.lstrip("_"),
        exclusive=exclusive,
        exit_on_error=False,
        thread=thread,
    )
