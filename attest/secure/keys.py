"""The archive key ring: a random data key, wrapped once per passphrase.

The database is encrypted by SQLCipher under a random 256-bit data key. That
key is never derived from a passphrase directly: each person who may open the
archive has a *slot* holding the data key wrapped (AES-256-GCM) under a key
derived from their passphrase with Argon2id. So a passphrase can change
without re-encrypting the database, several people can hold their own
passphrase, and a wrong passphrase fails cleanly on the GCM tag.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from attest.errors import NotAnArchive, WrongPassphrase

KEYRING_VERSION = 1
# OWASP's first recommended Argon2id setting (m=47 MiB, t=1, p=1) is the floor;
# we spend a little more time since an archive is unlocked once per session.
DEFAULT_KDF = {"name": "argon2id", "memory_cost": 65536, "iterations": 3, "lanes": 4}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive_key(passphrase: str, salt: bytes, kdf: dict) -> bytes:
    """Stretch a passphrase into a 256-bit wrapping key with the recorded parameters."""
    if kdf.get("name") != "argon2id":
        raise NotAnArchive(f"unsupported key derivation {kdf.get('name')!r}")
    return Argon2id(
        salt=salt,
        length=32,
        iterations=int(kdf["iterations"]),
        lanes=int(kdf["lanes"]),
        memory_cost=int(kdf["memory_cost"]),
    ).derive(passphrase.encode("utf-8"))


@dataclass
class Slot:
    """One wrapped copy of the data key, openable by one person's passphrase."""

    user: str
    salt: str
    nonce: str
    wrapped: str


@dataclass
class Keyring:
    """All slots of an archive plus the KDF parameters they were made with."""

    kdf: dict = field(default_factory=lambda: dict(DEFAULT_KDF))
    slots: list[Slot] = field(default_factory=list)
    version: int = KEYRING_VERSION

    # -- slots -------------------------------------------------------------
    def add_slot(self, user: str, passphrase: str, data_key: bytes) -> None:
        """Wrap ``data_key`` for ``user``; replaces that user's previous slot."""
        if not passphrase:
            raise WrongPassphrase("an empty passphrase is not allowed")
        salt, nonce = os.urandom(16), os.urandom(12)
        wrapping = derive_key(passphrase, salt, self.kdf)
        wrapped = AESGCM(wrapping).encrypt(nonce, data_key, user.encode("utf-8"))
        self.slots = [s for s in self.slots if s.user != user]
        self.slots.append(Slot(user, _b64(salt), _b64(nonce), _b64(wrapped)))

    def unlock(self, passphrase: str, user: str | None = None) -> tuple[str, bytes]:
        """Return (user, data key) for the first slot the passphrase opens."""
        for slot in self.slots:
            if user is not None and slot.user != user:
                continue
            wrapping = derive_key(passphrase, _unb64(slot.salt), self.kdf)
            try:
                key = AESGCM(wrapping).decrypt(
                    _unb64(slot.nonce), _unb64(slot.wrapped), slot.user.encode("utf-8")
                )
            except InvalidTag:
                continue
            return slot.user, key
        who = f" for user {user!r}" if user else ""
        raise WrongPassphrase(f"wrong passphrase{who}: it opens no key slot of this archive")

    # -- persistence -------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old key ring or the new one, never half."""
        tmp = path.with_suffix(".tmp")
        payload = {"version": self.version, "kdf": self.kdf, "slots": [asdict(s) for s in self.slots]}
        tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            slots = [Slot(**s) for s in payload["slots"]]
            return cls(kdf=dict(payload["kdf"]), slots=slots, version=int(payload["version"]))
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise NotAnArchive(f"{path}: damaged key ring ({exc.__class__.__name__})") from exc


def new_data_key() -> bytes:
    """A fresh random 256-bit key for SQLCipher."""
    return os.urandom(32)
