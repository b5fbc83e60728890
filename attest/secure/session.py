"""Unlocking: from a passphrase to an open database engine and session keys.

Kept out of the Archive facade so that key handling (rotation recovery,
upgrading old key rings) lives with the rest of the key code.
"""

from __future__ import annotations

import base64
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError

from attest.archive.engine import make_engine, sqlcipher_url
from attest.errors import NotAnArchive
from attest.secure.audit import AuditLog
from attest.secure.keys import DATA, NEXT_DATA, PURPOSES, Keyring, SessionKeys, new_keys, signing_public
from attest.secure.roles import readable_levels
from attest.secure.users import insert_user


def grants_for_role(role: str, held: SessionKeys) -> dict[str, bytes]:
    """The keys a slot of ``role`` receives, taken from the keys the granting session holds."""
    wanted = [DATA, "originals", *(lvl for lvl in readable_levels(role) if lvl != "public")]
    if role == "admin":
        wanted.append("signing")
    return {p: held.get(p) for p in wanted}


def new_keyring(user: str, passphrase: str) -> tuple[Keyring, SessionKeys]:
    """A key ring for a new archive whose creator holds every key (they are its admin)."""
    keys = new_keys()
    keyring = Keyring(signing_public=base64.b64encode(signing_public(keys["signing"])).decode())
    keyring.add_slot(user, passphrase, keys)
    return keyring, SessionKeys(user, keys)


def register_creator(conn: Connection, engine: Engine, user: str) -> None:
    """The creator's user row (admin) and the first audit event, in the creating transaction."""
    insert_user(conn, AuditLog(engine), user, "admin", None, created_by=user)


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
    """
    engine = make_engine(sqlcipher_url(db_path, session.get(DATA)))
    if _opens(engine):
        return engine
    if session.has(NEXT_DATA):
        engine = make_engine(sqlcipher_url(db_path, session.get(NEXT_DATA)))
        if _opens(engine):
            finish_rotation(keyring, keyring_path)
            session.keys[DATA] = session.keys.pop(NEXT_DATA)
            return engine
    raise NotAnArchive(
        f"{db_path} is damaged or was not made with this key ring (the data key does not open it)"
    )


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
