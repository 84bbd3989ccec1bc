"""Keys while a big response is shown or decoded: from the key to the frame that shows its effect.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/keys_bench.py [ROUNDS]
(default 5). Bodies are generated here (`big_bench`'s 48 MB JSON and 17 MB SOAP) and served
by `python -m http.server` in its own process. Two ways of timing, both per key:

- in process (`run_test`): each frame the app sends to the terminal is stamped with what it
  shows (active tab, footer keys, sidebar, tree cursor, status line); a key's figure is the
  first frame showing the state it finally leads to. The key is posted as a terminal key
  event (`App.simulate_key`), not through Pilot's `press`, which waits on its own.
- as a person sees it, in tmux at 120×40: `send-keys`, then `capture-pane` polled until the
  rows the key changes reach what they finally show (the tab strip, its underline and the
  footer for f4; for ↓ during a decode, the path bar's first change, since the decode ending
  changes it again); the figure includes tmux's share.

Keys: f4 (next response tab: the focus moves too, so the footer changes), ctrl+b (sidebar),
down/up on the tree, Esc (cancels the decode: the status line says so). "idle" is after the
whole tree is shown; "decoding" is while the 48 MB JSON or the 17 MB SOAP is decoded.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import PYTHON, folder_server, make_records_json  # noqa: E402
from big_bench import make_soap, workbench_on  # noqa: E402

SETTLE = 0.6  # seconds after a key during which its effect must have come to rest
Figures = dict[str, list[float]]


# --- in process ---------------------------------------------------------------------------------


def observe(app: Any) -> dict[str, object]:
    """What a person reads on the screen that keys change."""
    from textual.widgets import TabbedContent

    from tui.app.widgets.response_tree import ResponseTree
    from tui.app.widgets.status_line import StatusLine

    workbench = app.workbench
    status = str(workbench.query_one(StatusLine).render())
    return {
        "tab": workbench.query_one("#response-tabs", TabbedContent).active,
        "footer": footer_keys(workbench),
        "sidebar": workbench.query_one("#sidebar").display,
        "cursor": workbench.query_one(ResponseTree).cursor_line,
        "cancelled": status.startswith("Cancelled"),
    }


def footer_keys(workbench: Any) -> tuple[str, ...]:
    """The keys the footer shows (Textual's Footer, as before issue 11's fix, or ours)."""
    try:
        from tui.app.widgets.key_footer import KeyFooter

        return tuple(workbench.query_one(KeyFooter).keys)
    except ImportError:
        from textual.widgets._footer import FooterKey

        return tuple(key.key for key in workbench.query(FooterKey))


class Frames:
    """Stamps every frame the app draws with `observe`'s view of it."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.log: list[tuple[float, dict[str, object]]] = []
        self.on = False
        display = app._display  # the one place a frame leaves for the terminal

        def stamped(screen: Any, renderable: Any) -> Any:
            if self.on and renderable is not None:
                self.log.append((time.perf_counter(), observe(app)))
            return display(screen, renderable)

        app._display = stamped

    async def key(self, key: str, watch: tuple[str, ...]) -> float:
        """Seconds from `key` to the first frame showing what `watch` finally shows."""
        before = {name: observe(self.app)[name] for name in watch}
        self.log.clear()
        self.on = True
        started = time.perf_counter()
        self.app.simulate_key(key)
        await asyncio.sleep(SETTLE)
        self.on = False
        final = {name: observe(self.app)[name] for name in watch}
        if final == before:
            return float("nan")  # the key changed nothing: a broken scenario, not a figure
        for stamp, seen in self.log:
            if all(seen[name] == final[name] for name in watch):
                return stamp - started
        return float("nan")


IDLE_KEYS = [("f4", ("tab", "footer"))] * 6 + [("ctrl+b", ("sidebar",))] * 2
IDLE_KEYS += [("ctrl+t", ("footer",)), ("down", ("cursor",)), ("up", ("cursor",))]
DECODING_KEYS = [("f4", ("tab", "footer")), ("ctrl+t", ("footer",))] + [("ctrl+b", ("sidebar",))] * 2
DECODING_KEYS += [("down", ("cursor",)), ("escape", ("cancelled",))]


async def in_process(url: str, folder: Path, figures: Figures, label: str) -> None:
    """Each key during a decode of its own (pressed at 30 %, then Esc), then with the tree shown."""
    from tui.app.widgets.response_tree import ResponseTree
    from tui.app.widgets.status_line import StatusLine

    app = workbench_on(url, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        frames = Frames(app)
        workbench = app.workbench
        status = workbench.query_one(StatusLine)
        tree = workbench.query_one(ResponseTree)
        await asyncio.sleep(1)
        for key, watch in DECODING_KEYS:  # each key during a decode of its own, then Esc
            if key == "down":
                workbench.action_focus_tree()
            workbench.action_send()
            while (progress := status.decoding) is None or progress.fraction < 0.3 or tree.last_line < 1:
                await asyncio.sleep(0.01)  # (the preview has a node under its top: down can move)
            figures.setdefault(f"{label} decoding {key}", []).append(await frames.key(key, watch))
            workbench.action_cancel()
            for _ in range(200):  # until the decode freed what it built (if it had not ended)
                if progress.stopped.is_set() or " OK" in str(status.render()):
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)
        workbench.action_send()  # idle: the whole tree shown
        while " OK" not in str(status.render()):
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await asyncio.sleep(0.5)
        for key, watch in IDLE_KEYS:
            figures.setdefault(f"{label} idle {key}", []).append(await frames.key(key, watch))


# --- in tmux ------------------------------------------------------------------------------------


