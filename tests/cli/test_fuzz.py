"""Fuzzing in process: mutated profiles through `run --dry-run`, mutated JSON and XML bodies
through `paths`. Every case must end in an exit code (our errors become 2); any other
exception fails the test and prints the input that caused it."""

from __future__ import annotations

import contextlib
import functools
import io
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tui import cli

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "profiles").glob("*.toml")) + [ROOT / "tests" / "data" / "commented-profile.toml"]
DOCUMENTS = [ROOT / "tests" / "data" / name for name in ("users.json", "users.xml", "soap-response.xml")]

# Pieces that make parsers and renderers take unusual turns.
TOKENS = [
    '"',
    "'",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    ":",
    ".",
    "\n",
    "\r",
    "\t",
    " ",
    "\\",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "é",
    "𝄞",
    "0",
    "-1",
    "1e400",
    "NaN",
    "true",
    "null",
    "{{",
    "}}",
    "{{env.NOPE}}",
    "{{source.email}}",
    "[request]",
    "[[set_variables]]",
    'method = "FETCH"',
    "timeout = -1",
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml",
    "<!DOCTYPE a [<!ENTITY e 'x'>]>",
    "xmlns:a=",
    "@",
    "#text",
    '"""',
    "'''",
]


def mutate(text: str, rng: random.Random) -> str:
    """A few random edits: delete, duplicate or replace a span, or insert a token."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(text) + 1)
        span = rng.randint(1, 12)
        choice = rng.random()
        if choice < 0.3:
            text = text[:at] + text[at + span :]
        elif choice < 0.45:
            text = text[:at] + text[at : at + span] * rng.randint(2, 40) + text[at:]
        else:
            token = rng.choice(TOKENS)
            text = text[:at] + token + text[at + (span if choice < 0.7 else 0) :]
    return text


@pytest.fixture(autouse=True)
def _parser_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building argparse's parsers (gettext looks up catalogues for each) costs more than a
    case; parse_args leaves a parser as it was, so every case shares one."""
    monkeypatch.setattr(cli, "build_parser", functools.cache(cli.build_parser))


def fuzz(
    tmp_path: Path, sources: list[Path], cases: int, argv: Callable[[Path], list[str]], seed: int
) -> dict[int, int]:
    """Run `cases` mutated inputs through `hookbench`'s main; how often each exit code came back."""
    rng = random.Random(seed)
    originals = [path.read_text(encoding="utf-8") for path in sources]
    target = tmp_path / "case.toml"
    codes: dict[int, int] = {}
    for index in range(cases):
        source = rng.randrange(len(sources))
        text = mutate(originals[source], rng)
        target.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(argv(target))
        except Exception as exc:  # noqa: BLE001 - what this test exists to catch
            pytest.fail(f"case {index} from {sources[source].name} raised {exc!r}; input:\n{text!r}")
        codes[code] = codes.get(code, 0) + 1
    return codes


def test_mutated_profiles_through_run_dry_run(tmp_path: Path) -> None:
    codes = fuzz(tmp_path, PROFILES, 2500, lambda p: ["run", str(p), "--dry-run", "--no-history"], seed=1)
    assert codes.get(0, 0) > 100 and codes.get(2, 0) > 100, codes  # both outcomes were exercised


def test_mutated_json_and_xml_through_paths(tmp_path: Path) -> None:
    codes = fuzz(tmp_path, DOCUMENTS, 2500, lambda p: ["paths", str(p)], seed=2)
    assert codes.get(0, 0) > 100 and codes.get(2, 0) > 100, codes
