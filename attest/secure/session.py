"""Unlocking: from a passphrase to an open database engine and session keys.

Kept out of the Archive facade so that key handling (rotation recovery,
upgrading old key rings) lives with the rest of the key code.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.exc import DatabaseError, DBAPIError

from attest.archive.engine import connect_url, make_engine, sqlcipher_url
from attest.errors import NotAnArchive
from attest.secure.audit import AuditLog
from attest.secure.keys import (
    DATA,
    FIELD_KEYS,
    NEXT_DATA,
    PREV,
    PURPOSES,
    SIGNING,
    Keyring,
    SessionKeys,
    new_keys,
    signing_public,
)
from attest.secure.roles import readable_levels
from attest.secure.users import insert_user

# Rows of the (encrypted, page-authenticated) ``meta`` table that pin the key
# ring: its signer's public key, and an identifier of each current field key.
# Someone who can write the folder but has no data key cannot change them.
SIGNER_META = "keyring_signer"
FIELD_KEY_META = "field_key.{}"


def grants_for_role(role: str, held: SessionKeys) -> dict[str, bytes]:
    """The keys a slot of ``role`` receives, taken from the keys the granting session holds."""
    wanted = [DATA, "originals", *(lvl for lvl in readable_levels(role) if lvl != "public")]
    if role == "admin":
        wanted.append("signing")
    return {p: held.get(p) for p in wanted}


def new_keyring(user: str, passphrase: str) -> tuple[Keyring, SessionKeys]:
    """A signed key ring for a new archive whose creator holds every key (they are its admin)."""
    keys = new_keys()
    keyring = Keyring(signing_public=base64.b64encode(signing_public(keys["signing"])).decode())
    keyring.add_slot(user, passphrase, keys)
    keyring.sign(keys[SIGNING])
    return keyring, SessionKeys(user, keys)


def register_creator(conn: Connection, engine: Engine, user: str, session: SessionKeys | None = None) -> None:
    """The creator's user row (admin), the ring's pins and the first audit event, in one transaction.

    Without ``session`` (plain, unencrypted benchmark archives) nothing is pinned.
    """
    insert_user(conn, AuditLog(engine), user, "admin", None, created_by=user)
    if session is not None:
        pin_keys(conn, session)


# -- pins in the database ----------------------------------------------------------
def key_id(key: bytes) -> str:
    """A public identifier of a random 256-bit key (which generation is current), not the key."""
    return hashlib.sha256(b"attest-key-id/1|" + key).hexdigest()


def _meta(conn: Connection, key: str) -> str | None:
    try:
        return conn.execute(text("SELECT value FROM meta WHERE key = :k"), {"k": key}).scalar()
    except DatabaseError:
        return None  # no schema yet: the schema check that follows names the problem


def set_meta(conn: Connection, key: str, value: str) -> None:
    if _meta(conn, key) is None:
        conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value})
    else:
        conn.execute(text("UPDATE meta SET value = :v WHERE key = :k"), {"k": key, "v": value})


def pin_keys(conn: Connection, session: SessionKeys) -> None:
    """Record the signer and the current field keys' ids where they are missing (creation, upgrade)."""
    if session.has(SIGNING) and _meta(conn, SIGNER_META) is None:
        set_meta(conn, SIGNER_META, base64.b64encode(signing_public(session.get(SIGNING))).decode())
    for level in FIELD_KEYS:
        if session.has(level) and _meta(conn, FIELD_KEY_META.format(level)) is None:
            set_meta(conn, FIELD_KEY_META.format(level), key_id(session.get(level)))


def trusted_signer(conn: Connection, session: SessionKeys) -> tuple[bytes | None, bool]:
    """The public key the ring must be signed with, and whether the database pins it.

    An admin's own signing key must be the pinned one: a slot whose signing key
    was swapped for an attacker's is itself a sign of tampering.
    """
    pinned = _meta(conn, SIGNER_META)
    pinned_key = base64.b64decode(pinned) if pinned else None
    own = signing_public(session.get(SIGNING)) if session.has(SIGNING) else None
    if pinned_key and own and pinned_key != own:
        raise NotAnArchive(
            f"key ring was altered: the signing key in the slot of {session.user!r} is not the archive's"
        )
    return pinned_key or own, pinned_key is not None


def check_ring(keyring: Keyring, conn: Connection, session: SessionKeys) -> None:
    """Verify the ring's signatures; an unsigned ring passes only while no signer is pinned (old archives)."""
    signer, pinned = trusted_signer(conn, session)
    if signer is None or (not pinned and not keyring.signature):
        return
    keyring.verify(signer)


