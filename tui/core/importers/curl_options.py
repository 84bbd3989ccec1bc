"""curl's command-line options as the curl importer reads them: which exist, which take a
value, which change nothing that is sent, and the reader that splits words into options."""

from __future__ import annotations

import json
from collections.abc import Iterator

from tui.core.errors import ImportSourceError

# canonical name → (short letter or "", long names, takes an argument)
_OPTIONS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "request": ("X", ("--request",), True),
    "header": ("H", ("--header",), True),
    "data": ("d", ("--data", "--data-ascii"), True),
    "data-raw": ("", ("--data-raw",), True),
    "data-binary": ("", ("--data-binary",), True),
    "data-urlencode": ("", ("--data-urlencode",), True),
    "json": ("", ("--json",), True),
    "form": ("F", ("--form",), True),
    "form-string": ("", ("--form-string",), True),
    "user": ("u", ("--user",), True),
    "get": ("G", ("--get",), False),
    "url": ("", ("--url",), True),
    "url-query": ("", ("--url-query",), True),
    "user-agent": ("A", ("--user-agent",), True),
    "referer": ("e", ("--referer",), True),
    "cookie": ("b", ("--cookie",), True),
    "location": ("L", ("--location", "--location-trusted"), False),
    "insecure": ("k", ("--insecure",), False),
    "max-time": ("m", ("--max-time",), True),
    "compressed": ("", ("--compressed",), False),
    "head": ("I", ("--head",), False),
    "cacert": ("", ("--cacert",), True),
    "cert": ("E", ("--cert",), True),
    "key": ("", ("--key",), True),
    "proxy": ("x", ("--proxy",), True),
    "proxy-user": ("U", ("--proxy-user",), True),
    "pass": ("", ("--pass",), True),
    "oauth2-bearer": ("", ("--oauth2-bearer",), True),
    "basic": ("", ("--basic",), False),
    "digest": ("", ("--digest",), False),
    # No effect on the request that is sent: how curl prints, retries or saves.
    "silent": ("s", ("--silent",), False),
    "show-error": ("S", ("--show-error",), False),
    "verbose": ("v", ("--verbose",), False),
    "include": ("i", ("--include",), False),
    "fail": ("f", ("--fail", "--fail-with-body"), False),
    "output": ("o", ("--output",), True),
    "dump-header": ("D", ("--dump-header",), True),
    "remote-name": ("O", ("--remote-name",), False),
    "write-out": ("w", ("--write-out",), True),
    "progress-bar": ("#", ("--progress-bar", "--no-progress-meter"), False),
    "no-buffer": ("N", ("--no-buffer",), False),
    "globoff": ("g", ("--globoff",), False),
}
NO_EFFECT = frozenset(
    {
        "silent",
        "show-error",
        "verbose",
        "include",
        "fail",
        "output",
        "dump-header",
        "remote-name",
        "write-out",
        "progress-bar",
        "no-buffer",
        "globoff",
    }
)
_SHORT = {short: name for name, (short, _, _) in _OPTIONS.items() if short}
_LONG = {long: name for name, (_, longs, _) in _OPTIONS.items() for long in longs}
# Options curl has that hookbench does not read, but which take a value: the value is skipped
# with them (and both are reported), so the words after them are still read right.
_UNKNOWN_WITH_VALUE = frozenset(
    "--connect-timeout --retry --retry-delay --retry-max-time --max-redirs --limit-rate --resolve "
    "--connect-to --interface --local-port --cookie-jar -c --range -r --time-cond -z "
    "--cert-type --key-type --capath --config -K --speed-limit -y --speed-time -Y "
    "--upload-file -T --aws-sigv4 --ciphers --dns-servers --expect100-timeout --happy-eyeballs-timeout-ms "
    "--keepalive-time --max-filesize --noproxy --proxy-header --quote -Q --request-target --trace "
    "--trace-ascii --unix-socket --abstract-unix-socket --variable --output-dir --create-file-mode "
    "--proto --proto-redir --tls-max --hostpubmd5 --pinnedpubkey --ftp-port -P --mail-from --mail-rcpt "
    "--login-options --sasl-authzid --service-name --socks5 --socks5-hostname --socks4 --socks4a "
    "--preproxy --proxy-cacert --proxy-cert --proxy-key --delegation --ech --etag-save --etag-compare".split()
)


def read_words(words: list[str]) -> Iterator[tuple[str, str | None, str]]:
    """(canonical name or "", value, as written) for each option or URL in `words`."""
    at = 0
    while at < len(words):
        word = words[at]
        at += 1
        if word.startswith("--") and len(word) > 2:
            long, equals, inline = word.partition("=")
            name = _LONG.get(word) or (_LONG.get(long) if equals else None)
            if name is None:
                takes = word in _UNKNOWN_WITH_VALUE and at < len(words)
                yield "", None, f"{word} {shown(words[at])}" if takes else word
                at += 1 if takes else 0
                continue
            if _OPTIONS[name][2]:
                if word == long and equals:
                    value = inline
                elif at < len(words):
                    value, at = words[at], at + 1
                else:
                    raise ImportSourceError(f"option {word} needs a value")
                yield name, value, word
            else:
                yield name, None, word
        elif word.startswith("-") and len(word) > 1:
            letters = word[1:]
            for index, letter in enumerate(letters):
                name = _SHORT.get(letter)
                if name is None:
                    takes = f"-{letter}" in _UNKNOWN_WITH_VALUE
                    rest = letters[index + 1 :]
                    if takes and not rest and at < len(words):
                        yield "", None, f"-{letter} {shown(words[at])}"
                        at += 1
                    else:
                        yield "", None, f"-{letter}{rest}" if takes else f"-{letter}"
                    if takes:
                        break
                    continue
                if not _OPTIONS[name][2]:
                    yield name, None, f"-{letter}"
                    continue
                rest = letters[index + 1 :]
                if rest:
                    yield name, rest, f"-{letter}"
                elif at < len(words):
                    yield name, words[at], f"-{letter}"
                    at += 1
                else:
                    raise ImportSourceError(f"option -{letter} needs a value")
                break
        else:
            yield "url", word, word


def shown(text: str) -> str:
    """`text` as a report shows it: control characters written as JSON escapes."""
    return json.dumps(text, ensure_ascii=False)[1:-1] if any(ord(c) < 32 for c in text) else text
