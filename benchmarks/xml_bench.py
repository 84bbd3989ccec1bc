"""XML decoding at the parser's floor: each stage on the 17 MB SOAP of big_bench, in process.

Prints CPU seconds (median and range of alternating rounds); asserts nothing.
Run: .venv/bin/python benchmarks/xml_bench.py [ROUNDS] (default 5).

Rows: expat with no handlers (what the C parser alone costs), `ElementTree.fromstring`
(the issue's floor), our `decode_body` of the response bytes (what the workbench does),
`parse_document` (what `hookbench paths` does) and `leaf_text` over its tree (the listing).
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from xml.parsers import expat

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from big_bench import make_soap  # noqa: E402

from tui.core.bulk import gc_paused  # noqa: E402
from tui.core.documents import parse_document  # noqa: E402
from tui.core.paths import leaf_text  # noqa: E402
from tui.core.responses import decode_body  # noqa: E402


def bare_expat(body: bytes) -> None:
    parser = expat.ParserCreate()
    parser.Parse(body, True)


def listing(tree: object) -> None:
    for _ in leaf_text(tree):
        pass


def cpu(work: Callable[[], object]) -> float:
    """CPU seconds of `work`, with the collector paused as our decoders run."""
    gc.collect()
    with gc_paused():
        started = time.process_time()
        work()
        return time.process_time() - started


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "soap.xml"
        size = make_soap(path, 100_000)
        body = path.read_bytes()
    tree = parse_document(body, "soap.xml")
    stages: dict[str, Callable[[], object]] = {
        "expat, no handlers": lambda: bare_expat(body),
        "ElementTree.fromstring (floor)": lambda: ET.fromstring(body),
        "decode_body (workbench)": lambda: decode_body(body, "text/xml"),
        "parse_document (paths)": lambda: parse_document(body, "soap.xml"),
        "leaf_text (paths listing)": lambda: listing(tree),
    }
    samples: dict[str, list[float]] = {name: [] for name in stages}
    for _ in range(rounds):
        for name, work in stages.items():
            samples[name].append(cpu(work))
    floor = statistics.median(samples["ElementTree.fromstring (floor)"])
    print(f"{size / 1e6:.1f} MB SOAP, {rounds} alternating rounds; CPU s median (min–max), × floor\n")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:32} {median:.3f} ({min(values):.3f}–{max(values):.3f})  {median / floor:.2f}×")


if __name__ == "__main__":
    main()
