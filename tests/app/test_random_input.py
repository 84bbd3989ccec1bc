"""No input sequence crashes the workbench: random keys, clicks, text and pastes, fixed seeds.

A few short runs here; `benchmarks/fuzz_bench.py` runs many more seeds and prints crashes
per thousand inputs. A failure prints the inputs delivered, for a regression test.
"""

from __future__ import annotations

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
    app = make_app(folder, folder / "subscriber-lookup.toml")
    outcome = await drive(app, seed=seed, count=INPUTS, size=(80, 24))
    assert outcome.error is None, f"seed {seed} crashed after {outcome.inputs!r}: {outcome.error!r}"
    assert len(outcome.inputs) == INPUTS  # the app ran to the end, it did not quit on the way
