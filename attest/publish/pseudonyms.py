"""Pseudonyms that are stable within one export and unlinkable across exports.

Each export draws a fresh random 256-bit key and discards it after writing;
a pseudonym is an HMAC-SHA256 of the (normalised) value under that key. The
same person gets the same pseudonym everywhere in one export, so counts and
links still work, but two exports cannot be joined on pseudonyms, and no one
(the exporter included) can recompute a pseudonym from a guessed name.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import unicodedata


def normalise(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    return " ".join(text.casefold().split())


class Pseudonymizer:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or os.urandom(32)

    def __call__(self, value: object, *, prefix: str = "anon") -> str:
        mac = hmac.new(self._key, normalise(value).encode("utf-8"), hashlib.sha256).digest()
        return f"{prefix}-{base64.b32encode(mac[:10]).decode('ascii').lower()}"
