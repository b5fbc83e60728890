"""The audit chain: every write and protected read is an event; tampering is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, text, update

from attest.archive import Archive
from attest.secure.anchor import AnchorMismatch, check_anchor, load_anchor, make_anchor, write_anchor
from attest.secure.audit import AuditEvent, digest, verify_chain
from attest.secure.schema import audit_events

from .secure_helpers import fast_kdf  # noqa: F401 - autouse: cheap Argon2 in these tests


def _populate(archive: Archive) -> None:
    archive.users.add("vera", "viewer", password="pw for the web")
    source = archive.sources.add("person", protected={"name": "Ayjan Audit"})
    archive.sources.get(source, reveal=True)
    archive.protected.put("source", source, "contact", "+7 700 000", "confidential")


def test_writes_and_protected_reads_are_logged(archive: Archive) -> None:
    _populate(archive)
    actions = [e.action for e in archive.audit.events()]
    assert actions == [
        "user.add",
        "user.add",
        "source.add",
        "protected.write",
        "protected.read",
        "protected.write",
    ]
    check = archive.audit.verify()
    assert check.ok and check.count == 6


def test_events_hold_digests_not_values(archive: Archive) -> None:
    _populate(archive)
    dumped = json.dumps([e.model_dump() for e in archive.audit.events()])
    assert "Ayjan" not in dumped and "+7 700" not in dumped
    # nor the plain digest of the value: the log holds the ciphertext's digest
    assert digest("Ayjan Audit") not in dumped


@pytest.mark.parametrize(
    ("tamper", "broken", "reason"),
    [
        ("edit", 3, "edited"),
        ("delete", 3, "missing"),
        ("reorder", 3, "does not link"),
        ("relink", 4, "does not link"),
    ],
)
def test_tampering_is_detected_at_the_first_broken_event(
    archive: Archive, tamper: str, broken: int, reason: str
) -> None:
    _populate(archive)
    with archive.engine.begin() as conn:
        if tamper == "edit":
            conn.execute(update(audit_events).where(audit_events.c.seq == 3).values(actor="someone else"))
        elif tamper == "delete":
            conn.execute(delete(audit_events).where(audit_events.c.seq == 3))
        elif tamper == "reorder":  # swap events 3 and 4, keeping their sequence numbers in place
            rows = {
                r.seq: r._asdict()
                for r in conn.execute(audit_events.select().where(audit_events.c.seq.in_([3, 4])))
            }
            conn.execute(delete(audit_events).where(audit_events.c.seq.in_([3, 4])))
            for seq, other in ((3, 4), (4, 3)):
                conn.execute(audit_events.insert().values({**rows[other], "seq": seq}))
        elif tamper == "relink":  # rewrite event 3 completely with a valid own hash: 4 no longer links
            from attest.secure.audit import event_hash

            row = conn.execute(audit_events.select().where(audit_events.c.seq == 3)).one()._asdict()
            row["action"] = "nothing.happened"
            row["hash"] = event_hash(row)
            conn.execute(update(audit_events).where(audit_events.c.seq == 3).values(**row))
    check = archive.audit.verify()
    assert not check.ok
    assert check.broken_seq == broken
    assert reason in check.reason


def test_cli_audit_verify_names_the_broken_event(archive: Archive, archive_path: Path, cli) -> None:  # noqa: ANN001
    _populate(archive)
    assert cli("--archive", archive_path, "audit", "verify").code == 0
    with archive.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET record_id = '99' WHERE seq = 2"))
    run = cli("--archive", archive_path, "audit", "verify")
    assert run.code == 1
    assert "event 2" in run.err


def test_audit_export_writes_every_event(archive: Archive, archive_path: Path, cli, tmp_path: Path) -> None:  # noqa: ANN001
    _populate(archive)
    out = tmp_path / "audit.jsonl"
    assert cli("--archive", archive_path, "audit", "export", out).code == 0
    events = [AuditEvent.model_validate_json(line) for line in out.read_text().splitlines()]
    assert verify_chain(events).ok
    assert len(events) >= 6


def test_anchor_round_trip_and_extension(archive: Archive, tmp_path: Path) -> None:
    _populate(archive)
    anchor = write_anchor(archive, tmp_path / "anchor.json")
    archive.sources.add("organization")  # the log grows past the anchor: still extends it
    check_anchor(archive, load_anchor(tmp_path / "anchor.json"))
    assert anchor["count"] == 6


def test_anchor_detects_a_truncated_tail(archive: Archive) -> None:
    _populate(archive)
    anchor = make_anchor(archive)
    with archive.engine.begin() as conn:
        conn.execute(delete(audit_events).where(audit_events.c.seq >= 5))
    assert archive.audit.verify().ok  # the remaining chain is consistent...
    with pytest.raises(AnchorMismatch, match="removed"):  # ...but no longer reaches the anchor
        check_anchor(archive, anchor)


def test_anchor_detects_a_rebuilt_chain(archive: Archive) -> None:
    _populate(archive)
    anchor = make_anchor(archive)
    from attest.secure.audit import GENESIS, event_hash

    with archive.engine.begin() as conn:  # rewrite every event with valid hashes
        rows = [r._asdict() for r in conn.execute(audit_events.select().order_by(audit_events.c.seq))]
        conn.execute(delete(audit_events))
        prev = GENESIS
        for row in rows:
            row["actor"] = "forger"
            row["prev_hash"] = prev
            row["hash"] = prev = event_hash(row)
            conn.execute(audit_events.insert().values(**row))
    assert archive.audit.verify().ok
    with pytest.raises(AnchorMismatch, match="rewritten"):
        check_anchor(archive, anchor)


def test_forged_or_foreign_anchor_is_refused(archive: Archive, tmp_path: Path) -> None:
    _populate(archive)
    anchor = make_anchor(archive)
    with pytest.raises(AnchorMismatch, match="signature"):
        check_anchor(archive, {**anchor, "count": 1})
    other = Archive.create(tmp_path / "other", "another passphrase")
    with other:
        foreign = make_anchor(other)
    with pytest.raises(AnchorMismatch, match="signed by key"):
        check_anchor(archive, foreign)


def test_cli_anchor_and_verify(archive: Archive, archive_path: Path, cli, tmp_path: Path) -> None:  # noqa: ANN001
    _populate(archive)
    anchor_file = tmp_path / "head.json"
    run = cli("--archive", archive_path, "audit", "anchor", anchor_file)
    assert run.code == 0 and "Signing key" in run.out
    assert cli("--archive", archive_path, "audit", "verify", "--anchor", anchor_file).code == 0
    with archive.engine.begin() as conn:
        conn.execute(delete(audit_events).where(audit_events.c.seq >= 6))
    run = cli("--archive", archive_path, "audit", "verify", "--anchor", anchor_file)
    assert run.code == 1 and "removed" in run.err


def test_a_failed_write_leaves_no_event(archive: Archive) -> None:
    before = archive.audit.count()
    with pytest.raises(Exception, match="boom"), archive.engine.begin() as conn:
        archive.audit.append(conn, actor="owner", action="x", record_type="y", record_id=1)
        raise RuntimeError("boom")
    assert archive.audit.count() == before
