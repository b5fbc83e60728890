"""Key-ring integrity (signed slots and ring) and field-key rotation after demotion or deactivation."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select, text

from attest.archive import Archive
from attest.archive.archive import KEYRING_NAME
from attest.errors import NotAnArchive
from attest.secure import accounts, fields
from attest.secure.crypto import TamperedData, unseal
from attest.secure.integrity import verify_originals
from attest.secure.keys import FIELD_KEYS, Keyring
from attest.secure.schema import protected_fields
from attest.secure.session import SIGNER_META
from attest.service.ingest import ingest_uploads

from .conftest import PASSPHRASE
from .secure_helpers import (
    add_team,
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    open_as,
)

VALUES = {
    ("person", "1", "name"): ("Ilham Restricted", "restricted"),
    ("person", "1", "contact"): ("+86 555 0101", "confidential"),
    ("person", "2", "name"): ("Gulshan Confidential", "confidential"),
    ("source", "7", "name"): ("Rahima Restricted", "restricted"),
}


def _ring(path: Path) -> dict:
    return json.loads((path / KEYRING_NAME).read_text())


def _write_ring(path: Path, ring: dict) -> None:
    (path / KEYRING_NAME).write_text(json.dumps(ring))


def _slot(ring: dict, user: str) -> dict:
    return next(s for s in ring["slots"] if s["user"] == user)


def _store_values(archive: Archive) -> None:
    for (rtype, rid, field), (value, level) in VALUES.items():
        archive.protected.put(rtype, rid, field, value, level)


def _all_values(archive: Archive) -> dict[tuple[str, str, str], str | None]:
    out = {}
    for rtype, rid, field in VALUES:
        out[(rtype, rid, field)] = archive.protected.for_record(rtype, rid)[field]
    return out


def _expected() -> dict[tuple[str, str, str], str]:
    return {k: v for k, (v, _) in VALUES.items()}


# -- key ring integrity ------------------------------------------------------------
def test_swapped_public_key_is_refused_and_nothing_is_resealed(archive: Archive, archive_path: Path) -> None:
    """The attack: swap vera's public key so the admin's next re-seal hands keys to the attacker."""
    add_team(archive)
    ring = _ring(archive_path)
    attacker = X25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    _slot(ring, "vera")["public"] = base64.b64encode(attacker).decode()
    _write_ring(archive_path, ring)
    tampered = (archive_path / KEYRING_NAME).read_bytes()
    with pytest.raises(NotAnArchive, match=r"key ring was altered: the slot of 'vera'"):
        accounts.set_role(archive, "vera", "analyst")
    assert (archive_path / KEYRING_NAME).read_bytes() == tampered  # nothing re-sealed
    assert archive.users.get("vera").role == "viewer"  # and the role not changed
    with pytest.raises(NotAnArchive, match="key ring was altered"):
        accounts.add_user(archive, "newcomer", "analyst", "newcomer passphrase")
    archive.close()
    with pytest.raises(NotAnArchive, match="'vera'"):
        Archive.open(archive_path, PASSPHRASE)
    with pytest.raises(NotAnArchive, match="key ring was altered"):  # non-admins check it too
        open_as(archive_path, "ana")


def test_a_grant_copied_between_slots_is_refused(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    archive.close()
    ring = _ring(archive_path)
    _slot(ring, "vera")["grants"]["confidential"] = _slot(ring, "ana")["grants"]["confidential"]
    _write_ring(archive_path, ring)
    with pytest.raises(NotAnArchive, match=r"slot of 'vera' \(its public key or sealed keys\)"):
        open_as(archive_path, "rafael")


def test_removed_replayed_or_resigned_ring_is_refused(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    old = _ring(archive_path)
    accounts.set_role(archive, "ana", "viewer")
    archive.close()
    current = _ring(archive_path)
    # an old, validly signed slot put back (ana as analyst): the ring signature no longer matches
    replayed = json.loads(json.dumps(current))
    replayed["slots"] = [_slot(old, "ana") if s["user"] == "ana" else s for s in current["slots"]]
    _write_ring(archive_path, replayed)
    with pytest.raises(NotAnArchive, match="list of slots"):
        Archive.open(archive_path, PASSPHRASE)
    # the signature stripped
    stripped = json.loads(json.dumps(current))
    stripped["signature"] = ""
    _write_ring(archive_path, stripped)
    with pytest.raises(NotAnArchive, match="signature was removed"):
        open_as(archive_path, "vera")
    # everything re-signed with an attacker's own key: the database pins the real signer
    _write_ring(archive_path, current)
    forged = Keyring.load(archive_path / KEYRING_NAME)
    seed = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    forged.signing_public = base64.b64encode(
        Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ).decode()
    forged.sign(seed)
    forged.save(archive_path / KEYRING_NAME)
    with pytest.raises(NotAnArchive, match="key ring was altered"):
        open_as(archive_path, "vera")
    _write_ring(archive_path, current)
    with open_as(archive_path, "vera") as arch:
        assert arch.current_user().role == "viewer"


def test_cli_names_the_altered_slot_with_exit_2(archive: Archive, archive_path: Path, cli) -> None:  # noqa: ANN001
    add_team(archive)
    archive.close()
    ring = _ring(archive_path)
    _slot(ring, "rafael")["grants"].pop("restricted")
    _write_ring(archive_path, ring)
    run = cli("--archive", archive_path, "users", "list")
    assert run.code == 2
    assert "key ring was altered" in run.err and "'rafael'" in run.err


def test_unsigned_ring_of_an_old_archive_is_signed_at_the_admins_unlock(
    archive: Archive, archive_path: Path
) -> None:
    """Archives from before signatures open; the first admin unlock signs the ring and pins the signer."""
    add_team(archive)
    with archive.engine.begin() as conn:
        conn.execute(text("DELETE FROM meta WHERE key = :k OR key LIKE 'field_key.%'"), {"k": SIGNER_META})
    archive.close()
    ring = _ring(archive_path)
    ring.pop("signature")
    for slot in ring["slots"]:
        slot.pop("signature")
    _write_ring(archive_path, ring)
    with open_as(archive_path, "vera") as arch:  # a non-admin cannot sign: it still opens
        assert arch.current_user().name == "vera"
    assert not _ring(archive_path).get("signature")
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert any(e.action == "key.ring_sign" for e in arch.audit.events())
    assert _ring(archive_path)["signature"]
    ring = _ring(archive_path)
    ring["signature"] = ""
    _write_ring(archive_path, ring)
    with pytest.raises(NotAnArchive, match="signature was removed"):
        open_as(archive_path, "vera")


# -- field-key rotation ------------------------------------------------------------
def _stolen_keys(path: Path, name: str) -> dict[str, bytes]:
    with open_as(path, name) as arch:
        return {lvl: arch.keys.get(lvl) for lvl in FIELD_KEYS if arch.keys.has(lvl)}


def _opens_any(archive: Archive, stolen: dict[str, bytes]) -> list[str]:
    """Every protected ciphertext that one of the stolen keys opens."""
    opened = []
    with archive.engine.connect() as conn:
        rows = conn.execute(select(protected_fields)).all()
    for row in rows:
        context = f"protected|{row.record_type}|{row.record_id}|{row.field}|{row.level}"
        for key in stolen.values():
            try:
                unseal(key, row.ciphertext, context)
                opened.append(f"{row.record_type} {row.record_id} {row.field}")
            except TamperedData:
                pass
    return opened


def test_demoted_analysts_old_keys_open_nothing_after_rotation(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    _store_values(archive)
    stolen = _stolen_keys(archive_path, "ana")
    assert set(stolen) == {"restricted", "confidential"}
    assert len(_opens_any(archive, stolen)) == len(VALUES)  # the test can fail: before, they open all
    accounts.set_role(archive, "ana", "viewer")
    archive.protected.put("person", "3", "name", "Stored After Rotation", "confidential")
    archive.protected.put("person", "3", "contact", "after@example.org", "restricted")
    assert _opens_any(archive, stolen) == []
    assert _all_values(archive) == _expected()
    archive.close()
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert _all_values(arch) == _expected()
        assert arch.protected.for_record("person", "3") == {
            "contact": "after@example.org",
            "name": "Stored After Rotation",
        }
        assert arch.audit.verify().ok
        rotation = [e for e in arch.audit.events() if e.action == "key.rotate_fields"]
        assert len(rotation) == 1
    with open_as(archive_path, "rafael") as arch:  # the reviewer keeps restricted, with the new key
        values = _all_values(arch)
        assert values[("person", "1", "name")] == "Ilham Restricted"
        assert values[("person", "2", "name")] is None
    ring = Keyring.load(archive_path / KEYRING_NAME)
    assert set(ring.slot("ana").grants) == {"data", "originals"}
    assert not any(p.endswith(".prev") for s in ring.slots for p in s.grants)


def test_deactivation_rotates_the_keys_they_held(archive: Archive, archive_path: Path) -> None:
    add_team(archive)
    _store_values(archive)
    stolen = _stolen_keys(archive_path, "rafael")
    accounts.deactivate(archive, "rafael")
    assert _opens_any(archive, stolen) == []
    archive.close()
    with open_as(archive_path, "ana") as arch:
        assert _all_values(arch) == _expected()


def test_interrupted_rotation_leaves_every_value_readable(
    archive: Archive, archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_team(archive)
    _store_values(archive)
    ring_before = (archive_path / KEYRING_NAME).read_bytes()
    real_seal, calls = fields.seal, []

    def failing_seal(key: bytes, plaintext: bytes, context: str) -> bytes:
        calls.append(context)
        if len(calls) == 2:
            raise RuntimeError("power cut mid-rotation")
        return real_seal(key, plaintext, context)

    monkeypatch.setattr(fields, "seal", failing_seal)
    with pytest.raises(RuntimeError, match="power cut"):
        accounts.rotate_field_keys(archive)
    monkeypatch.undo()
    assert (archive_path / KEYRING_NAME).read_bytes() == ring_before  # the ring was restored
    assert _all_values(archive) == _expected()
    archive.close()
    for opener in (lambda: Archive.open(archive_path, PASSPHRASE), lambda: open_as(archive_path, "ana")):
        with opener() as arch:
            assert _all_values(arch) == _expected()
            assert arch.audit.verify().ok


def test_crash_after_commit_or_before_ring_restore_is_resolved_at_unlock(
    archive: Archive, archive_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ring may hold both keys (new and .prev); the id pinned in the database picks the right one."""
    add_team(archive)
    _store_values(archive)
    real_save, saves = Keyring.save, []

    def crash_on_second_save(self: Keyring, path: Path) -> None:
        saves.append(path)
        if len(saves) == 2:
            raise KeyboardInterrupt  # after the values were committed, before .prev was dropped
        real_save(self, path)

    monkeypatch.setattr(Keyring, "save", crash_on_second_save)
    with pytest.raises(KeyboardInterrupt):
        accounts.rotate_field_keys(archive)
    monkeypatch.undo()
    assert any(p.endswith(".prev") for p in Keyring.load(archive_path / KEYRING_NAME).slot("ana").grants)
    archive.close()
    for name in ("ana", "rafael"):
        with open_as(archive_path, name) as arch:
            assert {k: v for k, v in _all_values(arch).items() if v} == {
                k: v for k, (v, lvl) in VALUES.items() if lvl in arch.keys.keys
            }
    # and the other way: the values rolled back but the ring kept the new keys
    with Archive.open(archive_path, PASSPHRASE) as arch:
        monkeypatch.setattr(fields, "seal", lambda *a: (_ for _ in ()).throw(RuntimeError("cut")))
        monkeypatch.setattr(Keyring, "save", crash_on_second_save)
        saves.clear()
        with pytest.raises((RuntimeError, KeyboardInterrupt)):
            accounts.rotate_field_keys(arch)
        monkeypatch.undo()
    with open_as(archive_path, "ana") as arch:
        assert _all_values(arch) == _expected()


