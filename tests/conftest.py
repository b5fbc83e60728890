"""Shared fixtures: a fresh archive, the CLI, paths to samples and the seed.

``archive`` is made on the embedded default unless ``database_url`` is
overridden: tests/test_postgres.py overrides it with ``postgres_database`` so
the same test bodies run on PostgreSQL (one test body, every backend).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from attest.archive import Archive
from attest.archive.engine import PASSWORD_ENV

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED_DIR = SHARED / "seeds"
SEED_TEXT = SEED_DIR / "000_3fec5d57c772f8e3.txt"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def seed_text() -> str:
    if not SEED_TEXT.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    return SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive"


@pytest.fixture
def database_url() -> str | None:
    """Where ``archive`` keeps its rows: None is the encrypted ``archive.db`` in the folder."""
    return None


@pytest.fixture
def archive(archive_path: Path, database_url: str | None) -> Iterator[Archive]:
    with Archive.create(archive_path, PASSPHRASE, database_url=database_url) as arch:
        yield arch


POSTGRES_ENV = "ATTEST_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the test server: skipped when none is named, a failure when unreachable.

    CI names one, so a server that did not start must fail the run, never skip it.
    """
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"set {POSTGRES_ENV}")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect is the same failure here
        engine.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but unreachable: {exc}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_database(postgres_server: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database for one test (its URL, without password), dropped afterwards."""
    name = f"attest_test_{uuid.uuid4().hex[:16]}"
    with postgres_server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_server.url.set(database=name)
    if url.password:  # the archive refuses to store a password: hand it over as attest would get it
        monkeypatch.setenv(PASSWORD_ENV, str(url.password))
        url = url.set(password=None)
    try:
        yield make_url(url).render_as_string(hide_password=False)
    finally:
        with postgres_server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``attest`` in-process with ATTEST_PASSPHRASE set; returns code and output."""
    from attest.cli import main

    monkeypatch.setenv("ATTEST_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("ATTEST_ARCHIVE", raising=False)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
