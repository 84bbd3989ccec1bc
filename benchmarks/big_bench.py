"""Big responses and start-up: every row of issue 11's table against its floor, in one run.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/big_bench.py [ROUNDS]
(default 3 rounds). Ours and the floor are measured alternately, round after round, so the
load of a shared machine falls on both alike; each row prints the median and the range.

Bodies are generated here into a temporary folder and served by `python -m http.server` in
its own process, as a remote API would be (no server thread competes for this process' GIL):

- 48 MB JSON, 300,000 records; 4.5 MB JSON, 28,000 records;
- 17 MB SOAP, 100,000 namespaced records with attributes.

Rows:
1. send → tree top level in the workbench (in process; from the send to the frame that draws
   the document's top level — the preview while a big body decodes) vs the floor: fetch with
   httpx + `json.loads` / `ElementTree`; beside it, send → the whole tree browsable (the
   decode ended, the status line says OK), against the same floor;
2. while that body is decoded, how late the event loop runs a 10 ms timer (a key press
   waits as long) — max and 99th percentile — beside the same figure for the idle app just
   before, which is what the machine's load alone costs;
3. `hookbench paths` on the 17 MB SOAP vs `ElementTree.parse` as a process: wall and CPU
   time (CPU is steadier on a loaded machine) and peak RSS;
4. 4.5 MB JSON: from the body's arrival to the frame that draws the tree's top level (decode,
   first page, paint), wall and CPU; and until the app is idle (focus moved, footer repainted);
5. `hookbench run` of a GET on loopback vs `python -c "import httpx; httpx.get(URL)"`, wall
   and CPU;
6. the longest event-loop stall (how late a 10 ms timer fires) while Esc stops the 48 MB
   decode half-way and its tree is freed, and while the 48 MB tree shown is replaced by the
   next response (a small one) and freed in the background; beside them, the same tree
   dropped at once in a thread (how freeing stalled before).
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, PYTHON, bytecode_env, folder_server, make_records_json  # noqa: E402


def make_soap(path: Path, records: int) -> int:
    """A SOAP export of `records` namespaced records with attributes; returns its size."""
    rng = random.Random(7)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"'
        f' xmlns:crm="urn:example:crm"><soap:Body><crm:ExportResponse total="{records}">\n'
    ]
    for i in range(records):
        parts.append(
            f'<crm:record id="rec_{i}" status="{rng.choice(["active", "closed"])}">'
            f"<crm:email>user{i}@example.com</crm:email>"
            f'<crm:name first="{rng.choice(["Ada", "Grace", "Alan"])}">{rng.choice(["Lovelace", "Hopper"])}</crm:name>'
            f"<crm:points>{rng.randint(0, 9999)}</crm:points></crm:record>\n"
        )
    parts.append("</crm:ExportResponse></soap:Body></soap:Envelope>\n")
    path.write_text("".join(parts))
    return path.stat().st_size


def spread(samples: list[float], unit: float = 1.0, fmt: str = "{:.2f}") -> str:
    values = [s * unit for s in samples]
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


async def lag_while(work: Awaitable[None]) -> tuple[float, float]:
    """Run `work`; meanwhile how late a 10 ms timer fires: (max, 99th percentile) in seconds."""
    lags: list[float] = []
    done = False

    async def probe() -> None:
        while not done:
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - started - 0.01)

    task = asyncio.create_task(probe())
    try:
        await work
    finally:
        done = True
        await task
    lags.sort()
    return (lags[-1], lags[int(len(lags) * 0.99)]) if lags else (0.0, 0.0)


def workbench_on(url: str, folder: Path) -> Any:
    """The workbench on a GET of `url`, in a folder of its own under `folder` (an edited URL
    leaves a recovery copy that would make the next app ask about it)."""
    from tui.app.app import HookbenchApp

    folder = Path(tempfile.mkdtemp(dir=folder))
    profile = folder / "big.toml"
    profile.write_text(
        f'[request]\nmethod = "GET"\nurl = "{url}"\ntimeout = 300.0\nlog_response_body = false\n'
    )
    return HookbenchApp(folder, profile_path=profile)


async def send_to_tree(url: str, folder: Path, next_url: str | None = None) -> tuple[float, ...]:
    """In the workbench: seconds from send to the frame drawing the tree's top level (the
    preview), the loop's lag meanwhile (max, p99), its max lag over 3 s of doing nothing
    just before (the machine's share), seconds from send to the whole tree browsable; with
    `next_url`, the loop's longest stall while that is sent and the big tree freed."""
    from tui.app.widgets.response_tree import ResponseTree
    from tui.app.widgets.status_line import StatusLine
    from tui.app.widgets.url_bar import UrlInput

    app = workbench_on(url, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        workbench = app.workbench
        tree = workbench.query_one(ResponseTree)
        status = workbench.query_one(StatusLine)
        drawn = draw_spy(tree)
        elapsed = 0.0

        async def send() -> None:
            nonlocal elapsed
            started = time.perf_counter()
            drawn.clear()
            workbench.action_send()
            while not (tree.root.children and " OK" in str(status.render())):
                await asyncio.sleep(0.005)
            elapsed = time.perf_counter() - started
            while not drawn:
                await asyncio.sleep(0.005)
            drawn[0] -= started

        await lag_while(asyncio.sleep(1))  # settle after start-up
        idle, _ = await lag_while(asyncio.sleep(3))
        worst, p99 = await lag_while(send())
        await app.workers.wait_for_complete()
        replaced = 0.0
        if next_url is not None:
            workbench.query_one(UrlInput).value = next_url

            async def replace() -> None:
                workbench.action_send()
                await app.workers.wait_for_complete()
                await released()

            replaced, _ = await lag_while(replace())
    return drawn[0], worst, p99, idle, elapsed, replaced


def draw_spy(tree: Any) -> list[float]:
    """[time of the first frame that draws the tree with nodes under its root] once drawn;
    clear it to wait for the next."""
    drawn: list[float] = []
    render_lines = tree.render_lines

    def spy(crop: Any) -> Any:  # the compositor asks the tree for its lines: a frame is drawn
        if tree.root.children and not drawn:
            drawn.append(time.perf_counter())
        return render_lines(crop)

    tree.render_lines = spy
    return drawn


async def released() -> None:
    """Until the threads freeing replaced trees are done."""
    import threading

    while any(thread.name == "hookbench-release" for thread in threading.enumerate()):
        await asyncio.sleep(0.01)


async def cancel_stall(url: str, folder: Path) -> float:
    """The loop's longest stall from Esc half-way through the 48 MB decode until the decode
    thread has freed what it built."""
    from tui.app.widgets.status_line import StatusLine

    app = workbench_on(url, folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        status = app.workbench.query_one(StatusLine)
        app.workbench.action_send()
        while (progress := status.decoding) is None or progress.fraction < 0.5:
            await asyncio.sleep(0.005)
        print(f"  (Esc at {progress.fraction:.0%} of the decode)", file=sys.stderr)

        async def cancel() -> None:
            app.workbench.action_cancel()
            for _ in range(6000):  # 30 s at most
                if progress.stopped.is_set():
                    break
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)

        worst, _ = await lag_while(cancel())
        await app.workers.wait_for_complete()
    if not progress.stopped.is_set():
        print(
            f"  (the decode did not stop: cancelled={progress.cancelled}, at {progress.fraction:.0%})",
            file=sys.stderr,
        )
        return float("nan")
    return worst


async def drop_at_once_stall(body: bytes) -> float:
    """The loop's longest stall while a thread drops the last reference to the 48 MB tree."""
    from tui.core.bulk import gc_paused

    with gc_paused(freeze=True):
        holder = [await asyncio.to_thread(json.loads, body)]
    worst, _ = await lag_while(asyncio.to_thread(holder.clear))
    return worst


def floor_fetch_parse(url: str, parse: Callable[[bytes], object], *, gc_off: bool = False) -> float:
    import gc

    started = time.perf_counter()
    body = httpx.get(url, timeout=300).content
    if gc_off:
        gc.disable()
    try:
        parse(body)
    finally:
        gc.enable()
    return time.perf_counter() - started


_MEASURE = (
    "import resource, subprocess, sys, time; started = time.perf_counter();"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)"
)


def process_time_and_rss(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one process, output discarded.

    Started from a small wrapper process: a child forked from this big benchmark process
    would count this process' memory in its peak RSS until it execs."""
    done = subprocess.run(
        [PYTHON, "-c", _MEASURE, *argv], capture_output=True, text=True, env=bytecode_env(), check=True
    )
    wall, cpu, rss = (float(x) for x in done.stdout.split())
    return wall, cpu, rss


def cpu_seconds() -> float:
    """CPU time of this process so far, every thread (the decode runs in one)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def after_arrival(path: Path) -> tuple[float, float, float, float]:
    """4.5 MB JSON, from the body's arrival: (wall, CPU) seconds until the frame that draws
    the tree's top level, and (wall, CPU) until the app is idle again (the focus has moved
    to the tree, which repaints the footer's keys)."""
    from tui.app.app import HookbenchApp
    from tui.app.widgets.response_tree import ResponseTree
    from tui.core.exchange import Exchange
    from tui.core.model import Module, Request
    from tui.core.render import RenderedRequest
    from tui.core.run import judge

    body = path.read_bytes()
    exchange = Exchange(
        200, "OK", "HTTP/1.1", (("content-type", "application/json"),), body, False, 1.0, "http://x/"
    )
    module = Module(request=Request(url="http://x/"))
    request = RenderedRequest("GET", "http://x/", ())
    app = HookbenchApp(path.parent)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await asyncio.sleep(1)  # a person sends from an app that is up, not one still starting
        await pilot.pause()
        tree = app.workbench.query_one(ResponseTree)
        drawn: list[float] = []
        render_lines = tree.render_lines

        def spy(crop: Any) -> Any:  # the compositor asks the tree for its lines: a frame is drawn
            if tree.root.children and not drawn:
                drawn.extend((time.perf_counter(), cpu_seconds()))
            return render_lines(crop)

        tree.render_lines = spy  # type: ignore[method-assign]
        started, cpu = time.perf_counter(), cpu_seconds()
        result = await asyncio.to_thread(judge, module, request, exchange)
        await app.workbench.show_result(result)
        await pilot.pause()
        idle, idle_cpu = time.perf_counter(), cpu_seconds()
        return drawn[0] - started, drawn[1] - cpu, idle - started, idle_cpu - cpu


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.json"
        small = folder / "small.json"
        soap = folder / "soap.xml"
        sizes = (make_records_json(big, 300_000), make_records_json(small, 28_000), make_soap(soap, 100_000))
        with folder_server(folder) as base:
            run_rows(folder, base, sizes, rounds)


def run_rows(folder: Path, base: str, sizes: tuple[int, int, int], rounds: int) -> None:
    big_mb, small_mb, soap_mb = (size / 1e6 for size in sizes)
    work = folder / "work"
    work.mkdir()
    rows: dict[str, list[float]] = {}

    def add(name: str, value: float) -> None:
        rows.setdefault(name, []).append(value)

    small_body = (folder / "small.json").read_bytes()
    for index in range(rounds):
        print(f"round {index + 1} of {rounds} …", file=sys.stderr)
        add("json floor", floor_fetch_parse(base + "/big.json", json.loads))
        add("json floor gc off", floor_fetch_parse(base + "/big.json", json.loads, gc_off=True))
        for name, value in zip(
            ("json", "json lag", "json p99", "json idle", "json whole", "replace stall"),
            asyncio.run(send_to_tree(base + "/big.json", work, base + "/")),
        ):
            add(name, value)
        add("cancel stall", asyncio.run(cancel_stall(base + "/big.json", work)))
        add("drop stall", asyncio.run(drop_at_once_stall((folder / "big.json").read_bytes())))
        add("xml floor", floor_fetch_parse(base + "/soap.xml", ET.fromstring))
        for name, value in zip(
            ("xml", "xml lag", "xml p99", "xml idle", "xml whole"),
            asyncio.run(send_to_tree(base + "/soap.xml", work)),
        ):
            add(name, value)
        asyncio.run(released())  # no thread of this process freeing a tree meanwhile
        for _ in range(3):  # cheap, and the noisiest row: three alternating pairs a round
            et = process_time_and_rss(
                [PYTHON, "-c", f"import xml.etree.ElementTree as ET; ET.parse({str(folder / 'soap.xml')!r})"]
            )
            ours = process_time_and_rss([*HOOKBENCH, "paths", str(folder / "soap.xml")])
            for name, value in zip(
                ("et wall", "et cpu", "et rss", "paths wall", "paths cpu", "paths rss"), (*et, *ours)
            ):
                add(name, value)
        for name, value in zip(
            ("arrival", "arrival cpu", "arrival idle", "arrival idle cpu"),
            asyncio.run(after_arrival(folder / "small.json")),
        ):
            add(name, value)
        started = time.perf_counter()
        json.loads(small_body)
        add("small loads", time.perf_counter() - started)
    get = run_vs_httpx(base, work, runs=max(11, rounds * 7))
    for name, values in zip(("run wall", "run cpu", "get wall", "get cpu"), get):
        rows[name] = values

    def ratio(ours: list[float], floor: list[float]) -> str:
        pairs = sorted(o / f for o, f in zip(ours, floor))
        return f"{statistics.median(pairs):.2f}× ({pairs[0]:.2f}–{pairs[-1]:.2f})"

    ms = (1000, "{:.0f}")
    print(f"\nIssue 11's table, {rounds} alternating rounds; median (min–max):\n")
    print(f"{big_mb:.1f} MB JSON (300k records): send → tree top level (the preview, drawn)")
    print(f"  hookbench workbench            {spread(rows['json'])} s")
    print(
        f"  floor: fetch + json.loads      {spread(rows['json floor'])} s   ratio {ratio(rows['json'], rows['json floor'])}   goal ≤ 1.5×"
    )
    print(
        f"  send → whole tree browsable    {spread(rows['json whole'])} s   ratio {ratio(rows['json whole'], rows['json floor'])} to the same floor"
    )
    print(
        f"  (json.loads, collector off)    {spread(rows['json floor gc off'])} s   ratio {ratio(rows['json'], rows['json floor gc off'])}"
    )
    print("keys while that body decodes: how late a 10 ms timer fires (a key press waits as long)")
    print(
        f"  max {spread(rows['json lag'], *ms)} ms, p99 {spread(rows['json p99'], *ms)} ms   goal ≤ 300 ms, always"
    )
    print(
        f"  the same app idle for 3 s just before: max {spread(rows['json idle'], *ms)} ms (the machine's share)"
    )
    print(f"{soap_mb:.1f} MB SOAP (100k namespaced records): send → tree top level (the preview, drawn)")
    print(f"  hookbench workbench            {spread(rows['xml'])} s")
    print(
        f"  floor: fetch + ElementTree     {spread(rows['xml floor'])} s   ratio {ratio(rows['xml'], rows['xml floor'])}   goal ≤ 1.5×"
    )
    print(
        f"  send → whole tree browsable    {spread(rows['xml whole'])} s   ratio {ratio(rows['xml whole'], rows['xml floor'])} to the same floor"
    )
    print(
        f"  timer late by max {spread(rows['xml lag'], *ms)} ms, p99 {spread(rows['xml p99'], *ms)} ms; idle max {spread(rows['xml idle'], *ms)} ms"
    )
    print(f"hookbench paths on the {soap_mb:.1f} MB SOAP (whole processes, three alternating pairs a round)")
    print(
        f"  hookbench paths FILE           {spread(rows['paths wall'])} s wall, {spread(rows['paths cpu'])} s CPU, peak RSS {spread(rows['paths rss'], 1, '{:.0f}')} MB"
    )
    print(
        f"  floor: ElementTree.parse       {spread(rows['et wall'])} s wall, {spread(rows['et cpu'])} s CPU, peak RSS {spread(rows['et rss'], 1, '{:.0f}')} MB"
    )
    print(
        f"  ratio wall {ratio(rows['paths wall'], rows['et wall'])}, CPU {ratio(rows['paths cpu'], rows['et cpu'])}   goal ≤ 2×, ≤ 250 MB"
    )
    print(f"{small_mb:.1f} MB JSON: tree top level after the body arrives (decode, tree, first frame)")
    print(
        f"  hookbench workbench            {spread(rows['arrival'], *ms)} ms wall, {spread(rows['arrival cpu'], *ms)} ms CPU   goal ≤ 400 ms"
    )
    print(
        f"  (until idle: focus on the tree, footer repainted) {spread(rows['arrival idle'], *ms)} ms wall, {spread(rows['arrival idle cpu'], *ms)} ms CPU"
    )
    print(f"  (json.loads of it, same run)   {spread(rows['small loads'], *ms)} ms")
    print(f"freeing the {big_mb:.1f} MB tree: the event loop's longest stall (a 10 ms timer late by)")
    print(f"  Esc during the {big_mb:.0f} MB decode           {spread(rows['cancel stall'], *ms)} ms")
    print(
        f"  replacing the {big_mb:.0f} MB tree by the next response   {spread(rows['replace stall'], *ms)} ms"
    )
    print(
        f"  (the whole tree dropped at once in a thread  {spread(rows['drop stall'], *ms)} ms)   goal ≤ 300 ms"
    )
    print("hookbench run of a GET on loopback (whole processes, alternating)")
    print(
        f"  hookbench run PROFILE          {spread(rows['run wall'], *ms)} ms wall, {spread(rows['run cpu'], *ms)} ms CPU"
    )
    print(
        f"  floor: httpx.get process       {spread(rows['get wall'], *ms)} ms wall, {spread(rows['get cpu'], *ms)} ms CPU"
    )
    print(
        f"  ratio wall {ratio(rows['run wall'], rows['get wall'])}, CPU {ratio(rows['run cpu'], rows['get cpu'])}   goal ≤ 1.2×"
    )


def run_vs_httpx(
    base: str, folder: Path, runs: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Wall and CPU seconds of `hookbench run` and of a bare httpx.get, alternately."""
    url = base + "/"
    profile = folder / "get.toml"
    profile.write_text(f'[request]\nmethod = "GET"\nurl = "{url}"\n')
    ours_argv = [*HOOKBENCH, "run", str(profile), "--no-history"]
    floor_argv = [PYTHON, "-c", f"import httpx; httpx.get({url!r})"]
    for argv in (ours_argv, floor_argv):  # write the bytecode caches first
        process_time_and_rss(argv)
    samples: tuple[list[float], list[float], list[float], list[float]] = ([], [], [], [])
    for _ in range(runs):
        get_wall, get_cpu, _ = process_time_and_rss(floor_argv)
        run_wall, run_cpu, _ = process_time_and_rss(ours_argv)
        for bucket, value in zip(samples, (run_wall, run_cpu, get_wall, get_cpu)):
            bucket.append(value)
    return samples


if __name__ == "__main__":
    main()
