"""Authenticated encryption of values inside the archive (AES-256-GCM).

Every sealed value binds its context (which record, which field, which
level) as associated data, so a ciphertext moved to another row or relabelled
to a lower level fails to open instead of decrypting under a wrong name.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from attest.errors import AttestError

MAGIC = b"AT1G"  # version 1, AES-GCM; lets stores tell sealed bytes from legacy plain ones
NONCE_BYTES = 12


class TamperedData(AttestError):
    """A sealed value failed authentication: altered, truncated or moved."""


def seal(key: bytes, plaintext: bytes, context: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode("utf-8"))


def is_sealed(blob: bytes) -> bool:
    return blob[: len(MAGIC)] == MAGIC


def unseal(key: bytes, blob: bytes, context: str) -> bytes:
    if not is_sealed(blob) or len(blob) < len(MAGIC) + NONCE_BYTES + 16:
        raise TamperedData(f"{context}: not a sealed value (truncated or overwritten)")
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES :], context.encode("utf-8"))
    except InvalidTag as exc:
        raise TamperedData(f"{context}: failed authentication (altered, truncated or moved)") from exc
