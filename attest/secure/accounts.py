"""Key-slot and account operations that touch both the key ring and the database.

Design choice for rotation: grants are sealed to each user's *public* key, so
an admin can add users, change roles and rotate the data key alone, without
anyone else's passphrase. The cost is that the key ring holds one X25519 key
pair per user; the benefit is that rotation after a departure or a suspected
leak does not wait for every colleague to type their passphrase.

Every change loads the key ring through ``_load_ring``, which verifies its
signatures first: a ring altered on disk is refused before anything is
re-sealed to a swapped public key. Admin changes re-sign the ring.

Demotion and deactivation rotate the field keys the user loses
(``rotate_field_keys``): copies they kept open nothing stored or re-sealed
afterwards.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from attest.archive import Archive
from attest.archive.archive import DB_NAME, KEYRING_NAME
from attest.archive.engine import make_engine, sqlcipher_url
from attest.errors import NotAnArchive, UsageError
from attest.secure.keys import DATA, FIELD_KEYS, NEXT_DATA, PREV, SIGNING, Keyring, new_data_key
from attest.secure.roles import readable_levels, require
from attest.secure.session import (
    FIELD_KEY_META,
    check_ring,
    finish_rotation,
    grants_for_role,
    key_id,
    pin_keys,
    set_meta,
)
from attest.secure.users import User, insert_user

Progress = Callable[[int, int], None]


def _keyring_path(archive: Archive) -> Path:
    return Path(archive.location) / KEYRING_NAME


def _load_ring(archive: Archive) -> Keyring:
    """The key ring as on disk, refused (NotAnArchive) if it was altered since it was signed."""
    keyring = Keyring.load(_keyring_path(archive))
    with archive.engine.connect() as conn:
        check_ring(keyring, conn, archive.keys)
    return keyring


def _save_signed(archive: Archive, keyring: Keyring) -> None:
    keyring.sign(archive.keys.get(SIGNING))
    keyring.save(_keyring_path(archive))


def lost_levels(old_role: str, new_role: str | None) -> tuple[str, ...]:
    """Field-key levels a role change (None: deactivation) takes away; these keys are rotated."""
    kept = set(readable_levels(new_role)) if new_role else set()
    return tuple(lvl for lvl in FIELD_KEYS if lvl in readable_levels(old_role) and lvl not in kept)


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
    keyring = _load_ring(archive)
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
        _save_signed(archive, keyring)
    return user


def set_role(
    archive: Archive, name: str, role: str, *, actor: User | None = None, progress: Progress | None = None
) -> User:
    """Change a role, re-seal the slot's grants to match, and rotate the field keys it lost.

    A demoted user may have copied keys while they held them: rotating the
    levels they lost means those copies open nothing stored or re-sealed
    afterwards. Values they could read before are to be treated as known.
    """
    acting = actor or archive.current_user()
    require(acting, "admin")
    keyring = _load_ring(archive)
    old_role = archive.users.get(name).role
    user = archive.users.set_role(name, role, actor=acting)
    if name in keyring.users():
        keyring.revoke(name, [p for p in keyring.slot(name).grants if p not in (DATA, NEXT_DATA)])
        keyring.grant(name, grants_for_role(role, archive.keys))
        _save_signed(archive, keyring)
    if lost := lost_levels(old_role, role):
        rotate_field_keys(archive, lost, actor=acting, progress=progress)
    return user


def deactivate(
    archive: Archive, name: str, *, actor: User | None = None, progress: Progress | None = None
) -> User:
    """Mark a user inactive, delete their key slot and rotate the field keys they held.

    Rotate the data key afterwards (``rekey``) if they may have kept a copy of the folder.
    """
    acting = actor or archive.current_user()
    require(acting, "admin")
    if name == acting.name:
        raise UsageError("an admin cannot deactivate themselves")
    keyring = _load_ring(archive)
    old_role = archive.users.get(name).role
    user = archive.users.set_active(name, False, actor=acting)
    if name in keyring.users():
        keyring.remove_slot(name)
        _save_signed(archive, keyring)
    if lost := lost_levels(old_role, None):
        rotate_field_keys(archive, lost, actor=acting, progress=progress)
    return user


def rotate_field_keys(
    archive: Archive,
    levels: tuple[str, ...] | list[str] = FIELD_KEYS,
    *,
    actor: User | None = None,
    progress: Progress | None = None,
) -> int:
    """New field keys for ``levels``, every value re-sealed, the keys sealed only to entitled slots.

    Order, so that every value stays readable whatever is interrupted:
    (1) pin the current keys' ids in the database; (2) seal new key and
    old key (as ``<level>.prev``) to each entitled slot and save the signed
    ring; (3) one transaction re-seals every value, moves the pinned id to
    the new key and appends the audit event; (4) drop ``.prev`` and save.
    An exception in (3) rolls the values back and restores the ring; a crash
    between (3) and (4) is resolved at unlock by the pinned id
    (``session.resolve_field_keys``). Returns how many values were re-sealed.
    """
    acting = actor or archive.current_user()
    require(acting, "admin")
    levels = tuple(lvl for lvl in FIELD_KEYS if lvl in levels)
    keyring = _load_ring(archive)
    old = {lvl: archive.keys.get(lvl) for lvl in levels}
    new = {lvl: new_data_key() for lvl in levels}
    people = {u.name: u for u in archive.users.list()}
    with archive.engine.begin() as conn:
        pin_keys(conn, archive.keys)
    before = copy.deepcopy(keyring)
    holders: dict[str, list[str]] = {lvl: [] for lvl in levels}
    for slot in keyring.slots:
        if slot.version == 1:
            continue
        user = people.get(slot.user)
        for lvl in levels:
            keyring.revoke(slot.user, [lvl, lvl + PREV])
            if user is not None and user.active and lvl in readable_levels(user.role):
                keyring.grant(slot.user, {lvl: new[lvl], lvl + PREV: old[lvl]})
                holders[lvl].append(slot.user)
    _save_signed(archive, keyring)
    try:
        with archive.engine.begin() as conn:
            count, sealed = archive.protected.reseal(conn, old, new, progress)
            for lvl in levels:
                set_meta(conn, FIELD_KEY_META.format(lvl), key_id(new[lvl]))
            archive.audit.append(
                conn,
                actor=acting.name,
                action="key.rotate_fields",
                record_type="archive",
                record_id=None,
                after={
                    "levels": list(levels),
                    "values": count,
                    "ciphertexts_sha256": sealed,
                    "holders": holders,
                },
            )
    except BaseException:
        before.save(_keyring_path(archive))
        raise
    archive.keys.keys.update(new)
    for slot in keyring.slots:
        keyring.revoke(slot.user, [lvl + PREV for lvl in levels])
    _save_signed(archive, keyring)
    return count


def change_passphrase(archive: Archive, old: str, new: str) -> None:
    """Rewrap the unlocking user's own slot; nothing in the database is re-encrypted."""
    keyring = _load_ring(archive)
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
    if archive.engine.dialect.name != "sqlite":
        raise UsageError(
            "the data key encrypts only the embedded database; a PostgreSQL archive's rows are "
            "protected by the server (use --fields to rotate the field keys)"
        )
    path = _keyring_path(archive)
    keyring = _load_ring(archive)
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
    _save_signed(archive, keyring)
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
