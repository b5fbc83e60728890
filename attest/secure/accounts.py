"""Key-slot and account operations that touch both the key ring and the database.

Design choice for rotation: grants are sealed to each user's *public* key, so
an admin can add users, change roles and rotate the data key alone, without
anyone else's passphrase. The cost is that the key ring holds one X25519 key
pair per user; the benefit is that rotation after a departure or a suspected
leak does not wait for every colleague to type their passphrase.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from attest.archive import Archive
from attest.archive.archive import DB_NAME, KEYRING_NAME
from attest.archive.engine import make_engine, sqlcipher_url
from attest.errors import NotAnArchive, UsageError
from attest.secure.keys import DATA, NEXT_DATA, PURPOSES, Keyring, new_data_key
from attest.secure.roles import require
from attest.secure.session import finish_rotation, grants_for_role
from attest.secure.users import User, insert_user


def _keyring_path(archive: Archive) -> Path:
    return Path(archive.location) / KEYRING_NAME


def add_user(
    archive: Archive,
    name: str,
    role: str,
    passphrase: str,
    *,
    web_password: str | None = None,
    actor: User | None = None,
) -> User:
    """A user row plus a key slot holding exactly the keys their role may use."""
    acting = actor or archive.current_user()
    require(acting, "admin")
    keyring = Keyring.load(_keyring_path(archive))
    if name in keyring.users():
        raise UsageError(f"user {name!r} already has a key slot")
    with archive.engine.begin() as conn:
        user = insert_user(conn, archive.audit, name, role, web_password, created_by=acting.name)
        keyring.add_slot(name, passphrase, grants_for_role(role, archive.keys))
        archive.audit.append(
            conn,
            actor=acting.name,
            action="key.slot_add",
            record_type="user",
            record_id=name,
            after={"grants": sorted(keyring.slot(name).grants)},
        )
        keyring.save(_keyring_path(archive))
    return user


def set_role(archive: Archive, name: str, role: str, *, actor: User | None = None) -> User:
    """Change a role and re-seal the slot's grants to match.

    A demoted user may have copied keys while they held them; after a demotion
    for cause, rotate the data key (``rekey``) and treat protected values they
    could read as known to them.
    """
    acting = actor or archive.current_user()
    require(acting, "admin")
    user = archive.users.set_role(name, role, actor=acting)
    keyring = Keyring.load(_keyring_path(archive))
    if name in keyring.users():
        keyring.revoke(name, [p for p in PURPOSES if p != DATA])
        keyring.grant(name, grants_for_role(role, archive.keys))
        keyring.save(_keyring_path(archive))
    return user


def deactivate(archive: Archive, name: str, *, actor: User | None = None) -> User:
    """Mark a user inactive and delete their key slot (rotate the data key afterwards)."""
    acting = actor or archive.current_user()
    require(acting, "admin")
    if name == acting.name:
        raise UsageError("an admin cannot deactivate themselves")
    user = archive.users.set_active(name, False, actor=acting)
    keyring = Keyring.load(_keyring_path(archive))
    if name in keyring.users():
        keyring.remove_slot(name)
        keyring.save(_keyring_path(archive))
    return user


def change_passphrase(archive: Archive, old: str, new: str) -> None:
    """Rewrap the unlocking user's own slot; nothing in the database is re-encrypted."""
    keyring = Keyring.load(_keyring_path(archive))
    keyring.change_passphrase(archive.user, old, new)
    with archive.engine.begin() as conn:
        archive.audit.append(
            conn, actor=archive.user, action="key.passphrase", record_type="user", record_id=archive.user
        )
        keyring.save(_keyring_path(archive))


def rekey(archive: Archive, *, actor: User | None = None) -> None:
    """Rotate the SQLCipher data key and re-seal it to every slot; closes the archive.

    Crash-safe order: (1) seal the new key as ``data.next`` in every slot and
    save the ring; (2) ``PRAGMA rekey``; (3) promote ``data.next`` to ``data``.
    If (2) or (3) is interrupted, the next unlock finds which key opens the
    database and completes the rotation (``session.open_engine``).
    Originals and field keys are not rotated: they sit inside the database,
    whose key this changes.
    """
    acting = actor or archive.current_user()
    require(acting, "admin")
    path = _keyring_path(archive)
    keyring = Keyring.load(path)
    old_slots = [s.user for s in keyring.slots if s.version == 1]
    if old_slots:
        raise UsageError(
            f"key slots of {', '.join(old_slots)} are from an old format; re-add those users first"
        )
    new_key = new_data_key()
    with archive.engine.begin() as conn:
        archive.audit.append(
            conn,
            actor=acting.name,
            action="key.rotate",
            record_type="archive",
            record_id=None,
            after={"slots": keyring.users()},
        )
    for user in keyring.users():
        keyring.grant(user, {NEXT_DATA: new_key})
    keyring.save(path)
    archive.engine.dispose()
    db_path = Path(archive.location) / DB_NAME
    engine = make_engine(sqlcipher_url(db_path, archive.keys.get(DATA)))
    with engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    engine.dispose()
    check = make_engine(sqlcipher_url(db_path, new_key))
    try:
        with check.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except Exception as exc:
        raise NotAnArchive(f"{db_path}: rotation did not take effect; the old key still applies") from exc
    finally:
        check.dispose()
    finish_rotation(keyring, path)
    archive.keys.keys[DATA] = new_key
    archive.close()
