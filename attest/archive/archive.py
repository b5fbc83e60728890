"""The Archive facade: open or create an archive, then reach its parts by name.

An archive on disk is a folder holding ``archive.db`` (SQLCipher-encrypted
SQLite: documents, originals, proposals, everything) and ``keyring.json``
(the data key wrapped per passphrase). Originals live inside the encrypted
database rather than beside it, so that one transaction covers a document and
its bytes and nothing is ever stored in the clear.

A team archive keeps the same folder but ``database.json`` (the server's URL,
never its password) in place of ``archive.db``: the key ring still lives with
the people, the rows on the PostgreSQL server.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, Engine, insert
from sqlalchemy.exc import DatabaseError, DBAPIError

from attest.archive.documents import DocumentStore
from attest.archive.engine import (
    connect_url,
    load_server_config,
    make_engine,
    save_server_config,
    server_url,
    sqlcipher_url,
)
from attest.archive.proposals import ProposalStore
from attest.archive.schema import meta
from attest.errors import ArchiveExists, ArchiveNotFound, NotAnArchive
from attest.secure.audit import AuditLog
from attest.secure.fields import ProtectedFieldStore
from attest.secure.keys import DATA, ORIGINALS, Keyring, SessionKeys
from attest.secure.session import (
    new_keyring,
    open_engine,
    open_server_engine,
    protect_ring,
    register_creator,
    upgrade_legacy,
)
from attest.secure.sources import SourceStore
from attest.secure.users import User, UserStore

DB_NAME = "archive.db"
KEYRING_NAME = "keyring.json"
SERVER_NAME = "database.json"
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


def _server_engine_for_create(url: URL) -> Engine:
    """An engine on the server database a new archive goes to, which must hold no archive yet."""
    engine = make_engine(connect_url(url))
    where = url.render_as_string(hide_password=True)
    try:
        heads = schema_heads(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise NotAnArchive(f"cannot reach {where} ({str(exc.orig).strip()})") from exc
    if heads:
        engine.dispose()
        raise ArchiveExists(f"{where} already holds an attest archive")
    return engine


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
    def create(
        cls, path: str | Path, passphrase: str, *, user: str = "owner", database_url: str | URL | None = None
    ) -> Archive:
        """Make a new archive folder at ``path``; refuse to overwrite one.

        Without ``database_url`` the rows go to an encrypted ``archive.db`` in
        the folder; with a PostgreSQL URL they go to that (empty) database and
        the folder records the URL in ``database.json``.
        """
        path = Path(path)
        server = server_url(database_url) if database_url else None
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise ArchiveExists(f"{path} already exists and is not an empty folder")
        created_dir = not path.exists()
        path.mkdir(parents=True, exist_ok=True)
        try:
            keyring, session = new_keyring(user, passphrase)
            if server is None:
                engine = make_engine(sqlcipher_url(path / DB_NAME, session.get(DATA)))
            else:
                engine = _server_engine_for_create(server)
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
            if server is not None:
                save_server_config(path / SERVER_NAME, server)
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
        server = (path / SERVER_NAME).is_file()
        if not server and not (path / DB_NAME).is_file():
            raise NotAnArchive(f"{path} is not an attest archive (no {DB_NAME} in it)")
        keyring = Keyring.load(path / KEYRING_NAME)
        session = keyring.unlock(passphrase, user)
        if server:
            url = load_server_config(path / SERVER_NAME)
            where = url.render_as_string(hide_password=True)
            engine = open_server_engine(url, keyring, session)
        else:
            where = str(path / DB_NAME)
            engine = open_engine(path / DB_NAME, path / KEYRING_NAME, keyring, session)
        try:
            if not schema_heads(engine):
                raise NotAnArchive(f"{where} holds no attest schema")
            upgrade_schema(engine)
        except DatabaseError as exc:
            engine.dispose()
            raise NotAnArchive(
                f"{where} is damaged or was not made with this key ring ({str(exc.orig).strip()})"
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
