"""Drift speed: `hookbench diff` of two 4.5 MB JSON documents as a whole process (goal ≤ 1 s),
and `paths --shape` on 4.5 MB against `json.load` in one process (goal ≤ 2×).

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/drift_bench.py
"""

from __future__ import annotations

import copy
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, PYTHON, bytecode_env, make_records_json, time_pair  # noqa: E402

from tui.core.documents import parse_document  # noqa: E402
from tui.core.shape import format_shape, shape_of  # noqa: E402


def drifted_copy(source: Path, target: Path) -> int:
    """The same records with one field renamed and one retyped in every record, and 10% more."""
    data = json.loads(source.read_text())
    records = data["subscribers"]
    records += copy.deepcopy(records[: len(records) // 10])
    for record in records:
        record["given_name"] = record.pop("first_name")
        record["points"] = str(record["points"])
    target.write_text(json.dumps(data))
    return target.stat().st_size


def wall_and_cpu(argv: list[str], runs: int = 7) -> tuple[float, float]:
    """Median wall time and median CPU time (user + sys) of a whole process.

    On a shared machine the wall time carries everyone else's load; the CPU time does not.
    """
    env = bytecode_env()
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=False)
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, env=env, check=False)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def median_in_process(work: Callable[[], object], runs: int = 9) -> float:
    work()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def shape_pipeline(path: Path) -> Callable[[], object]:
    """What `hookbench paths --shape FILE` does after start-up: read, parse, shape, format."""

    def run() -> object:
        out = io.StringIO()
        document = parse_document(path.read_bytes(), str(path))
        out.write("".join(line + "\n" for line in format_shape(shape_of(document))))
        return out

    return run


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        before, after = Path(tmp) / "before.json", Path(tmp) / "after.json"
        size_a = make_records_json(before, 28_000)
        size_b = drifted_copy(before, after)
        reference = [
            PYTHON,
            "-c",
            f"import json; json.load(open({str(before)!r})); json.load(open({str(after)!r}))",
        ]
        print(f"diff of {size_a / 1e6:.1f} MB and {size_b / 1e6:.1f} MB JSON, whole processes, median of 7:")
        print("                                            wall        CPU")
        for label, argv in (
            ("python -c 'json.load(A); json.load(B)'", reference),
            ("hookbench diff A B  (goal ≤ 1 s)", [*HOOKBENCH, "diff", str(before), str(after)]),
            (
                "hookbench diff A B --values  (no goal)",
                [*HOOKBENCH, "diff", str(before), str(after), "--values"],
            ),
        ):
            wall, cpu = wall_and_cpu(argv)
            print(f"  {label:<40} {wall * 1000:7.1f} ms  {cpu * 1000:7.1f} ms")

        load = median_in_process(lambda: json.load(open(before)))  # noqa: SIM115
        shape = median_in_process(shape_pipeline(before))
        print(f"\npaths --shape on {size_a / 1e6:.1f} MB JSON, in one process (median of 9):")
        print(f"  json.load(FILE)                           {load * 1000:7.1f} ms")
        print(
            f"  read + parse + shape + format             {shape * 1000:7.1f} ms   ratio {shape / load:.2f}x (goal ≤ 2x)"
        )
        whole_load, whole_shape = time_pair(
            [PYTHON, "-c", f"import json; json.load(open({str(before)!r}))"],
            [*HOOKBENCH, "paths", "--shape", str(before)],
            runs=7,
        )
        print("  as whole processes (median of 7):")
        print(f"    python -c 'json.load(open(FILE))'       {whole_load * 1000:7.1f} ms")
        print(f"    hookbench paths --shape FILE            {whole_shape * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
