"""History at scale: 10,000 records on disk, then list the newest 100 in process and time
`hookbench history --limit 20` as a whole process (targets: 200 ms and 0.3 s).

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/history_bench.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, env_without_proxies, time_process  # noqa: E402

from tui.core.exchange import Exchange  # noqa: E402
from tui.core.history import History, new_record_id  # noqa: E402
from tui.core.history_record import build_record, record_text  # noqa: E402
from tui.core.model import Body, Module, Request, SetVariable  # noqa: E402
from tui.core.render import RenderedRequest  # noqa: E402
from tui.core.run import RowValue, RunResult  # noqa: E402

RECORDS = 10_000


def sample(index: int) -> tuple[Module, RunResult]:
    """A realistic record: JSON request and response bodies (~2 kB), a mapped variable."""
    url = f"http://127.0.0.1:8765/subscribers?email=user{index}%40example.com"
    body = f'{{"email": "user{index}@example.com", "tags": ["newsletter", "vip"]}}'
    response = (
        f'{{"subscribers": [{{"id": "sub_{index}", "email": "user{index}@example.com", "points": {index}}}]}}'
        * 20
    )
    row = SetVariable(name="subscribers.0.id", target="subscriber_id")
    module = Module(
        name="Subscriber lookup",
        request=Request(
            method="POST",
            url=url,
            headers=(("Accept", "application/json"),),
            body=Body("json", body),
            log_request_body=True,
            log_response_body=True,
        ),
        set_variables=(row,),
    )
    rendered = RenderedRequest(
        method="POST",
        url=url,
        headers=(("Accept", "application/json"),),
        content_type="json",
        content=body.encode(),
    )
    exchange = Exchange(
        status=200 if index % 7 else 404,
        reason_phrase="OK",
        http_version="HTTP/1.1",
        headers=(("content-type", "application/json"),),
        body=response.encode(),
        truncated=False,
        elapsed_ms=12.0 + index % 50,
        url=url,
    )
    result = RunResult(
        route="success" if index % 7 else "failure",
        reason="200 OK",
        request=rendered,
        exchange=exchange,
        rows=(RowValue(row, f"sub_{index}"),),
    )
    return module, result


def fill(history: History) -> float:
    """Write the records directly (no fsync per file: this is set-up, not what is measured)."""
    history.root.mkdir(parents=True, mode=0o700)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    for index in range(RECORDS):
        when = start + timedelta(seconds=index)
        record_id = new_record_id(when)
        module, result = sample(index)
        data, summary = build_record(
            module,
            result,
            record_id=record_id,
            time=when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            profile="subscriber-lookup",
            base_dir=None,
        )
        path = history.root / f"{record_id}.toml"
        path.write_text(record_text(data, summary), encoding="utf-8")
        os.chmod(path, 0o600)
    return time.perf_counter() - started


def time_in_process(action, runs: int = 9) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**env_without_proxies(), "HOOKBENCH_HISTORY_DIR": str(Path(tmp) / "history")}
        os.environ["HOOKBENCH_HISTORY_DIR"] = env["HOOKBENCH_HISTORY_DIR"]
        profiles = Path(tmp) / "profiles"
        profiles.mkdir()
        history = History.for_profiles(profiles)
        seconds = fill(history)
        size = sum(p.stat().st_size for p in history.root.iterdir())
        print(f"{RECORDS:,} records, {size / 1e6:.1f} MB, written in {seconds:.1f} s (set-up)")

        newest = time_in_process(lambda: history.list(limit=100))
        filtered = time_in_process(lambda: history.list(limit=100, query="404"))
        rare = time_in_process(lambda: history.list(limit=100, query="user9999@"), runs=3)
        opened = time_in_process(lambda: history.load(history.list(limit=1)[0].id))
        print("in process, median:")
        print(f"  list newest 100                           {newest * 1000:7.1f} ms   (target ≤ 200 ms)")
        print(f"  list newest 100 matching '404'            {filtered * 1000:7.1f} ms")
        print(
            f"  list, filter matching one of 10,000       {rare * 1000:7.1f} ms   (reads every summary line)"
        )
        print(f"  open one record (tomllib + validation)    {opened * 1000:7.1f} ms")

        command = [*HOOKBENCH, "history", "--profiles", str(profiles), "--limit", "20"]
        whole = time_process(command, runs=5, env=env)
        bare = time_process([sys.executable, "-c", "pass"], runs=5, env=env)
        print("whole process, median of 5:")
        print(f"  python -c pass                            {bare * 1000:7.1f} ms")
        print(f"  hookbench history --limit 20              {whole * 1000:7.1f} ms   (target ≤ 300 ms)")


if __name__ == "__main__":
    main()
