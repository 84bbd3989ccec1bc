"""No input sequence crashes the workbench: random keys, clicks, text and pastes, fixed seeds.

A few short runs here; `benchmarks/fuzz_bench.py` runs many more seeds and prints crashes
per thousand inputs. A failure prints the inputs delivered, for a regression test.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.app.conftest import PROFILES
from tests.app.fuzz import drive

SEEDS = (1, 2, 3)
INPUTS = 200


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_input_never_crashes_the_workbench(make_app, tmp_path: Path, seed: int) -> None:
    folder = tmp_path / "profiles"
    shutil.copytree(PROFILES, folder)
    rng = random.Random(seed)
    delivered = runs = 0
    while delivered < INPUTS:  # input that quits the app (the palette's Quit) starts a fresh one
        app = make_app(folder, folder / "subscriber-lookup.toml")
        outcome = await drive(app, rng=rng, count=INPUTS - delivered, size=(80, 24))
        assert outcome.error is None, f"seed {seed} crashed after {outcome.inputs!r}: {outcome.error!r}"
        delivered += len(outcome.inputs)
        runs += 1
    assert delivered == INPUTS and runs <= 5
