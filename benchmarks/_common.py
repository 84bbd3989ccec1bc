"""Shared helpers for the benchmark scripts: timing whole processes, making test data."""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOOKBENCH = [PYTHON, "-m", "tui"]


def bytecode_env() -> dict[str, str]:
    """The environment with bytecode caching on, as on a user's machine.

    This workplace sets PYTHONDONTWRITEBYTECODE=1, which would make every process recompile
    hookbench's sources (site-packages were compiled at install time): unfair to hookbench.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_process(argv: list[str], *, runs: int = 11, env: dict[str, str] | None = None) -> float:
    """Median wall time in seconds of running `argv` to completion (output discarded).

    One untimed run first writes the bytecode caches.
    """
    env = env or bytecode_env()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def time_pair(first: list[str], second: list[str], *, runs: int = 11) -> tuple[float, float]:
    """Median wall times of two commands, run alternately so that drift in the machine's load
    falls on both alike. One untimed run of each writes the bytecode caches."""
    env = bytecode_env()
    for argv in (first, second):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for argv, bucket in zip((first, second), samples):
            started = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
            bucket.append(time.perf_counter() - started)
    return statistics.median(samples[0]), statistics.median(samples[1])


def alternate_cpu_wall(
    argvs: list[list[str]], *, runs: int, env: dict[str, str] | None = None
) -> list[tuple[list[float], list[float]]]:
    """(CPU seconds, wall seconds) of each command over `runs` rounds, run alternately so that
    the machine's drifting load falls on all alike. CPU is the child's user + system time, which
    other processes on a shared machine disturb less than wall time. One untimed run of each
    first writes the bytecode caches."""
    env = env or bytecode_env()

    def one(argv: list[str]) -> tuple[float, float]:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, _, usage = os.wait4(child.pid, 0)
        return usage.ru_utime + usage.ru_stime, time.perf_counter() - started

    for argv in argvs:
        one(argv)
    samples: list[tuple[list[float], list[float]]] = [([], []) for _ in argvs]
    for _ in range(runs):
        for argv, (cpu, wall) in zip(argvs, samples):
            spent, elapsed = one(argv)
            cpu.append(spent)
            wall.append(elapsed)
    return samples


def make_records_json(path: Path, records: int, *, indent: bool = False) -> int:
    """A JSON document of `records` subscriber-like records; returns its size in bytes."""
    rng = random.Random(7)
    data = {
        "subscribers": [
            {
                "id": f"sub_{i}",
                "email": f"user{i}@example.com",
                "first_name": rng.choice(["Ada", "Grace", "Alan", "Edsger", "Barbara"]),
                "last_name": rng.choice(["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov"]),
                "tags": ["newsletter", "vip"][: 1 + i % 2],
                "points": rng.randint(0, 10_000),
                "active": bool(i % 3),
            }
            for i in range(records)
        ]
    }
    path.write_text(json.dumps(data, indent=1) if indent else json.dumps(data))
    return path.stat().st_size


def env_without_proxies() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def folder_server(folder: Path) -> Iterator[str]:
    """`python -m http.server` serving `folder` on 127.0.0.1, in its own process (its work is
    not counted in ours); yields its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "http.server", "--bind", "127.0.0.1", str(port), "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        server.terminate()
        server.wait()
