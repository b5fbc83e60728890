"""The Archive facade: open or create an archive, then reach its parts by name.

An archive on disk is a folder holding ``archive.db`` (SQLCipher-encrypted
SQLite: documents, originals, proposals, everything) and ``keyring.json``
(the data key wrapped per passphrase). Originals live inside the encrypted
database rather than beside it, so that one transaction covers a document and
its bytes and nothing is ever stored in the clear.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import DatabaseError

from attest.archive.documents import DocumentStore
from attest.archive.engine import make_engine, sqlcipher_url
from attest.archive.proposals import ProposalStore
from attest.archive.schema import meta
from attest.errors import ArchiveExists, ArchiveNotFound, NotAnArchive
from attest.secure.keys import Keyring, new_data_key

DB_NAME = "archive.db"
KEYRING_NAME = "keyring.json"
MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migrations (a no-op when it is current).

    Each area (secure, review, link, ...) keeps its own migration branch off
    the initial revision, so ``heads`` (plural) applies them all.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")


def schema_heads(engine: Engine) -> tuple[str, ...]:
    """The migration revisions the database is at (empty for a blank database)."""
    with engine.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


class Archive:
    """An open archive. Parts: ``documents``, ``proposals``."""

    def __init__(self, engine: Engine, *, user: str, location: str) -> None:
        self.engine = engine
        self.user = user
        self.location = location
        self.documents = DocumentStore(engine)
        self.proposals = ProposalStore(engine)

    # -- creating and opening ------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, passphrase: str, *, user: str = "owner") -> Archive:
        """Make a new encrypted archive folder at ``path``; refuse to overwrite one."""
        path = Path(path)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ArchiveExists(f"{path} already exists and is not an empty folder")
        created_dir = not path.exists()
        path.mkdir(parents=True, exist_ok=True)
        try:
            keyring = Keyring()
            data_key = new_data_key()
            keyring.add_slot(user, passphrase, data_key)
            engine = make_engine(sqlcipher_url(path / DB_NAME, data_key))
            upgrade_schema(engine)
            with engine.begin() as conn:
                conn.execute(
                    insert(meta),
                    [
                        {"key": "created_at", "value": datetime.now(UTC).isoformat()},
                        {"key": "created_by", "value": user},
                        {"key": "format", "value": "attest-archive/1"},
                    ],
                )
            keyring.save(path / KEYRING_NAME)
        except BaseException:
            if created_dir:
                shutil.rmtree(path, ignore_errors=True)
            else:
                for child in path.iterdir():
                    child.unlink()
            raise
        return cls(engine, user=user, location=str(path))

    @classmethod
    def open(cls, path: str | Path, passphrase: str, *, user: str | None = None) -> Archive:
        """Unlock the archive at ``path``; clear errors for every way this can fail."""
        path = Path(path)
        if not path.exists():
            raise ArchiveNotFound(f"no archive at {path}")
        if not path.is_dir() or not (path / KEYRING_NAME).is_file():
            raise NotAnArchive(f"{path} is not an attest archive (no {KEYRING_NAME} in it)")
        if not (path / DB_NAME).is_file():
            raise NotAnArchive(f"{path} is not an attest archive (no {DB_NAME} in it)")
        keyring = Keyring.load(path / KEYRING_NAME)
        slot_user, data_key = keyring.unlock(passphrase, user)
        engine = make_engine(sqlcipher_url(path / DB_NAME, data_key))
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
            if not schema_heads(engine):
                raise NotAnArchive(f"{path / DB_NAME} holds no attest schema")
            upgrade_schema(engine)
        except DatabaseError as exc:
            engine.dispose()
            raise NotAnArchive(
                f"{path / DB_NAME} is damaged or was not made with this key ring ({str(exc.orig).strip()})"
            ) from exc
        return cls(engine, user=slot_user, location=str(path))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def info(self) -> dict[str, str]:
        """Archive metadata (creation time, format) as stored in ``meta``."""
        with self.engine.connect() as conn:
            rows = conn.execute(meta.select()).all()
        return {r.key: r.value for r in rows}
