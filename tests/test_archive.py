"""Creating, opening and protecting the archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from attest.archive import Archive
from attest.archive.archive import DB_NAME, KEYRING_NAME, MIGRATIONS, schema_heads
from attest.archive.schema import metadata
from attest.errors import ArchiveExists, ArchiveNotFound, NotAnArchive, WrongPassphrase

from .conftest import PASSPHRASE


def test_create_then_open(archive_path: Path) -> None:
    with Archive.create(archive_path, PASSPHRASE, user="amina") as arch:
        assert arch.info()["format"] == "attest-archive/1"
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert arch.user == "amina"
        assert arch.documents.count() == 0
    assert (archive_path / DB_NAME).is_file()
    assert (archive_path / KEYRING_NAME).is_file()


def test_wrong_passphrase_is_refused(archive: Archive, archive_path: Path) -> None:
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        Archive.open(archive_path, "not the passphrase")


def test_missing_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveNotFound, match="no archive at"):
        Archive.open(tmp_path / "nowhere", PASSPHRASE)


def test_folder_that_is_not_an_archive(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotAnArchive):
        Archive.open(tmp_path, PASSPHRASE)
    with pytest.raises(NotAnArchive):
        Archive.open(tmp_path / "notes.txt", PASSPHRASE)


def test_damaged_database_is_named(archive: Archive, archive_path: Path) -> None:
    archive.close()
    db = archive_path / DB_NAME
    data = bytearray(db.read_bytes())
    data[: len(data) // 2] = b"\x00" * (len(data) // 2)
    db.write_bytes(bytes(data))
    with pytest.raises(NotAnArchive, match="damaged"):
        Archive.open(archive_path, PASSPHRASE)


def test_damaged_keyring_is_named(archive: Archive, archive_path: Path) -> None:
    (archive_path / KEYRING_NAME).write_text("{not json")
    with pytest.raises(NotAnArchive, match="key ring"):
        Archive.open(archive_path, PASSPHRASE)


def test_init_refuses_to_overwrite(archive: Archive, archive_path: Path) -> None:
    with pytest.raises(ArchiveExists):
        Archive.create(archive_path, PASSPHRASE)
    # the existing archive still opens
    with Archive.open(archive_path, PASSPHRASE) as arch:
        assert arch.info()["created_by"] == "owner"


def test_database_is_not_plain_sqlite(archive: Archive, archive_path: Path) -> None:
    header = (archive_path / DB_NAME).read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


def test_migrations_build_the_declared_schema(archive: Archive) -> None:
    script = ScriptDirectory(str(MIGRATIONS))
    assert set(schema_heads(archive.engine)) == set(script.get_heads())
    inspector = inspect(archive.engine)
    for table in metadata.sorted_tables:
        built = {c["name"] for c in inspector.get_columns(table.name)}
        assert built == {c.name for c in table.columns}, table.name