def test_cli_rekey_fields_and_role_change(archive: Archive, archive_path: Path, cli) -> None:  # noqa: ANN001
    add_team(archive)
    _store_values(archive)
    stolen = _stolen_keys(archive_path, "ana")
    archive.close()
    run = cli("--archive", archive_path, "rekey", "--fields")
    assert run.code == 0, run.err
    assert f"{len(VALUES)} protected values re-sealed" in run.out
    run = cli("--archive", archive_path, "users", "role", "rafael", "viewer")
    assert run.code == 0 and "Rotated the restricted field keys" in run.out
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert _opens_any(arch, stolen) == []
        assert _all_values(arch) == _expected()
        assert arch.audit.verify().ok


def test_rekey_leaves_originals_and_protected_values_readable(archive: Archive, archive_path: Path) -> None:
    uploads = [("one.txt", b"Police detained three pastors."), ("two.txt", b"A lawyer was barred.")]
    ingest_uploads(archive, uploads)
    add_team(archive)
    _store_values(archive)
    accounts.rekey(archive)
    with Archive.open(archive_path, PASSPHRASE) as arch:
        report = verify_originals(arch)
        assert report.ok and report.checked == 2
        assert {arch.documents.original(i) for i in (1, 2)} == {content for _, content in uploads}
        assert _all_values(arch) == _expected()
        assert arch.audit.verify().ok
    with open_as(archive_path, "ana") as arch:
        assert _all_values(arch) == _expected()
