"""Headless speed: `hookbench run` vs a bare httpx GET, `hookbench paths` vs json.load.

The run row is CPU and wall time over alternating rounds, twice: with the packages installed
here, and with click hidden. `import httpx` imports click, rich and pygments for its own CLI
when click is installed (here it comes with the test extras), which costs the floor and
hookbench alike ~40 ms; a user's install without click shows the ratio on a smaller floor.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/cli_bench.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (  # noqa: E402
    HOOKBENCH,
    PYTHON,
    alternate_cpu_wall,
    bytecode_env,
    make_records_json,
    time_pair,
)

from tui.sandbox import Sandbox  # noqa: E402


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        run_row(f"{sandbox.base_url}/users", Path(tmp), rounds)
        big = Path(tmp) / "records.json"
        size = make_records_json(big, 30_000)
        load, paths = time_pair(
            [PYTHON, "-c", f"import json; json.load(open({str(big)!r}))"],
            [*HOOKBENCH, "paths", str(big)],
            runs=7,
        )
        print(f"\n{size / 1e6:.1f} MB JSON, 30k records, median of 7 whole processes:")
        print(f"  python -c 'json.load(open(FILE))'         {load * 1000:7.1f} ms")
        print(
            f"  hookbench paths FILE                      {paths * 1000:7.1f} ms   ratio {paths / load:.2f}x (target ≤ 5x)"
        )


def run_row(url: str, folder: Path, rounds: int) -> None:
    """`hookbench run` of a GET against `python -c "import httpx; httpx.get(URL)"`."""
    profile = folder / "get.toml"
    profile.write_text(f'[request]\nmethod = "GET"\nurl = "{url}"\n')
    floor = [PYTHON, "-c", f"import httpx; httpx.get({url!r})"]
    ours = [*HOOKBENCH, "run", str(profile), "--no-history"]
    hidden = folder / "without-click" / "click"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("hidden by cli_bench")\n')
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"GET on loopback, {rounds} alternating rounds each (load average at start {load}; goal ≤ 1.2x):")
    for label, env in (
        ("packages as installed", bytecode_env()),
        ("click hidden (no httpx CLI extras)", {**bytecode_env(), "PYTHONPATH": str(hidden.parent)}),
    ):
        (floor_cpu, floor_wall), (ours_cpu, ours_wall) = alternate_cpu_wall(
            [floor, ours], runs=rounds, env=env
        )
        per_round = [o / f for o, f in zip(ours_cpu, floor_cpu)]
        print(f"  {label}:")
        print(f"    python -c 'import httpx; httpx.get(URL)'  {_spread(floor_cpu, floor_wall)}")
        print(f"    hookbench run PROFILE --no-history        {_spread(ours_cpu, ours_wall)}")
        print(
            f"    ratio: CPU {statistics.median(ours_cpu) / statistics.median(floor_cpu):.2f}x "
            f"(per round median {statistics.median(per_round):.2f}x, range {min(per_round):.2f}–{max(per_round):.2f}), "
            f"wall {statistics.median(ours_wall) / statistics.median(floor_wall):.2f}x"
        )


def _spread(cpu: list[float], wall: list[float]) -> str:
    """`CPU median (min–max)  wall median (min–max)` in milliseconds."""
    return "   ".join(
        f"{name} {statistics.median(values) * 1000:4.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"
        for name, values in (("CPU", cpu), ("wall", wall))
    )


if __name__ == "__main__":
    main()
