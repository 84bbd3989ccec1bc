"""`kill -9` at a random moment while a profile is saved and history is recorded, again and
again: the profile on disk is always the old one or the new one, every record parses."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from pathlib import Path
from tui.core.exchange import Exchange
from tui.core.history import History
from tui.core.model import Module, Request
from tui.core.profile import save_profile
from tui.core.render import RenderedRequest
from tui.core.run import RunResult

folder = Path(sys.argv[1])
versions = [Module(name=letter * 20_000, request=Request(url="http://127.0.0.1/" + letter)) for letter in "AB"]
history = History(folder / "history", keep=30)
rendered = RenderedRequest(method="GET", url="http://127.0.0.1/", headers=())
exchange = Exchange(200, "OK", "HTTP/1.1", (("Content-Type", "application/json"),),
                    b'{"big": "' + b"x" * 300_000 + b'"}', False, 1.0, "http://127.0.0.1/")
result = RunResult(route="success", reason="200", request=rendered, exchange=exchange)
logged = Module(name="logged", request=Request(url="http://127.0.0.1/", log_response_body=True))
turn = 0
while True:
    save_profile(folder / "module.toml", versions[turn % 2])
    history.record(logged, result, profile_path=None)
    if turn == 0:
        print("wrote both", flush=True)  # from here on, a kill lands on a rewrite
    turn += 1
"""


def test_kill_9_never_leaves_a_torn_profile_or_record(tmp_path: Path) -> None:
    rng = random.Random(11)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    names = {"A" * 20_000, "B" * 20_000}
    kills = 0
    for _ in range(8):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, env=env, text=True
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "wrote both"
        time.sleep(rng.uniform(0.0, 0.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        profile = tmp_path / "module.toml"
        if profile.exists():
            assert tomllib.loads(profile.read_text())["name"] in names
        for record in (tmp_path / "history").glob("*.toml"):
            data = tomllib.loads(record.read_text())
            assert data["result"]["status"] == 200, record.name
    assert kills == 8
    assert (tmp_path / "module.toml").exists()
    assert list((tmp_path / "history").glob("*.toml"))