class Tmux:
    def __init__(self, session: str, command: str) -> None:
        self.session = session
        self.run("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout

    def screen(self) -> list[str]:
        return self.run("capture-pane", "-p", "-e", "-t", self.session).split("\n")

    def wait_for(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in "\n".join(self.screen()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} not on the screen")
            time.sleep(0.02)

    def key(self, key: str, rows: Callable[[list[str]], list[str]], *, first: bool = False) -> float:
        """Seconds from sending `key` to the screen showing what `rows` finally show; with
        `first`, to their first change (the path bar: a decode ending changes it again)."""
        before = rows(self.screen())
        started = time.perf_counter()
        self.run("send-keys", "-t", self.session, key)
        seen: list[tuple[float, list[str]]] = []
        changed = None
        while True:
            now = time.perf_counter() - started
            shown = rows(self.screen())
            seen.append((now, shown))
            if changed is None and shown != before:
                changed = now
            if (changed is not None and now - changed > SETTLE) or now > 5:
                break
        final = seen[-1][1]
        if final == before or changed is None:
            return float("nan")
        return changed if first else next(stamp for stamp, shown in seen if shown == final)

    def close(self) -> None:
        self.run("kill-session", "-t", self.session)


def tab_rows(screen: list[str]) -> list[str]:
    """The response tab strip, its underline and the footer (the focus moves with the tab)."""
    strip = next(i for i, line in enumerate(screen) if "Headers" in line and "Raw" in line)
    return [screen[strip], screen[strip + 1], *footer_row(screen)]


def top_rows(screen: list[str]) -> list[str]:
    return screen[:3]


def footer_row(screen: list[str]) -> list[str]:
    lines = screen[:-1] if screen[-1] == "" else screen
    return lines[-1:]


def path_row(screen: list[str]) -> list[str]:
    """The path bar: it follows the tree's cursor."""
    lines = screen[:-1] if screen[-1] == "" else screen
    return lines[-2:-1]


def status_row(screen: list[str]) -> list[str]:
    return ["Cancelled" in "\n".join(screen) and "cancelled" or ""]


def in_tmux(profile: Path, figures: Figures, label: str) -> None:
    session = f"keys-bench-{time.monotonic_ns()}"
    root = Path(__file__).resolve().parents[1]  # this checkout's app, whatever is installed
    tmux = Tmux(session, f"cd {profile.parent} && PYTHONPATH={root} {PYTHON} -m tui open {profile.name}")
    try:
        tmux.wait_for("ctrl+r sends", 30)
        time.sleep(1)
        decoding_keys = [("F4", tab_rows), ("C-t", footer_row), ("Down", path_row)]
        for key, rows in [*decoding_keys, ("C-b", top_rows), ("C-b", top_rows)]:
            if key == "Down":
                tmux.run("send-keys", "-t", session, "C-t")
            tmux.run("send-keys", "-t", session, "C-r")
            tmux.wait_for("so far" if key == "Down" else "decoding")
            figure = tmux.key(key, rows, first=key == "Down")
            figures.setdefault(f"{label} decoding {key.lower()}", []).append(figure)
            tmux.run("send-keys", "-t", session, "Escape")
            time.sleep(1)
        tmux.run("send-keys", "-t", session, "C-r")
        tmux.wait_for("decoding")
        figures.setdefault(f"{label} decoding escape", []).append(tmux.key("Escape", status_row))
        time.sleep(1)
        tmux.run("send-keys", "-t", session, "C-r")
        tmux.wait_for("SUCCESS")
        time.sleep(1)
        for key, rows in [("F4", tab_rows)] * 6 + [("C-b", top_rows)] * 2 + [("C-t", footer_row)]:
            figures.setdefault(f"{label} idle {key.lower()}", []).append(tmux.key(key, rows))
        for key in ("Down", "Up"):
            figures.setdefault(f"{label} idle {key.lower()}", []).append(tmux.key(key, path_row))
    finally:
        tmux.close()


# --- the run --------------------------------------------------------------------------------------


def spread(values: list[float]) -> str:
    good = sorted(v for v in values if v == v)
    missed = len(values) - len(good)
    if not good:
        return "no figure (the key changed nothing)"
    text = f"median {statistics.median(good) * 1000:4.0f} ms, max {good[-1] * 1000:4.0f} ms (min {good[0] * 1000:.0f}, n={len(good)})"
    return text + (f", {missed} without effect" if missed else "")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    use_tmux = shutil.which("tmux") is not None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_records_json(folder / "big.json", 300_000)
        make_soap(folder / "soap.xml", 100_000)
        with folder_server(folder) as base:
            profiles = folder / "profiles"
            profiles.mkdir()
            for name in ("big.json", "soap.xml"):
                (profiles / f"{name.split('.')[0]}.toml").write_text(
                    f'[request]\nmethod = "GET"\nurl = "{base}/{name}"\ntimeout = 300.0\nlog_response_body = false\n'
                )
            figures: Figures = {}
            work = folder / "work"
            work.mkdir()
            for index in range(rounds):
                print(f"round {index + 1} of {rounds} …", file=sys.stderr)
                for name, label in (("big.json", "json"), ("soap.xml", "soap")):
                    asyncio.run(in_process(f"{base}/{name}", work, figures, f"in process {label}"))
                    if use_tmux:
                        in_tmux(profiles / f"{name.split('.')[0]}.toml", figures, f"tmux {label}")
    print(f"\nKey → the frame showing its effect, {rounds} rounds (48.8 MB JSON, 17.1 MB SOAP):\n")
    for name in sorted(figures):
        print(f"  {name:32} {spread(figures[name])}")
    if not use_tmux:
        print("  (tmux not found: the rows as a person sees them were not measured)")


if __name__ == "__main__":
    main()
