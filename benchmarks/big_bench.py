"""Big responses and start-up: every row of issue 11's table against its floor, in one run.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/big_bench.py [ROUNDS]
(default 3 rounds). Ours and the floor are measured alternately, round after round, so the
load of a shared machine falls on both alike; each row prints the median and the range.

Bodies are generated here into a temporary folder and served by `python -m http.server` in
its own process, as a remote API would be (no server thread competes for this process' GIL):

- 48 MB JSON, 300,000 records; 4.5 MB JSON, 28,000 records;
- 17 MB SOAP, 100,000 namespaced records with attributes.

Rows:
1. send → tree top level in the workbench (in process; from the send to the tree showing the
   document's top level) vs the floor: fetch with httpx + `json.loads` / `ElementTree`;
2. while that body is decoded, how late the event loop runs a 10 ms timer (a key press
   waits as long) — max and 99th percentile;
3. `hookbench paths` on the 17 MB SOAP vs `ElementTree.parse` as a process, and peak RSS;
4. 4.5 MB JSON: from the body's arrival to the tree's top level (decode + first page);
5. `hookbench run` of a GET on loopback vs `python -c "import httpx; httpx.get(URL)"`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, PYTHON, bytecode_env, make_records_json  # noqa: E402


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


async def send_to_tree(url: str, folder: Path) -> tuple[float, float, float]:
    """In the workbench: seconds from send to the tree's top level, and the loop's lag meanwhile."""
    from tui.app.app import HookbenchApp
    from tui.app.widgets.response_tree import ResponseTree
    from tui.app.widgets.status_line import StatusLine

    profile = folder / "big.toml"
    profile.write_text(
        f'[request]\nmethod = "GET"\nurl = "{url}"\ntimeout = 300.0\nlog_response_body = false\n'
    )
    app = HookbenchApp(folder, profile_path=profile)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        workbench = app.workbench
        tree = workbench.query_one(ResponseTree)
        status = workbench.query_one(StatusLine)
        elapsed = 0.0

        async def send() -> None:
            nonlocal elapsed
            started = time.perf_counter()
            workbench.action_send()
            while not (tree.root.children and " OK" in str(status.render())):
                await asyncio.sleep(0.005)
            elapsed = time.perf_counter() - started

        worst, p99 = await lag_while(send())
        await app.workers.wait_for_complete()
    return elapsed, worst, p99


def floor_fetch_parse(url: str, parse: Callable[[bytes], object]) -> float:
    started = time.perf_counter()
    parse(httpx.get(url, timeout=300).content)
    return time.perf_counter() - started


def process_time_and_rss(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process, output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=bytecode_env())
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


async def after_arrival(path: Path) -> float:
    """4.5 MB JSON: seconds from the body's arrival to the tree's top level (decode + first page)."""
    from tui.app.app import HookbenchApp
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
        started = time.perf_counter()
        result = await asyncio.to_thread(judge, module, request, exchange)
        await app.workbench._show_result(result)
        await pilot.pause()
        return time.perf_counter() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.json"
        small = folder / "small.json"
        soap = folder / "soap.xml"
        sizes = (make_records_json(big, 300_000), make_records_json(small, 28_000), make_soap(soap, 100_000))
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", tmp],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    httpx.get(base + "/small.json")
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            run_rows(folder, base, sizes, rounds)
        finally:
            server.terminate()
            server.wait()


def run_rows(folder: Path, base: str, sizes: tuple[int, int, int], rounds: int) -> None:
    big_mb, small_mb, soap_mb = (size / 1e6 for size in sizes)
    work = folder / "work"
    work.mkdir()
    json_ours: list[float] = []
    json_floor: list[float] = []
    json_lag: list[tuple[float, float]] = []
    xml_ours: list[float] = []
    xml_floor: list[float] = []
    xml_lag: list[tuple[float, float]] = []
    paths_ours: list[float] = []
    paths_rss: list[float] = []
    paths_floor: list[float] = []
    arrival: list[float] = []
    for index in range(rounds):
        print(f"round {index + 1} of {rounds} …", file=sys.stderr)
        json_floor.append(floor_fetch_parse(base + "/big.json", json.loads))
        elapsed, worst, p99 = asyncio.run(send_to_tree(base + "/big.json", work))
        json_ours.append(elapsed)
        json_lag.append((worst, p99))
        xml_floor.append(floor_fetch_parse(base + "/soap.xml", ET.fromstring))
        elapsed, worst, p99 = asyncio.run(send_to_tree(base + "/soap.xml", work))
        xml_ours.append(elapsed)
        xml_lag.append((worst, p99))
        paths_floor.append(
            process_time_and_rss(
                [PYTHON, "-c", f"import xml.etree.ElementTree as ET; ET.parse({str(folder / 'soap.xml')!r})"]
            )[0]
        )
        seconds, rss = process_time_and_rss([*HOOKBENCH, "paths", str(folder / "soap.xml")])
        paths_ours.append(seconds)
        paths_rss.append(rss)
        arrival.append(asyncio.run(after_arrival(folder / "small.json")))
    get_ours, get_floor = run_vs_httpx(base, work, runs=max(11, rounds * 7))

    def ratio(ours: list[float], floor: list[float]) -> str:
        pairs = sorted(o / f for o, f in zip(ours, floor))
        return f"{statistics.median(pairs):.2f}× ({pairs[0]:.2f}–{pairs[-1]:.2f})"

    print(f"\nIssue 11's table, {rounds} alternating rounds; median (min–max):\n")
    print(f"{big_mb:.1f} MB JSON (300k records): send → tree top level")
    print(f"  hookbench workbench          {spread(json_ours)} s")
    print(f"  floor: fetch + json.loads    {spread(json_floor)} s")
    print(f"  ratio                        {ratio(json_ours, json_floor)}   goal ≤ 1.5×")
    print("keys while that body decodes: event loop late by (a key press waits as long)")
    print(
        f"  max {spread([w for w, _ in json_lag], 1000, '{:.0f}')} ms, p99 {spread([p for _, p in json_lag], 1000, '{:.0f}')} ms"
        "   goal ≤ 300 ms, always"
    )
    print(f"{soap_mb:.1f} MB SOAP (100k namespaced records): send → tree top level")
    print(f"  hookbench workbench          {spread(xml_ours)} s")
    print(f"  floor: fetch + ElementTree   {spread(xml_floor)} s")
    print(f"  ratio                        {ratio(xml_ours, xml_floor)}   goal ≤ 1.5×")
    print(
        f"  event loop late by max {spread([w for w, _ in xml_lag], 1000, '{:.0f}')} ms, p99 {spread([p for _, p in xml_lag], 1000, '{:.0f}')} ms"
    )
    print(f"hookbench paths on the {soap_mb:.1f} MB SOAP")
    print(
        f"  hookbench paths FILE         {spread(paths_ours)} s, peak RSS {spread(paths_rss, 1, '{:.0f}')} MB"
    )
    print(f"  floor: ElementTree.parse     {spread(paths_floor)} s (a process)")
    print(f"  ratio                        {ratio(paths_ours, paths_floor)}   goal ≤ 2×, ≤ 250 MB")
    print(f"{small_mb:.1f} MB JSON: tree top level after the body arrives")
    print(f"  hookbench workbench          {spread(arrival, 1000, '{:.0f}')} ms   goal ≤ 400 ms")
    print("hookbench run of a GET on loopback (whole processes, alternating)")
    print(f"  hookbench run PROFILE        {spread(get_ours, 1000, '{:.0f}')} ms")
    print(f"  floor: httpx.get process     {spread(get_floor, 1000, '{:.0f}')} ms")
    print(f"  ratio                        {ratio(get_ours, get_floor)}   goal ≤ 1.2×")


def run_vs_httpx(base: str, folder: Path, runs: int) -> tuple[list[float], list[float]]:
    url = base + "/small.json"
    profile = folder / "get.toml"
    profile.write_text(f'[request]\nmethod = "GET"\nurl = "{url.replace("small.json", "")}"\n')
    ours_argv = [*HOOKBENCH, "run", str(profile), "--no-history"]
    floor_argv = [PYTHON, "-c", f"import httpx; httpx.get({url.replace('small.json', '')!r})"]
    ours: list[float] = []
    floor: list[float] = []
    for argv in (ours_argv, floor_argv):  # write the bytecode caches first
        process_time_and_rss(argv)
    for _ in range(runs):
        floor.append(process_time_and_rss(floor_argv)[0])
        ours.append(process_time_and_rss(ours_argv)[0])
    return ours, floor


if __name__ == "__main__":
    main()
