"""Key slots: several passphrases, role-limited grants, passphrase change, data-key rotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attest.archive import Archive
from attest.archive.archive import DB_NAME, KEYRING_NAME
from attest.errors import NotAnArchive, WrongPassphrase
from attest.secure import accounts
from attest.secure.keys import DATA, NEXT_DATA, SIGNING, Keyring, new_data_key
from attest.secure.roles import PermissionDenied

from .conftest import PASSPHRASE
from .secure_helpers import (
    PASSPHRASES,
    add_team,
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    open_as,
)


def test_each_user_unlocks_with_their_own_passphrase(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    archive.close()
    for name in PASSPHRASES:
        with open_as(archive_path, name) as arch:
            assert arch.current_user().name == name
    # without --user the passphrase finds its own slot
    with Archive.open(archive_path, PASSPHRASES["ana"]) as arch:
        assert arch.user == "ana"
    with pytest.raises(WrongPassphrase, match="'vera'"):
        Archive.open(archive_path, PASSPHRASES["ana"], user="vera")


def test_slots_hold_only_the_keys_their_role_may_use(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    archive.close()
    held = {}
    for name in PASSPHRASES:
        with open_as(archive_path, name) as arch:
            held[name] = set(arch.keys.keys)
    with Archive.open(archive_path, PASSPHRASE) as arch:
        held["owner"] = set(arch.keys.keys)
    assert held["vera"] == {"data", "originals"}
    assert held["rafael"] == {"data", "originals", "restricted"}
    assert held["ana"] == {"data", "originals", "restricted", "confidential"}
    assert held["owner"] == {"data", "originals", "restricted", "confidential", "signing"}


def test_viewer_key_cannot_open_confidential_grant(archive: Archive, archive_path: Path) -> None:
    """The grants in the ring are sealed to each user; a viewer's slot simply has none to open."""
    add_team(archive)
    ring = json.loads((archive_path / KEYRING_NAME).read_text())
    vera = next(s for s in ring["slots"] if s["user"] == "vera")
    assert set(vera["grants"]) == {"data", "originals"}
    with open_as(archive_path, "vera") as arch, pytest.raises(PermissionDenied, match="confidential"):
        arch.keys.get("confidential")


def test_passwd_changes_only_the_wrapping(archive: Archive, archive_path: Path) -> None:
    archive.sources.add("person", protected={"name": "Gulnara Sample"})
    data_key = archive.keys.get(DATA)
    accounts.change_passphrase(archive, PASSPHRASE, "a brand new passphrase")
    archive.close()
    with pytest.raises(WrongPassphrase):
        Archive.open(archive_path, PASSPHRASE)
    with Archive.open(archive_path, "a brand new passphrase") as arch:
        assert arch.keys.get(DATA) == data_key  # same data key: nothing was re-encrypted
        assert arch.sources.get(1, reveal=True).protected["name"] == "Gulnara Sample"
        with pytest.raises(WrongPassphrase, match="current passphrase"):
            accounts.change_passphrase(arch, "not it", "x")


