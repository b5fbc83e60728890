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
from sqlalchemy import Engine, insert
from sqlalchemy.exc import DatabaseError

from attest.archive.documents import DocumentStore
from attest.archive.engine import make_engine, sqlcipher_url
from attest.archive.proposals import ProposalStore
from attest.archive.schema import meta
from attest.errors import ArchiveExists, ArchiveNotFound, NotAnArchive
from attest.secure.audit import AuditLog
from attest.secure.fields import ProtectedFieldStore
from attest.secure.keys import DATA, ORIGINALS, Keyring, SessionKeys
from attest.secure.session import new_keyring, open_engine, protect_ring, register_creator, upgrade_legacy
from attest.secure.sources import SourceStore
from attest.secure.users import User, UserStore

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
    """An open archive. Parts: ``documents``, ``proposals``, ``users``, ``audit``, ``protected``, ``sources``.

    ``keys`` are the keys the unlocking user's slot holds (``attest.secure.keys``).
    """

    def __init__(self, engine: Engine, *, user: str, location: str, keys: SessionKeys | None = None) -> None:
        self.engine = engine
        self.user = user
        self.location = location
        self.keys = keys or SessionKeys(user, {})
        self.documents = DocumentStore(engine, originals_key=self.keys.keys.get(ORIGINALS))
        self.proposals = ProposalStore(engine)
        self.audit = AuditLog(engine)
        self.users = UserStore(engine, self.audit, self.current_user)
        self.protected = ProtectedFieldStore(engine, self.audit, self.keys, self.current_user)
        self.sources = SourceStore(engine, self.audit, self.protected, self.current_user)

    def current_user(self) -> User:
        """The user who unlocked the archive (read afresh: a role may have changed)."""
        return self.users.get(self.user)

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
            keyring, session = new_keyring(user, passphrase)
            engine = make_engine(sqlcipher_url(path / DB_NAME, session.get(DATA)))
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
                register_creator(conn, engine, user, session)
            keyring.save(path / KEYRING_NAME)
        except BaseException:
            if created_dir:
                shutil.rmtree(path, ignore_errors=True)
            else:
                for child in path.iterdir():
                    child.unlink()
            raise
        return cls(engine, user=user, location=str(path), keys=session)

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
        session = keyring.unlock(passphrase, user)
        engine = open_engine(path / DB_NAME, path / KEYRING_NAME, keyring, session)
        try:
            if not schema_heads(engine):
                raise NotAnArchive(f"{path / DB_NAME} holds no attest schema")
            upgrade_schema(engine)
        except DatabaseError as exc:
            engine.dispose()
            raise NotAnArchive(
                f"{path / DB_NAME} is damaged or was not made with this key ring ({str(exc.orig).strip()})"
            ) from exc
        if session.legacy:
            session = upgrade_legacy(keyring, path / KEYRING_NAME, passphrase, session)
        protect_ring(keyring, path / KEYRING_NAME, engine, session)
        return cls(engine, user=session.user, location=str(path), keys=session)

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
