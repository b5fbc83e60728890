"""Database engines chosen by URL, so callers never care which database it is.

The embedded default is one SQLCipher file keyed with the archive's raw data
key (``x'..'`` form: no passphrase stretching inside SQLCipher, that is done
once by the key ring). A PostgreSQL URL gives a plain engine; a team server
protects data at rest with its own disk encryption plus attest's field-level
encryption.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event


def sqlcipher_url(db_path: Path, key: bytes) -> URL:
    """URL for SQLAlchemy's pysqlcipher dialect with a raw 256-bit key."""
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_path))


def make_engine(url: URL | str) -> Engine:
    """An engine for any supported URL, with the settings attest relies on."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.close()

    return engine