def test_rekey_rotates_the_data_key_for_every_slot(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    archive.sources.add("person", protected={"name": "Mihrigul Rotation"})
    old_key = archive.keys.get(DATA)
    accounts.rekey(archive)
    for name in PASSPHRASES:
        with open_as(archive_path, name) as arch:
            assert arch.keys.get(DATA) != old_key
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert arch.sources.get(1, reveal=True).protected["name"] == "Mihrigul Rotation"
        assert arch.audit.verify().ok
        assert any(e.action == "key.rotate" for e in arch.audit.events())
    # a copy of the old data key no longer opens the database
    from attest.archive.engine import make_engine, sqlcipher_url
    from attest.secure.session import _opens

    assert not _opens(make_engine(sqlcipher_url(archive_path / DB_NAME, old_key)))


def test_interrupted_rotation_is_completed_at_next_unlock(archive: Archive, archive_path: Path) -> None:
    """Crash after PRAGMA rekey but before the ring was finalised: data.next opens it."""
    new_key = new_data_key()
    keyring = Keyring.load(archive_path / KEYRING_NAME)
    keyring.grant("owner", {NEXT_DATA: new_key})
    keyring.sign(archive.keys.get(SIGNING))  # step (1) of a rotation is made by an admin
    keyring.save(archive_path / KEYRING_NAME)
    with archive.engine.connect() as conn:
        conn.exec_driver_sql(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    archive.close()
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert arch.keys.get(DATA) == new_key
        assert arch.documents.count() == 0
    slot = Keyring.load(archive_path / KEYRING_NAME).slot("owner")
    assert NEXT_DATA not in slot.grants
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert arch.keys.get(DATA) == new_key


def test_only_admin_manages_users_and_keys(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    archive.close()
    with open_as(archive_path, "ana") as arch:
        with pytest.raises(PermissionDenied):
            accounts.add_user(arch, "mallory", "admin", "whatever")
        with pytest.raises(PermissionDenied):
            accounts.rekey(arch)
        with pytest.raises(PermissionDenied):
            accounts.set_role(arch, "ana", "admin")
    assert "mallory" not in Keyring.load(archive_path / KEYRING_NAME).users()


def test_role_change_reseals_grants(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    accounts.set_role(archive, "vera", "analyst")
    accounts.set_role(archive, "ana", "viewer")
    with open_as(archive_path, "vera") as arch:
        assert arch.keys.has("confidential")
    with open_as(archive_path, "ana") as arch:
        assert not arch.keys.has("confidential") and not arch.keys.has("restricted")


def test_deactivated_user_loses_their_slot(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    accounts.deactivate(archive, "rafael")
    with pytest.raises(WrongPassphrase):
        open_as(archive_path, "rafael")
    assert not archive.users.get("rafael").active


def test_truncated_database_is_a_clear_error(archive: Archive, archive_path: Path) -> None:
    archive.sources.add("person", protected={"name": "Truncation Test"})
    archive.close()
    db = archive_path / DB_NAME
    db.write_bytes(db.read_bytes()[:1000])
    with pytest.raises(NotAnArchive, match="damaged"):
        Archive.open(archive_path, PASSPHRASE)


def test_one_flipped_byte_in_the_database_is_detected(archive: Archive, archive_path: Path) -> None:
    archive.sources.add("person", protected={"name": "Flip Test"})
    archive.close()
    db = archive_path / DB_NAME
    data = bytearray(db.read_bytes())
    data[100] ^= 0x01  # inside page 1: SQLCipher's per-page HMAC fails
    db.write_bytes(bytes(data))
    with pytest.raises(NotAnArchive, match="damaged"):
        Archive.open(archive_path, PASSPHRASE)


def test_altered_key_slot_is_a_wrong_passphrase_not_a_crash(archive: Archive, archive_path: Path) -> None:
    ring = json.loads((archive_path / KEYRING_NAME).read_text())
    wrapped = bytearray(ring["slots"][0]["wrapped"].encode())
    wrapped[5] = ord("A") if wrapped[5] != ord("A") else ord("B")
    ring["slots"][0]["wrapped"] = wrapped.decode()
    (archive_path / KEYRING_NAME).write_text(json.dumps(ring))
    with pytest.raises(WrongPassphrase):
        Archive.open(archive_path, PASSPHRASE)


def test_legacy_v1_keyring_is_upgraded_on_first_unlock(tmp_path: Path) -> None:
    """Archives made before key pairs existed still open, and gain field keys."""
    import base64
    import os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from attest.archive.engine import make_engine, sqlcipher_url
    from attest.archive.schema import meta
    from attest.secure.keys import DEFAULT_KDF, derive_key

    path = tmp_path / "old"
    path.mkdir()
    data_key = new_data_key()
    engine = make_engine(sqlcipher_url(path / DB_NAME, data_key))
    from attest.archive.archive import upgrade_schema

    with engine.begin() as conn:  # the 0001 schema plus its meta, as the old code left it
        from alembic import command
        from alembic.config import Config

        from attest.archive.archive import MIGRATIONS

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            meta.insert(), [{"key": "created_by", "value": "elder"}, {"key": "format", "value": "x"}]
        )
    engine.dispose()
    salt, nonce = os.urandom(16), os.urandom(12)
    wrapped = AESGCM(derive_key("old pass", salt, DEFAULT_KDF)).encrypt(nonce, data_key, b"elder")
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    ring = {"version": 1, "kdf": DEFAULT_KDF, "slots": [
        {"user": "elder", "salt": b64(salt), "nonce": b64(nonce), "wrapped": b64(wrapped)}]}  # fmt: skip
    (path / KEYRING_NAME).write_text(json.dumps(ring))
    with Archive.open(path, "old pass") as arch:
        assert arch.current_user().role == "admin"
        assert arch.keys.has("confidential") and arch.keys.has("signing")
        arch.sources.add("person", protected={"name": "After Upgrade"})
    with Archive.open(path, "old pass") as arch:
        assert arch.sources.get(1, reveal=True).protected["name"] == "After Upgrade"
    assert Keyring.load(path / KEYRING_NAME).slot("elder").version == 2
    assert upgrade_schema  # imported for the migration path above
