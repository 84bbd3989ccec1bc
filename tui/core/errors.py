"""The one error family hookbench raises for things a user can fix.

A programming mistake is never a HookbenchError; everything here carries a message
that names the thing at fault (file, key, placeholder, path) so the CLI and the app
can show it as is.
"""

from __future__ import annotations


class HookbenchError(Exception):
    """Base of every user-facing error."""


class ProfileError(HookbenchError):
    """A profile file cannot be read, parsed, validated or written."""


class TemplateError(HookbenchError):
    """A `{{placeholder}}` is unknown or malformed, or a variables source is unusable."""


class BodyError(HookbenchError):
    """A request body is not well-formed after rendering, or an attachment is missing."""


class PathError(HookbenchError):
    """A dot path is malformed or does not lead to a value."""


class HistoryError(HookbenchError):
    """The run history cannot be read or written."""


class FlowError(HookbenchError):
    """A flow's routes are inconsistent: a missing target or a runaway cycle."""


class ProgramError(HookbenchError):
    """The person's own program ($PAGER, $EDITOR) is missing, cannot run, or failed."""


class SettingsError(HookbenchError):
    """An environment, TLS or proxy setting is unusable: an unknown environment, a certificate
    or CA file that cannot be read, a proxy that is not a URL."""


class SendError(HookbenchError):
    """The exchange did not complete: timeout, refused, TLS, DNS, dropped connection.

    `reason` is the short phrase a failure route carries ("timeout after 2 s").
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportSourceError(HookbenchError):
    """A document to import is not what its kind expects: not a curl command, a broken collection."""
