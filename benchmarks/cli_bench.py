"""Headless speed: `hookbench run` vs a bare httpx GET, `hookbench paths` vs json.load.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/cli_bench.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import HOOKBENCH, PYTHON, ROOT, make_records_json, time_pair  # noqa: E402

from tui.sandbox import Sandbox  # noqa: E402


def main() -> None:
    with Sandbox() as sandbox, tempfile.TemporaryDirectory() as tmp:
        url = f"{sandbox.base_url}/users"
        profile = Path(tmp) / "get.toml"
        profile.write_text(f'[request]\nmethod = "GET"\nurl = "{url}"\n')
        bare, ours = time_pair(
            [PYTHON, "-c", f"import httpx; httpx.get({url!r})"],
            [*HOOKBENCH, "run", str(profile), "--no-history"]
            if _has_no_history()
            else [*HOOKBENCH, "run", str(profile)],
            runs=21,
        )
        print("GET on loopback, median of 21 whole processes each, run alternately:")
        print(f"  python -c 'import httpx; httpx.get(URL)'  {bare * 1000:7.1f} ms")
        print(
            f"  hookbench run PROFILE                     {ours * 1000:7.1f} ms   ratio {ours / bare:.2f}x (target ≤ 1.3x)"
        )

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


def _has_no_history() -> bool:
    import subprocess

    out = subprocess.run([*HOOKBENCH, "run", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    return "--no-history" in out


if __name__ == "__main__":
    main()
