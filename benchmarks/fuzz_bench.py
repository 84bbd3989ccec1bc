"""Random input against the workbench: crashes per thousand inputs, and the shortest input per crash.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/fuzz_bench.py [--seeds 20]
[--inputs 800] [--gap 0.01] [--size 120x40] [--profile subscriber-create.toml]
[--env production] [--shrink]

Each seed drives a fresh app (`--size`, 80x24 by default) on a copy of the example profiles
(opening `--profile`) with two environments, staging and a protected production (`--env` picks the
one active at start), against the embedded sandbox: keys from every binding of the screen on top, navigation keys, clicks anywhere,
text and pastes, `--gap` seconds apart. A crash (an exception reaching the app) ends that
seed's run; `--shrink` replays it to find the shortest input that still crashes, ready to be
pasted into a regression test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.app.fuzz import Input, drive, profile_folder, shrink  # noqa: E402
from tui.app.app import HookbenchApp  # noqa: E402
from tui.core.environments import load_environment  # noqa: E402
from tui.core.variables import Variables  # noqa: E402
from tui.sandbox import Sandbox  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--inputs", type=int, default=800)
    parser.add_argument("--gap", type=float, default=0.01, help="seconds between inputs")
    parser.add_argument("--size", type=size, default=(80, 24), help="terminal WIDTHxHEIGHT")
    parser.add_argument("--profile", default="subscriber-lookup.toml", help="profile opened (a flow entry)")
    parser.add_argument("--env", default=None, help="environment active at start: staging or production")
    parser.add_argument("--shrink", action="store_true", help="find the shortest input for each crash")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Sandbox() as sandbox:
        os.environ["HOOKBENCH_HISTORY_DIR"] = str(Path(tmp) / "history")
        os.environ["XDG_STATE_HOME"] = str(Path(tmp) / "state")
        for name in ("PAGER", "VISUAL", "EDITOR"):  # f6/f7 run a program that needs no terminal
            os.environ[name] = "true"
        asyncio.run(run(args, Path(tmp), sandbox.base_url))


def size(text: str) -> tuple[int, int]:
    width, _, height = text.partition("x")
    return int(width), int(height)


def make_app(tmp: Path, base_url: str, seed: int, args: argparse.Namespace) -> HookbenchApp:
    folder = profile_folder(tmp / f"seed{seed}-{time.monotonic_ns()}", ROOT / "profiles", base_url)
    return HookbenchApp(
        folder,
        profile_path=folder / args.profile,
        variables=Variables(overrides={"base_url": base_url}),
        environment=load_environment(folder, args.env) if args.env else None,
    )


async def run(args: argparse.Namespace, tmp: Path, base_url: str) -> None:
    total_inputs = crashes = 0
    started = time.perf_counter()
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        outcome = await drive(
            make_app(tmp, base_url, seed, args),
            rng=random.Random(seed),
            count=args.inputs,
            size=args.size,
            gap=args.gap,
        )
        total_inputs += len(outcome.inputs)
        for message in dict.fromkeys(outcome.worker_errors):
            print(f"seed {seed:3}: worker error (shown as a notification): {message}")
        if outcome.error is None:
            ended = "" if len(outcome.inputs) == args.inputs else " (the input quit the app)"
            print(f"seed {seed:3}: {len(outcome.inputs)} inputs, no crash{ended}")
            continue
        crashes += 1
        error = outcome.error
        frames = traceback.extract_tb(error.__traceback__)
        where = frames[-1]
        if os.environ.get("FUZZ_FRAMES"):
            print("".join(traceback.format_list(frames[-8:])))
        print(
            f"seed {seed:3}: CRASH after {len(outcome.inputs)} inputs: {type(error).__name__}: {error}"
            f"  ({Path(where.filename).name}:{where.lineno} in {where.name})"
        )
        if args.shrink:
            shortest = await shortest_input(outcome.inputs, type(error), tmp, base_url, seed, args)
            print(f"          shortest ({len(shortest)}): {shortest!r}")
    elapsed = time.perf_counter() - started
    per_thousand = crashes * 1000 / total_inputs if total_inputs else 0.0
    print(
        f"\n{crashes} crash(es) in {total_inputs} inputs over {args.seeds} seeds: "
        f"{per_thousand:.2f} crashes per thousand inputs ({elapsed:.0f} s)"
    )


async def shortest_input(
    inputs: list[Input],
    kind: type[BaseException],
    tmp: Path,
    base_url: str,
    seed: int,
    args: argparse.Namespace,
) -> list[Input]:
    results: dict[tuple[Input, ...], bool] = {}

    async def crashes(candidate: list[Input]) -> bool:
        key = tuple(candidate)
        if key not in results:
            app = make_app(tmp, base_url, seed, args)
            outcome = await drive(app, script=candidate, size=args.size, gap=args.gap)
            results[key] = isinstance(outcome.error, kind)
        return results[key]

    # ddmin calls a plain predicate: run each replay to completion on this loop's executor
    loop = asyncio.get_running_loop()

    def predicate(candidate: list[Input]) -> bool:
        return asyncio.run_coroutine_threadsafe(crashes(candidate), loop).result()

    return await asyncio.to_thread(shrink, inputs, predicate)


if __name__ == "__main__":
    main()