def resolve_field_keys(conn: Connection, session: SessionKeys) -> None:
    """Keep, of each field key and its ``.prev`` (a rotation in flight), the one the database says is current.

    A field key matching neither pinned id was sealed to the slot by someone else.
    """
    for level in FIELD_KEYS:
        previous = session.keys.pop(level + PREV, None)
        current = session.keys.get(level)
        pinned = _meta(conn, FIELD_KEY_META.format(level))
        if current is None or pinned is None:
            continue
        chosen = next((k for k in (current, previous) if k is not None and key_id(k) == pinned), None)
        if chosen is None:
            raise NotAnArchive(
                f"key ring was altered: the {level} key in the slot of {session.user!r} is not the archive's"
            )
        session.keys[level] = chosen


def protect_ring(keyring: Keyring, keyring_path: Path, engine: Engine, session: SessionKeys) -> None:
    """Sign and pin an old archive's ring at an admin's unlock (nothing to do once done).

    Saved before the pin is committed: a crash between leaves a signed,
    unpinned ring, which the next admin unlock pins.
    """
    if not session.has(SIGNING):
        return
    with engine.begin() as conn:
        if _meta(conn, SIGNER_META) is not None and keyring.signature:
            return
        keyring.sign(session.get(SIGNING))
        keyring.save(keyring_path)
        pin_keys(conn, session)
        AuditLog(engine).append(conn, actor=session.user, action="key.ring_sign", record_type="archive",
                                record_id=None, after={"slots": keyring.users()})  # fmt: skip


def _opens(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
        return True
    except DatabaseError:
        engine.dispose()
        return False


def open_engine(db_path: Path, keyring_path: Path, keyring: Keyring, session: SessionKeys) -> Engine:
    """An engine on the database, keyed with the session's data key.

    If a data-key rotation was interrupted after the database was rekeyed but
    before the key ring was finalised, the pending ``data.next`` key opens it,
    and the rotation is completed here.

    The ring's signatures are checked against the database's pins before
    anything is finished or returned, and any field-key rotation in flight is
    resolved.
    """
    engine = make_engine(sqlcipher_url(db_path, session.get(DATA)))
    if _opens(engine):
        _check_opened(engine, keyring, session)
        return engine
    if session.has(NEXT_DATA):
        engine = make_engine(sqlcipher_url(db_path, session.get(NEXT_DATA)))
        if _opens(engine):
            _check_opened(engine, keyring, session)
            finish_rotation(keyring, keyring_path)
            session.keys[DATA] = session.keys.pop(NEXT_DATA)
            return engine
    raise NotAnArchive(
        f"{db_path} is damaged or was not made with this key ring (the data key does not open it)"
    )


def _check_opened(engine: Engine, keyring: Keyring, session: SessionKeys) -> None:
    try:
        with engine.connect() as conn:
            check_ring(keyring, conn, session)
            resolve_field_keys(conn, session)
    except BaseException:
        engine.dispose()
        raise


def open_server_engine(url: URL, keyring: Keyring, session: SessionKeys) -> Engine:
    """An engine on a team server's database, after the same ring checks as the embedded one.

    There is no data key to try: the server's own access control and disk
    encryption stand where SQLCipher does, and the sealed originals and
    protected fields still need the keys in the ring.
    """
    engine = make_engine(connect_url(url))
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1")).scalar_one()
    except DBAPIError as exc:
        engine.dispose()
        raise NotAnArchive(f"cannot reach the archive's database {url!s} ({str(exc.orig).strip()})") from exc
    _check_opened(engine, keyring, session)
    return engine


def finish_rotation(keyring: Keyring, keyring_path: Path) -> None:
    for slot in keyring.slots:
        if NEXT_DATA in slot.grants:
            slot.grants[DATA] = slot.grants.pop(NEXT_DATA)
    keyring.save(keyring_path)


def upgrade_legacy(
    keyring: Keyring, keyring_path: Path, passphrase: str, session: SessionKeys
) -> SessionKeys:
    """Turn a version-1 key ring into a version-2 one at its creator's first unlock.

    Only the first such unlock (no version-2 slot yet) makes the new keys; other
    old slots keep opening the database but get no field keys until an admin
    adds them again.
    """
    if any(s.version == 2 for s in keyring.slots):
        return session
    keys = {**new_keys(), DATA: session.get(DATA)}
    keyring.add_slot(session.user, passphrase, keys)
    keyring.signing_public = base64.b64encode(signing_public(keys["signing"])).decode()
    keyring.version = 2
    keyring.save(keyring_path)
    return SessionKeys(session.user, {p: keys[p] for p in PURPOSES})
