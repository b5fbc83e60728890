"""The archive key ring: random keys, sealed to each person's key pair.

The database is encrypted by SQLCipher under a random 256-bit *data key*;
originals and protected fields carry a second layer of AES-256-GCM under their
own random keys (``originals``, ``restricted``, ``confidential``), and audit
anchors are signed with the archive's Ed25519 ``signing`` key. No key is ever
derived from a passphrase directly.

Each person who may open the archive has a *slot*:

* an X25519 key pair; the private key is wrapped (AES-256-GCM) under a key
  derived from their passphrase with Argon2id (parameters recorded in the
  ring), so a wrong passphrase fails cleanly on the GCM tag;
* *grants*: the keys their role may hold, each sealed to their public key
  with HPKE (RFC 9180: X25519, HKDF-SHA256, AES-256-GCM, from ``cryptography``).

Sealing to a public key is what lets an admin add a user, change a role or
rotate the data key without knowing anyone else's passphrase, and a viewer's
slot simply has no sealed copy of the confidential key: their passphrase
cannot decrypt those fields, whatever code they run.

The ring is tamper-evident: every slot's public key and grants, and the list
of slots with the ring's settings, are signed with the archive's Ed25519
signing key (only admin slots hold it). Someone who can write the folder but
holds no admin key cannot swap a public key (so that the next re-seal hands
keys to them), a grant or a slot; ``attest.secure.session`` checks the
signature against the key pinned inside the encrypted database.

Version 1 rings (data key wrapped directly under the passphrase key) still
open; ``attest.secure.session`` upgrades them on first unlock.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from attest.errors import NotAnArchive, UnknownRecord, UsageError, WrongPassphrase

KEYRING_VERSION = 2
# OWASP's first recommended Argon2id setting (m=47 MiB, t=1, p=1) is the floor;
# we spend a little more time since an archive is unlocked once per session.
DEFAULT_KDF = {"name": "argon2id", "memory_cost": 65536, "iterations": 3, "lanes": 4}

# What a key ring can grant. ``data.next`` exists only during a data-key rotation.
DATA, ORIGINALS, SIGNING = "data", "originals", "signing"
FIELD_KEYS = ("restricted", "confidential")
PURPOSES = (DATA, ORIGINALS, *FIELD_KEYS, SIGNING)
NEXT_DATA = "data.next"
PREV = ".prev"  # suffix of the superseded field key while a field-key rotation is in flight

_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


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


def _grant_info(user: str, purpose: str) -> bytes:
    # Binds each sealed key to its owner and purpose: a grant copied to another
    # slot or relabelled fails to open. A pending data key is sealed as "data"
    # so that finishing a rotation is a rename, not a re-seal.
    return f"attest-grant/v2|{purpose.removesuffix('.next')}|{user}".encode()


def _canonical(obj: object) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _signed_grants(grants: dict[str, str]) -> dict[str, str]:
    # A pending data key is signed as if already promoted, so that finishing a
    # rotation (a rename any slot holder may do at unlock) needs no new signature.
    view = {p: g for p, g in grants.items() if p != NEXT_DATA}
    if NEXT_DATA in grants:
        view[DATA] = grants[NEXT_DATA]
    return view


def _slot_aad(user: str, version: int) -> bytes:
    return user.encode("utf-8") if version == 1 else f"attest-slot/v2|{user}".encode()


def new_data_key() -> bytes:
    """A fresh random 256-bit key (SQLCipher data key, field and originals keys)."""
    return os.urandom(32)


def new_keys() -> dict[str, bytes]:
    """Every key a new archive needs; the signing key is an Ed25519 private seed."""
    signing = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return {DATA: new_data_key(), ORIGINALS: new_data_key(), "restricted": new_data_key(),
            "confidential": new_data_key(), SIGNING: signing}  # fmt: skip


def signing_public(seed: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    )


@dataclass
class SessionKeys:
    """The keys one unlocked slot yields, by purpose; what a session may decrypt."""

    user: str
    keys: dict[str, bytes]
    legacy: bool = False

    def has(self, purpose: str) -> bool:
        return purpose in self.keys

    def get(self, purpose: str) -> bytes:
        from attest.secure.roles import PermissionDenied

        if purpose not in self.keys:
            raise PermissionDenied(
                f"user {self.user!r} holds no {purpose} key: their key slot was not granted it"
            )
        return self.keys[purpose]


@dataclass
class Slot:
    """One person's way in: wrapped private key, public key, sealed grants.

    In a version-1 slot ``wrapped`` is the data key itself and there is no
    public key or grants.
    """

    user: str
    salt: str
    nonce: str
    wrapped: str
    public: str = ""
    grants: dict[str, str] = field(default_factory=dict)
    signature: str = ""

    def signed_bytes(self) -> bytes:
        """What the slot signature covers: who, their public key, the keys sealed to them.

        The passphrase wrapping (salt, nonce, wrapped) is left out so that a user
        can change their passphrase without an admin; swapping it gains nothing,
        since the private key must still match the signed public key.
        """
        return _canonical({"format": "attest-slot/v2", "user": self.user, "public": self.public,
                           "grants": _signed_grants(self.grants)})  # fmt: skip

    @property
    def version(self) -> int:
        return 2 if self.public else 1


@dataclass
class Keyring:
    """All slots of an archive plus the KDF parameters they were made with."""

    kdf: dict = field(default_factory=lambda: dict(DEFAULT_KDF))
    slots: list[Slot] = field(default_factory=list)
    version: int = KEYRING_VERSION
    signing_public: str = ""
    signature: str = ""

    # -- integrity ---------------------------------------------------------
    def _ring_bytes(self) -> bytes:
        return _canonical({"format": "attest-keyring/v2", "version": self.version, "kdf": self.kdf,
                           "signing_public": self.signing_public,
                           "slots": [[s.user, s.signature] for s in self.slots]})  # fmt: skip

    def sign(self, signing_seed: bytes) -> None:
        """Sign each slot and the ring as a whole; only a holder of the signing key can."""
        key = Ed25519PrivateKey.from_private_bytes(signing_seed)
        for slot in self.slots:
            slot.signature = _b64(key.sign(slot.signed_bytes()))
        self.signature = _b64(key.sign(self._ring_bytes()))

    def verify(self, signer_public: bytes) -> None:
        """Raise NotAnArchive naming the first slot, or the ring setting, that was altered."""
        key = Ed25519PublicKey.from_public_bytes(signer_public)
        if not self.signature:
            raise NotAnArchive("key ring was altered: its signature was removed (this archive's is signed)")
        for slot in self.slots:
            try:
                key.verify(_unb64(slot.signature), slot.signed_bytes())
            except (InvalidSignature, ValueError) as exc:
                raise NotAnArchive(
                    f"key ring was altered: the slot of {slot.user!r} (its public key or sealed keys) "
                    "does not match the archive's signature"
                ) from exc
        try:
            key.verify(_unb64(self.signature), self._ring_bytes())
        except (InvalidSignature, ValueError) as exc:
            raise NotAnArchive(
                "key ring was altered: the list of slots or the ring's settings (kdf, version, signing key) "
                "do not match the archive's signature"
            ) from exc

    # -- slots -------------------------------------------------------------
    def slot(self, user: str) -> Slot:
        for s in self.slots:
            if s.user == user:
                return s
        raise UnknownRecord(f"no key slot for user {user!r}")

    def users(self) -> list[str]:
        return [s.user for s in self.slots]

    def add_slot(self, user: str, passphrase: str, grants: dict[str, bytes]) -> None:
        """A new key pair for ``user`` under ``passphrase``, with ``grants`` sealed to it.

        Replaces that user's previous slot.
        """
        private = X25519PrivateKey.generate()
        slot = Slot(user, "", "", "", _b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)))
        self._wrap_private(
            slot, passphrase, private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        )
        self.slots = [s for s in self.slots if s.user != user] + [slot]
        self.grant(user, grants)

    def _wrap_private(self, slot: Slot, passphrase: str, private_raw: bytes) -> None:
        if not passphrase:
            raise WrongPassphrase("an empty passphrase is not allowed")
        salt, nonce = os.urandom(16), os.urandom(12)
        wrapping = derive_key(passphrase, salt, self.kdf)
        slot.salt, slot.nonce = _b64(salt), _b64(nonce)
        slot.wrapped = _b64(AESGCM(wrapping).encrypt(nonce, private_raw, _slot_aad(slot.user, 2)))

    def grant(self, user: str, grants: dict[str, bytes]) -> None:
        """Seal keys to ``user``'s public key: needs no passphrase of theirs."""
        slot = self.slot(user)
        if slot.version == 1:
            raise UsageError(
                f"key slot of {user!r} is from an old archive format; they must unlock once first"
            )
        public = X25519PublicKey.from_public_bytes(_unb64(slot.public))
        for purpose, key in grants.items():
            slot.grants[purpose] = _b64(_SUITE.encrypt(key, public, info=_grant_info(user, purpose)))

    def revoke(self, user: str, purposes: list[str] | tuple[str, ...]) -> None:
        slot = self.slot(user)
        for purpose in purposes:
            slot.grants.pop(purpose, None)

    def remove_slot(self, user: str) -> None:
        self.slot(user)
        self.slots = [s for s in self.slots if s.user != user]

    def unlock(self, passphrase: str, user: str | None = None) -> SessionKeys:
        """The keys of the first slot (of ``user``, when given) that the passphrase opens."""
        for slot in self.slots:
            if user is not None and slot.user != user:
                continue
            opened = self._open_slot(slot, passphrase)
            if opened is not None:
                return opened
        who = f" for user {user!r}" if user else ""
        raise WrongPassphrase(f"wrong passphrase{who}: it opens no key slot of this archive")

    def _unwrap(self, slot: Slot, passphrase: str) -> bytes | None:
        """The slot's secret (v2: private key, v1: data key), or None for a wrong passphrase."""
        wrapping = derive_key(passphrase, _unb64(slot.salt), self.kdf)
        try:
            return AESGCM(wrapping).decrypt(
                _unb64(slot.nonce), _unb64(slot.wrapped), _slot_aad(slot.user, slot.version)
            )
        except InvalidTag:
            return None

    def _open_slot(self, slot: Slot, passphrase: str) -> SessionKeys | None:
        secret = self._unwrap(slot, passphrase)
        if secret is None:
            return None
        if slot.version == 1:
            return SessionKeys(slot.user, {DATA: secret}, legacy=True)
        private = X25519PrivateKey.from_private_bytes(secret)
        if _b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)) != slot.public:
            raise NotAnArchive(
                f"key ring was altered: the private key of {slot.user!r} does not match their public key"
            )
        keys = {}
        for purpose, sealed in slot.grants.items():
            try:
                keys[purpose] = _SUITE.decrypt(_unb64(sealed), private, info=_grant_info(slot.user, purpose))
            except InvalidTag as exc:
                raise NotAnArchive(f"key ring: the {purpose} grant of {slot.user!r} is damaged") from exc
        return SessionKeys(slot.user, keys)

    def change_passphrase(self, user: str, old: str, new: str) -> None:
        """Rewrap ``user``'s private key under a new passphrase; grants and data stay as they are."""
        slot = self.slot(user)
        if slot.version == 1:
            raise UsageError("this key slot is from an old archive format; unlock the archive once first")
        private_raw = self._unwrap(slot, old)
        if private_raw is None:
            raise WrongPassphrase(f"wrong current passphrase for user {user!r}")
        self._wrap_private(slot, new, private_raw)

    # -- persistence -------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write atomically: a crash leaves the old key ring or the new one, never half."""
        tmp = path.with_suffix(".tmp")
        payload = {
            "version": self.version,
            "kdf": self.kdf,
            "signing_public": self.signing_public,
            "signature": self.signature,
            "slots": [asdict(s) for s in self.slots],
        }
        tmp.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            slots = [Slot(**s) for s in payload["slots"]]
            return cls(
                kdf=dict(payload["kdf"]),
                slots=slots,
                version=int(payload["version"]),
                signing_public=str(payload.get("signing_public", "")),
                signature=str(payload.get("signature", "")),
            )
        except FileNotFoundError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            raise NotAnArchive(f"{path}: damaged key ring ({exc.__class__.__name__})") from exc
