"""Errors a user can act on.

Every interface (CLI, API, web) turns an ``AttestError`` into a one-line
message and a non-zero status; anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class AttestError(Exception):
    """Base class: a problem with the user's input or environment, not a bug."""

    exit_code = 2


class ArchiveNotFound(AttestError):
    """No archive at the given location."""


class NotAnArchive(AttestError):
    """The location exists but does not hold an attest archive (or is damaged)."""


class WrongPassphrase(AttestError):
    """The passphrase does not unlock any key slot of the archive."""


class ArchiveExists(AttestError):
    """``init`` would overwrite an existing archive."""


class UnknownRecord(AttestError):
    """An id that names nothing in the archive."""


class UnreadableFile(AttestError):
    """A report file that cannot be turned into text (names the reason)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(AttestError):
    """A missing option or setting, such as no archive chosen."""
