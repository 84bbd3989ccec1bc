"""Random input for the workbench: keys from every binding on screen, clicks, text, paste.

Used by the random-input test (a few fixed seeds) and by `benchmarks/fuzz_bench.py` (many
seeds, crashes per thousand inputs, shortest input per crash). Inputs are plain tuples so a
failing sequence can be printed, shrunk and pasted into a regression test.
"""

from __future__ import annotations

import asyncio
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding

from tests.app.terminal import Terminal

# ("key", name) · ("click", x, y, times) · ("text", chars) · ("paste", text) · ("scroll", x, y, down)
Input = tuple[object, ...]

NAVIGATION = (
    "tab", "shift+tab", "enter", "escape", "space", "up", "down", "left", "right",
    "pageup", "pagedown", "home", "end", "backspace", "delete",
)  # fmt: skip
TEXT = ("a", "Z", "0", ".", "{", "}", "/", "?", "é", "[b]x[/]")
PASTES = ("{{base_url}}/users", "https://x.invalid/\n", '{"a": [1, 2]}', "line 1\nline 2\n" * 3)
NOT_FUZZED = frozenset({"quit", "app.quit", "suspend_process", "app.suspend_process"})


def binding_keys(app: App) -> list[str]:
    """Keys of every binding on the active screen: the app's, the screen's and its widgets'."""
    keys: set[str] = set()
    nodes = [app, app.screen, *app.screen.walk_children()]
    for node in nodes:
        for key, bindings in node._bindings.key_to_bindings.items():
            if any(_fuzzable(b) for b in bindings):
                keys.add(key)
    return sorted(keys)


def _fuzzable(binding: Binding) -> bool:
    return binding.action.split("(")[0] not in NOT_FUZZED


def random_input(rng: random.Random, keys: Sequence[str], size: tuple[int, int]) -> Input:
    width, height = size
    roll = rng.random()
    if roll < 0.40:
        return ("key", rng.choice(keys))
    if roll < 0.60:
        return ("key", rng.choice(NAVIGATION))
    if roll < 0.82:
        return ("click", rng.randrange(width), rng.randrange(height), rng.choice((1, 1, 1, 2)))
    if roll < 0.92:
        return ("text", rng.choice(TEXT))
    if roll < 0.96:
        return ("paste", rng.choice(PASTES))
    return ("scroll", rng.randrange(width), rng.randrange(height), rng.random() < 0.5)


def deliver(terminal: Terminal, item: Input) -> None:
    kind = item[0]
    if kind == "key":
        terminal.key(str(item[1]))
    elif kind == "click":
        terminal.click(int(item[1]), int(item[2]), times=int(item[3]))  # type: ignore[call-overload]
    elif kind == "text":
        for char in str(item[1]):
            terminal.key(char)
    elif kind == "paste":
        terminal.paste(str(item[1]))
    elif kind == "scroll":
        terminal.scroll(int(item[1]), int(item[2]), down=bool(item[3]))  # type: ignore[call-overload]


@dataclass
class Outcome:
    inputs: list[Input]  # what was delivered, up to the crash
    error: BaseException | None
    worker_errors: list[str] = field(default_factory=list)  # caught by the screen, shown, not fatal


UNEXPECTED = "Unexpected error"  # the title the workbench gives a failed worker's notification


def _watch_worker_errors(app: App) -> list[str]:
    """A failed worker is a notification, not a crash: collect those as the bugs they are."""
    caught: list[str] = []
    notify = app.notify

    def watching(message: str, *, title: str = "", **options: Any) -> None:
        if title == UNEXPECTED:
            caught.append(message)
        notify(message, title=title, **options)

    app.notify = watching  # type: ignore[method-assign]
    return caught


async def drive(
    app: App,
    *,
    rng: random.Random | None = None,
    count: int = 0,
    script: Sequence[Input] | None = None,
    size: tuple[int, int] = (80, 24),
    gap: float = 0.01,
) -> Outcome:
    """Run `app` headless and deliver `script`, or `count` random inputs drawn from `rng`.

    Inputs are `gap` seconds apart. Returns what was delivered (fewer than asked when the
    input quit the app, e.g. through the palette's Quit) and the exception that reached
    the app, if any.
    """
    rng = rng or random.Random(0)
    delivered: list[Input] = []
    error: BaseException | None = None
    worker_errors = _watch_worker_errors(app)
    try:
        async with app.run_test(size=size) as pilot:
            terminal = Terminal(app)
            keys_for: dict[int, list[str]] = {}
            planned = iter(script) if script is not None else None
            for _ in range(len(script) if script is not None else count):
                if app._exception is not None or not app.is_running:
                    break
                if planned is not None:
                    item = next(planned)
                else:
                    screen = app.screen
                    keys = keys_for.setdefault(id(screen), binding_keys(app))
                    item = random_input(rng, keys, size)
                delivered.append(item)
                deliver(terminal, item)
                await asyncio.sleep(gap)
            for _ in range(3):  # let queued input drain before the app is shut down
                if app.is_running:
                    await pilot.pause()
    except Exception as exc:  # the crash under test, re-raised by run_test
        error = exc
    return Outcome(delivered, error, worker_errors)


def shrink(inputs: list[Input], crashes: Callable[[list[Input]], bool]) -> list[Input]:
    """The shortest sub-sequence that still crashes (delta debugging, ddmin)."""
    chunks = 2
    while len(inputs) >= 2:
        size = max(1, len(inputs) // chunks)
        for start in range(0, len(inputs), size):
            candidate = inputs[:start] + inputs[start + size :]
            if candidate and crashes(candidate):
                inputs, chunks = candidate, max(chunks - 1, 2)
                break
        else:
            if size == 1:
                break
            chunks = min(len(inputs), chunks * 2)
    return inputs


def profile_folder(tmp: Path, profiles: Path, base_url: str = "") -> Path:
    """A throwaway copy of the example profiles (the fuzzer saves and edits them).

    With `base_url`, the copy gets two environments aimed at it, so f8, the palette's
    *Environment: NAME* and the protected-send question are reachable: `staging` (a dotenv
    and a default bearer auth) and `production` (protected); and `records.toml`, a list longer
    than a page of the tree ("… N more").
    """
    folder = tmp / "profiles"
    shutil.copytree(profiles, folder, dirs_exist_ok=True)
    if base_url:
        environments = folder / "environments"
        environments.mkdir(exist_ok=True)
        (folder / ".env.staging").write_text("API_TOKEN=fuzz-token\n", encoding="utf-8")
        (environments / "staging.toml").write_text(
            f'dotenv = ".env.staging"\n[variables]\nbase_url = "{base_url}"\n'
            '[auth]\ntype = "bearer"\ntoken = "{{env.API_TOKEN}}"\n',
            encoding="utf-8",
        )
        (environments / "production.toml").write_text(
            f'protected = true\n[variables]\nbase_url = "{base_url}"\n', encoding="utf-8"
        )
        (folder / "records.toml").write_text(
            '[request]\nmethod = "GET"\nurl = "{{base_url}}/records?n=450"\n', encoding="utf-8"
        )
    return folder
