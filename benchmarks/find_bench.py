"""Find in a response: time to the first match and to all matches, on 4.5 MB and 48 MB bodies.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/find_bench.py [RECORDS ...]
(default 28000 and 300000 records: 4.5 MB and 48 MB of JSON).

1. The core finders alone (`tui.core.search`): the tree's find over the decoded document, for
   a value at the very end (the worst case for a first match), a key, a `*` pattern, a path,
   and no match at all; the Raw find over the formatted lines.
2. In the workbench (in process, no Pilot: its key presses wait for idle): from the query
   being typed to the first match listed, to the search's end, and how late the event loop
   ran meanwhile (the wait a key press would see).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import make_records_json  # noqa: E402

from tui.core.search import find_in_lines, find_nodes  # noqa: E402


def first_and_all(search: Callable[[], Iterator[Any]], runs: int) -> tuple[float, float, int]:
    """Median seconds to the first match and to the last one, and the number of matches."""
    firsts, alls, count = [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        first = None
        count = 0
        for _match in search():
            if first is None:
                first = time.perf_counter() - started
            count += 1
        total = time.perf_counter() - started
        firsts.append(total if first is None else first)
        alls.append(total)
    return statistics.median(firsts), statistics.median(alls), count


def core(records: int, document: Any, lines: list[str], runs: int) -> None:
    last = records - 1
    queries = [
        (f"user{last}@", "a value in the last record"),
        ("email", "a key, in every record"),
        ("subscribers.*.email", "a * pattern"),
        (f"subscribers.{last * 9 // 10}.email", "a path, near the end"),
        ("no such text", "no match (walks it all)"),
    ]
    print(f"  tree find (tui.core.search.find_nodes), median of {runs}:")
    for query, what in queries:
        first, total, count = first_and_all(lambda q=query: find_nodes(document, q), runs)
        print(
            f"    {query!r:32} {what:28} first {first * 1000:6.0f} ms   all {total * 1000:6.0f} ms"
            f"   {count:,} matches"
        )
    print(f"  Raw find (find_in_lines over {len(lines):,} formatted lines):")
    for query, what in ((f"user{last}@", "in the last record"), ("grace", "many matches")):
        first, total, count = first_and_all(lambda q=query: find_in_lines(lines, q), runs)
        print(
            f"    {query!r:32} {what:28} first {first * 1000:6.0f} ms   all {total * 1000:6.0f} ms"
            f"   {count:,} matches"
        )


async def in_app(body: bytes, records: int) -> None:
    from tui.app.app import HookbenchApp
    from tui.app.widgets.find_bar import FindBar
    from tui.core.model import Module, Request
    from tui.core.render import RenderedRequest
    from tui.core.run import judge
    from tui.core.send import Exchange

    exchange = Exchange(
        200, "OK", "HTTP/1.1", (("content-type", "application/json"),), body, False, 1.0, "http://x/"
    )
    result = judge(
        Module(request=Request(url="http://x/")), RenderedRequest("GET", "http://x/", ()), exchange
    )
    with tempfile.TemporaryDirectory() as tmp:
        app = HookbenchApp(Path(tmp))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workbench.show_result(result)
            await pilot.pause()
            app.workbench.viewer.focus_tree()
            app.workbench.viewer.action_find()
            bar = app.workbench.query_one("#tree-find", FindBar)
            query = bar.query_one(".find-input")
            for text in (f"user{records - 1}@", "email"):
                query.value = ""
                await pilot.pause()
                lateness: list[float] = []
                started = time.perf_counter()
                query.value = text  # as if typed: Input.Changed starts the search
                first = None
                while bar.searching or first is None:
                    tick = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lateness.append(time.perf_counter() - tick - 0.01)
                    if first is None and bar.match_count:
                        first = time.perf_counter() - started
                    if time.perf_counter() - started > 120:
                        break
                total = time.perf_counter() - started
                print(
                    f"    {text!r:24} first listed {first * 1000 if first else float('nan'):6.0f} ms"
                    f"   search over {total * 1000:6.0f} ms   {bar.match_count:,} matches"
                    f"   event loop late by max {max(lateness) * 1000:4.0f} ms,"
                    f" median {statistics.median(lateness) * 1000:3.0f} ms"
                )


def main() -> None:
    from tui.core.responses import pretty_text  # noqa: F401  (warm the import before timing)

    for records in [int(arg) for arg in sys.argv[1:]] or [28_000, 300_000]:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.json"
            size = make_records_json(path, records)
            body = path.read_bytes()
        document = json.loads(body)
        lines = json.dumps(document, indent=2, ensure_ascii=False).splitlines()
        runs = 3 if size < 10e6 else 1
        print(f"\n{size / 1e6:.1f} MB JSON ({records:,} records):")
        core(records, document, lines, runs)
        print("  in the workbench (typing to first match listed; the UI stays live):")
        asyncio.run(in_app(body, records))


if __name__ == "__main__":
    main()
