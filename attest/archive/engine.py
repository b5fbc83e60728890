"""Database engines chosen by URL, so callers never care which database it is.

The embedded default is one SQLCipher file keyed with the archive's raw data
key (``x'..'`` form: no passphrase stretching inside SQLCipher, that is done
once by the key ring). A PostgreSQL URL gives a plain engine; a team server
protects data at rest with its own disk encryption plus attest's field-level
encryption.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url

from attest.errors import NotAnArchive, UsageError

SERVER_DIALECTS = ("postgresql",)
PASSWORD_ENV = "ATTEST_DATABASE_PASSWORD"


def sqlcipher_url(db_path: Path, key: bytes) -> URL:
    """URL for SQLAlchemy's pysqlcipher dialect with a raw 256-bit key."""
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_path))


def server_url(url: URL | str) -> URL:
    """Check a team-server URL before it is stored: a supported dialect and no password in it.

    The URL is written to ``database.json`` beside the key ring, so a password
    in it would sit in the clear; libpq's own ``PGPASSWORD``/``~/.pgpass`` or
    ``ATTEST_DATABASE_PASSWORD`` supply it instead.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises several kinds for a bad URL
        raise UsageError(f"not a database URL: {url!s} ({exc})") from exc
    if parsed.get_backend_name() not in SERVER_DIALECTS:
        raise UsageError(
            f"unsupported database {parsed.get_backend_name()!r}: use postgresql+psycopg://user@host/db "
            "(or no URL for the embedded, encrypted default)"
        )
    if parsed.password is not None:
        raise UsageError(
            f"put the database password in {PASSWORD_ENV} or ~/.pgpass, not in the URL "
            "(the URL is saved in the archive folder)"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def connect_url(url: URL) -> URL:
    """The stored URL plus the password from ``ATTEST_DATABASE_PASSWORD`` when that is set."""
    password = os.environ.get(PASSWORD_ENV)
    return url.set(password=password) if password else url


def save_server_config(path: Path, url: URL) -> None:
    """Write ``database.json``: which server database this archive folder's key ring belongs to."""
    config = {"url": url.render_as_string(hide_password=False)}
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def load_server_config(path: Path) -> URL:
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
        return server_url(config["url"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotAnArchive(f"{path} is not a readable database setting ({exc})") from exc


def make_engine(url: URL | str) -> Engine:
    """An engine for any supported URL, with the settings attest relies on."""
    server = make_url(url).get_backend_name() in SERVER_DIALECTS
    # a team server may restart under a long-running web process: check connections before use
    engine = create_engine(url, pool_pre_ping=True) if server else create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys = ON")
            cur.execute("PRAGMA journal_mode = WAL")
            cur.close()

    return engine
