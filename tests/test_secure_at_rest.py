"""What a seized laptop gives away: no protected value and no document text in any file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from attest.archive import Archive
from attest.archive.schema import originals
from attest.secure.schema import protected_fields
from attest.service.ingest import ingest_uploads

from .secure_helpers import (
    fast_kdf,  # noqa: F401 - autouse: cheap Argon2 in these tests
    raw_bytes_of_folder,
)

WITNESS = "Zhanargul Qasymbekovna"
CONTACT = "+86 139 0991 4477"
DOC_TEXT = (
    "Relatives of the detained teacher Erbolat Nurdauletuly said he was taken to the "
    "Beitun District psychiatric institute on 3 March and that guards demanded 18,000 yuan."
)

FRAGMENTS = [WITNESS, CONTACT, "Erbolat Nurdauletuly", "psychiatric institute", "18,000 yuan"]


def _forms(text: str) -> list[bytes]:
    """The encodings a value could be stored in (SQLite text is UTF-8; also check UTF-16)."""
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.lower().encode("utf-8")]


def _assert_absent(files: dict[str, bytes]) -> None:
    assert files, "no files to search"
    for name, data in files.items():
        for fragment in FRAGMENTS:
            for form in _forms(fragment):
                assert form not in data, f"{fragment!r} found in the clear in {name}"


def test_no_clear_text_in_any_file_while_open_and_after(archive: Archive, archive_path: Path) -> None:
    report = ingest_uploads(archive, [("testimony.txt", DOC_TEXT.encode("utf-8"))])
    assert report.results[0].status == "added"
    archive.sources.add("person", protected={"name": WITNESS, "contact": CONTACT})
    while_open = raw_bytes_of_folder(archive_path)
    assert any(n.endswith("-wal") for n in while_open), "expected a WAL file while the archive is open"
    _assert_absent(while_open)
    archive.close()
    _assert_absent(raw_bytes_of_folder(archive_path))


def test_originals_and_fields_are_sealed_inside_the_database(archive: Archive) -> None:
    """Second layer: even with the database key, originals and fields are AES-GCM ciphertext."""
    ingest_uploads(archive, [("testimony.txt", DOC_TEXT.encode("utf-8"))])
    archive.sources.add("person", protected={"name": WITNESS})
    with archive.engine.connect() as conn:
        stored_original = conn.execute(select(originals.c.content)).scalar_one()
        stored_field = conn.execute(select(protected_fields.c.ciphertext)).scalar_one()
    assert b"Erbolat" not in stored_original and stored_original.startswith(b"AT1G")
    assert WITNESS.encode() not in stored_field and stored_field.startswith(b"AT1G")
    assert archive.documents.original(1) == DOC_TEXT.encode("utf-8")
