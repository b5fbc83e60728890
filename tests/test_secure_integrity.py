"""Evidence integrity: `attest verify` re-hashes every original."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from attest.archive import Archive
from attest.archive.schema import originals
from attest.secure.crypto import seal
from attest.secure.integrity import verify_originals
from attest.service.ingest import ingest_uploads

from .secure_helpers import fast_kdf  # noqa: F401 - autouse: cheap Argon2 in these tests

UPLOADS = [
    ("one.txt", b"Police detained three pastors in Kunming."),
    ("two.txt", b"A lawyer was barred from visits."),
]


def test_verify_passes_then_names_the_altered_original(archive: Archive, archive_path: Path, cli) -> None:  # noqa: ANN001
    ingest_uploads(archive, UPLOADS)
    report = verify_originals(archive)
    assert report.ok and report.checked == 2
    assert cli("--archive", archive_path, "verify").code == 0
    sha = archive.documents.get(2).sha256
    # altered ciphertext: fails authentication
    with archive.engine.begin() as conn:
        stored = conn.execute(originals.select().where(originals.c.sha256 == sha)).one().content
        flipped = stored[:-1] + bytes([stored[-1] ^ 1])
        conn.execute(update(originals).where(originals.c.sha256 == sha).values(content=flipped))
    problems = verify_originals(archive).problems
    assert [(p.document_id, p.problem) for p in problems] == [(2, "original fails authentication (altered)")]
    run = cli("--archive", archive_path, "verify")
    assert run.code == 1 and "document 2" in run.err


def test_verify_catches_substituted_bytes_sealed_with_the_right_key(archive: Archive) -> None:
    """An insider holding the originals key re-seals different bytes: the SHA-256 no longer matches."""
    ingest_uploads(archive, UPLOADS[:1])
    sha = archive.documents.get(1).sha256
    forged = seal(archive.keys.get("originals"), b"Police released three pastors.", f"original|{sha}")
    with archive.engine.begin() as conn:
        conn.execute(update(originals).where(originals.c.sha256 == sha).values(content=forged))
    (problem,) = verify_originals(archive).problems
    assert problem.problem.startswith("SHA-256 is now")


def test_ingest_records_hash_time_and_user_and_an_audit_event(archive: Archive) -> None:
    ingest_uploads(archive, UPLOADS[:1])
    doc = archive.documents.get(1)
    assert doc.ingested_by == "owner" and doc.ingested_at is not None
    (event,) = [e for e in archive.audit.events() if e.action == "document.ingest"]
    assert event.record_id == "1" and event.actor == "owner"
