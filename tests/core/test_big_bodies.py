"""Hostile bodies at size: each decodes to a usable tree or a readable reason, within bounds;
a big decode reports progress and stops when its task is cancelled."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import time

import pytest
import xmltodict

import tui.core.progress as progress_module
from tui.core.model import Module, Request
from tui.core.progress import Cancelled, Progress
from tui.core.responses import decode_body
from tui.core.run import run_module
from tui.core.send import Clients
from tui.core.variables import Variables
from tui.core.xmltree import MAX_MARKUP
from tui.sandbox import Sandbox


def test_200k_deep_json_is_refused_with_a_reason() -> None:
    decoded = decode_body(b"[" * 200_000 + b"]" * 200_000, "application/json")
    assert (decoded.parsed, decoded.error) == (False, "body is not JSON we can read: nested too deeply")


def test_200k_deep_xml_is_refused_with_a_reason() -> None:
    decoded = decode_body(b"<a>" * 200_000 + b"</a>" * 200_000, "application/xml")
    assert decoded.error == "body is not XML we will read: nested more than 1000 levels deep"


def test_100_mb_single_string_is_one_leaf() -> None:
    decoded = decode_body(b'{"blob": "' + b"x" * 100_000_000 + b'"}', "application/json")
    assert decoded.parsed and len(decoded.data["blob"]) == 100_000_000


def test_100_mb_xml_text_is_one_leaf() -> None:
    decoded = decode_body(b"<a><b>" + b"y" * 100_000_000 + b"</b></a>", "text/xml")
    assert decoded.parsed and len(decoded.data["a"]["b"]) == 100_000_000


def test_two_million_numbers_are_a_list() -> None:
    body = ("[" + ",".join(map(str, range(2_000_000))) + "]").encode()
    decoded = decode_body(body, "application/json")
    assert decoded.parsed and len(decoded.data) == 2_000_000 and decoded.data[-1] == 1_999_999


def test_a_million_attributes_on_one_element_are_refused_with_a_reason() -> None:
    body = ("<a " + " ".join(f'a{i}="{i}"' for i in range(1_000_000)) + "/>").encode()
    decoded = decode_body(body, "application/xml")
    assert not decoded.parsed
    assert (
        decoded.error
        == "body is not XML we will read: a single tag or comment near byte 0 is longer than 1 MB"
    )


def test_many_attributes_within_the_tag_cap_are_counted() -> None:
    body = ("<a " + " ".join(f'b{i:x}=""' for i in range(100_001)) + "/>").encode()
    assert len(body) < MAX_MARKUP  # one slice: no expat (3.13's defers big tokens) sees a longer tag
    decoded = decode_body(body, "application/xml")
    assert (
        decoded.error == "body is not XML we will read: <a> has 100,001 attributes (at most 100,000 are read)"
    )


def test_a_number_too_long_for_python_is_a_reason_not_a_crash() -> None:
    decoded = decode_body(b'{"n": ' + b"7" * 5000 + b"}", "application/json")
    assert not decoded.parsed and "digits" in (decoded.error or "")


def test_cancelled_progress_stops_a_big_decode() -> None:
    body = json.dumps({"records": [{"id": i} for i in range(300_000)]}).encode()
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        decode_body(body, "application/json", progress=progress)
    assert progress.stopped.is_set()


def _soap(records: int) -> bytes:
    rows = "".join(
        f'<crm:record id="r{i}"><crm:email>u{i}@example.com</crm:email><crm:name first="Ada">L</crm:name></crm:record>\n'
        for i in range(records)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="urn:s" xmlns:crm="urn:c">'
        f"<soap:Body>{rows}</soap:Body></soap:Envelope>"
    ).encode()


def test_a_big_soap_decode_lets_another_thread_run_between_slices() -> None:
    """What a UI needs while a big body decodes: progress between slices, the GIL handed over
    (another thread keeps counting), and the tree xmltodict gives."""
    body = _soap(40_000)
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    seen: list[tuple[float, int]] = []

    class Watch(Progress):
        def advance(self, fraction: float) -> None:
            seen.append((fraction, ticks))
            super().advance(fraction)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        decoded = decode_body(body, "application/soap+xml", progress=Watch())
    finally:
        done.set()
        counter.join()
    assert decoded.parsed and decoded.data == xmltodict.parse(body, disable_entities=True)
    fractions = [fraction for fraction, _ in seen]
    assert len(seen) >= 4 and fractions == sorted(fractions) and fractions[-1] == 1.0
    assert seen[-1][1] > seen[0][1]  # the other thread ran while the slices were parsed


async def test_cancelling_a_run_stops_its_decode_thread(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The decode waits at its first slice until the task is cancelled: a fast machine cannot
    # finish it first.
    gate = threading.Event()
    advance = Progress.advance

    def held(self: Progress, fraction: float) -> None:
        gate.wait(120)
        advance(self, fraction)

    monkeypatch.setattr(Progress, "advance", held)
    module = Module(request=Request(url=f"{sandbox.base_url}/records?n=300000", timeout=120))
    seen: list[Progress] = []
    decoding = asyncio.Event()

    def on_decoding(exchange: object, progress: Progress) -> None:
        seen.append(progress)
        decoding.set()

    clients = Clients()
    try:
        task = asyncio.create_task(run_module(module, Variables(), clients, on_decoding=on_decoding))
        await asyncio.wait_for(decoding.wait(), 120)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()
    finally:
        await clients.aclose()
    progress = seen[0]
    assert progress.cancelled
    # The thread notices at its next run of siblings and drops what it built.
    assert await asyncio.to_thread(progress.stopped.wait, 60)
    assert progress.fraction < 1.0


@pytest.mark.parametrize("kind", ["application/json", "text/xml"])
def test_a_finished_decode_keeps_nothing_of_its_tree_through_the_freeze(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The decoder and its Progress hold each other (the snapshot function); frozen at the
    end of a big decode, that cycle kept the last snapshot's records for good: ~250 MB per
    48 MB response (found by the reviewer of issue 11)."""
    monkeypatch.setattr(progress_module, "SNAPSHOT_EVERY", 0.0)  # a snapshot every slice
    rows = range(150_000)  # over BIG (1 MB) either way: the decode freezes its tree
    if kind == "text/xml":
        body = ("<rows>" + "<row><tag>a</tag><tag>b</tag></row>" * len(rows) + "</rows>").encode()
    else:
        body = json.dumps({"rows": [{"id": i, "tags": ["a", "b"]} for i in rows]}).encode()
    progress = Progress()
    gc.unfreeze()
    decoded = decode_body(body, kind, progress=progress)
    frozen = gc.get_freeze_count()  # the tree, and all else alive in this process
    assert decoded.parsed and frozen > len(rows)
    assert progress.snapshot is None and progress.partial is None
    del decoded
    assert gc.get_freeze_count() < frozen - len(rows)  # the tree went with the response
    gc.unfreeze()
