"""Signed anchors: a statement of the audit chain's head, kept outside the archive.

The hash chain shows that events were not edited, removed or reordered
*within* the chain; it cannot show that the tail was not cut off, or that the
whole chain was not rebuilt by someone holding the database key. An anchor
closes that gap: a small JSON statement (head hash, event count, time) signed
with the archive's Ed25519 signing key, which only admins' key slots hold.
Sent to a partner, printed in a report or committed somewhere public, it lets
anyone later check that the archive still *extends* that exact head.

Trust in the anchor is trust in its public key: compare its fingerprint with
the one published when the archive was set up (``attest audit anchor`` prints
it), not only with the key the archive itself claims.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from attest.archive import Archive
from attest.archive.archive import KEYRING_NAME
from attest.errors import AttestError
from attest.secure.audit import canonical
from attest.secure.keys import SIGNING, Keyring
from attest.secure.roles import require
from attest.secure.users import User

ANCHOR_FORMAT = "attest-audit-anchor/1"


class AnchorMismatch(AttestError):
    """The archive does not extend the anchored head, or the anchor is not genuine."""

    exit_code = 1


def fingerprint(public_key: bytes) -> str:
    """Short, comparable name of a public key (first 16 bytes of its SHA-256, hex, grouped)."""
    digest = hashlib.sha256(public_key).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def archive_public_key(archive: Archive) -> bytes:
    keyring = Keyring.load(Path(archive.location) / KEYRING_NAME)
    if not keyring.signing_public:
        raise AnchorMismatch(
            "this archive has no signing key yet (an old key ring: unlock it as its creator)"
        )
    return base64.b64decode(keyring.signing_public)


def make_anchor(archive: Archive, *, actor: User | None = None) -> dict:
    """Sign the current head; the signing is itself logged as the next event."""
    acting = actor or archive.current_user()
    require(acting, "admin")
    private = Ed25519PrivateKey.from_private_bytes(archive.keys.get(SIGNING))
    count, head = archive.audit.head()
    statement = {
        "format": ANCHOR_FORMAT,
        "count": count,
        "head": head,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "signed_by": acting.name,
        "public_key": base64.b64encode(archive_public_key(archive)).decode("ascii"),
    }
    signature = private.sign(canonical(statement))
    with archive.engine.begin() as conn:
        archive.audit.append(
            conn,
            actor=acting.name,
            action="audit.anchor",
            record_type="audit",
            record_id=count,
            after=statement,
        )
    return {**statement, "signature": base64.b64encode(signature).decode("ascii")}


def write_anchor(archive: Archive, path: str | Path, *, actor: User | None = None) -> dict:
    anchor = make_anchor(archive, actor=actor)
    Path(path).write_text(json.dumps(anchor, indent=2) + "\n", encoding="utf-8")
    return anchor


def load_anchor(path: str | Path) -> dict:
    try:
        anchor = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AnchorMismatch(f"{path}: no such anchor file") from exc
    except (OSError, ValueError) as exc:
        raise AnchorMismatch(f"{path}: not a readable anchor ({exc.__class__.__name__})") from exc
    if not isinstance(anchor, dict) or anchor.get("format") != ANCHOR_FORMAT:
        raise AnchorMismatch(f"{path}: not an attest audit anchor")
    return anchor


def check_anchor(archive: Archive, anchor: dict, *, trusted_key: bytes | None = None) -> None:
    """Raise AnchorMismatch unless the anchor is genuine and the chain still holds its head.

    The caller verifies the chain itself first (``archive.audit.verify()``).
    """
    statement = {k: v for k, v in anchor.items() if k != "signature"}
    try:
        public = base64.b64decode(statement["public_key"])
        Ed25519PublicKey.from_public_bytes(public).verify(
            base64.b64decode(anchor["signature"]), canonical(statement)
        )
        count, head = int(statement["count"]), str(statement["head"])
    except (KeyError, ValueError, TypeError, InvalidSignature) as exc:
        raise AnchorMismatch(
            "the anchor's signature does not verify: the statement was altered or forged"
        ) from exc
    expected = trusted_key if trusted_key is not None else archive_public_key(archive)
    if public != expected:
        raise AnchorMismatch(
            f"the anchor was signed by key {fingerprint(public)}, not by {fingerprint(expected)}"
            + (" (the key you trust)" if trusted_key is not None else " (this archive's key)")
        )
    if count == 0:
        return
    found = archive.audit.hash_at(count)
    if found is None:
        have, _ = archive.audit.head()
        raise AnchorMismatch(
            f"the audit log has {have} events but the anchor covers {count}: events were removed"
        )
    if found != head:
        raise AnchorMismatch(
            f"event {count} is not the anchored head: the log was rewritten up to that point"
        )
