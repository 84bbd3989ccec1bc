"""A rendered request as a curl command line, for pasting into a shell or a bug report."""

from __future__ import annotations

import shlex

from tui.core.render import RenderedRequest
from tui.core.secrets import mask_header, mask_text


def to_curl(request: RenderedRequest, *, mask_secrets: bool = True) -> str:
    """`curl -X POST URL -H … --data-binary …`; secrets masked unless asked otherwise."""

    def clean(text: str) -> str:
        return mask_text(text, request.secrets) if mask_secrets else text

    parts = ["curl", "-sS"]
    if request.method != "GET" or request.content is not None:
        parts += ["-X", request.method]
    parts.append(shlex.quote(clean(request.url)))
    for name, value in request.headers:
        shown = mask_header(name, value) if mask_secrets else value
        parts += ["-H", shlex.quote(f"{name}: {clean(shown)}")]
    if request.content is not None:
        parts += ["--data-binary", shlex.quote(clean(request.content.decode("utf-8", errors="replace")))]
    for name, value in request.fields:
        parts += ["-F", shlex.quote(f"{name}={clean(value)}")]
    for attachment in request.attachments:
        parts += [
            "-F",
            shlex.quote(f"{attachment.field}=@{attachment.filename};type={attachment.media_type}"),
        ]
    if request.follow_redirects:
        parts.append("-L")
    if not request.verify_tls:
        parts.append("-k")
    parts += ["--max-time", f"{request.timeout:g}"]
    return " ".join(parts)
