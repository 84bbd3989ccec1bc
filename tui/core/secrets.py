"""Which values are secrets, and how they are masked wherever hookbench shows or stores them."""

from __future__ import annotations

from collections.abc import Iterable

MASK = "••••••"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SECRET_WORDS = ("token", "secret", "key", "password", "auth")


def is_secret_header(name: str) -> bool:
    """Authorization, cookies, and any header whose name mentions token/secret/key/password/auth."""
    lowered = name.lower()
    return lowered in _SECRET_HEADERS or any(word in lowered for word in _SECRET_WORDS)


def mask_header(name: str, value: str) -> str:
    """Keep an auth scheme visible (`Bearer ••••••`), hide the credential."""
    if not is_secret_header(name):
        return value
    scheme, sep, _ = value.partition(" ")
    if sep and name.lower() in ("authorization", "proxy-authorization") and scheme.isalpha():
        return f"{scheme} {MASK}"
    return MASK


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """Replace each secret value, as is and as encoded in a URL, JSON or XML, by the mask."""
    forms = {form for secret in secrets if len(secret) >= 3 for form in _encoded_forms(secret)}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def _encoded_forms(secret: str) -> set[str]:
    import json
    from urllib.parse import quote, quote_plus

    from tui.core.template import xml_escape

    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        xml_escape(secret),
        repr(secret)[1:-1],  # as an exception's text quotes it (h11: Illegal header value b'…')
        repr(secret.encode("utf-8"))[2:-1],
    }
