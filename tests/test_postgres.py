"""One test body, every backend: existing archive tests re-run on PostgreSQL, plus its own checks.

The bodies of the modules in ``BODIES`` are collected here again under a
``pg_`` prefix, with ``database_url`` overridden, so their ``archive`` (and
what is built on it) lives in a fresh PostgreSQL database each time. They
skip with "set ATTEST_TEST_POSTGRES_URL" when no server is named and fail
when the named server cannot be reached (see ``postgres_server``).
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from attest.archive import Archive
from attest.archive.archive import DB_NAME, KEYRING_NAME, SERVER_NAME
from attest.errors import ArchiveExists, UsageError
from attest.secure import accounts
from attest.service.ingest import ingest_paths
from attest.service.search import SearchQuery, search

from .conftest import PASSPHRASE, SAMPLES
from .secure_helpers import fast_kdf  # noqa: F401 - autouse: cheap Argon2 in these tests

pytestmark = pytest.mark.postgres

# module -> test bodies left out, each for a reason that is about SQLite, not about the archive
BODIES: dict[str, set[str]] = {
    "tests.test_archive": {
        "test_create_then_open",  # asserts archive.db exists
        "test_missing_archive",  # no database involved
        "test_folder_that_is_not_an_archive",  # no database involved
        "test_damaged_database_is_named",  # damages archive.db
        "test_database_is_not_plain_sqlite",  # reads archive.db's header
    },
    "tests.test_ingest_archive": set(),
    "tests.test_review_service": {"test_segments_nest_and_clip"},  # pure function
    "tests.test_secure_audit": set(),
    "tests.test_secure_at_rest": {"test_no_clear_text_in_any_file_while_open_and_after"},  # the WAL file
    "tests.test_link_store": {"test_clusters_of_joins_transitively"},  # pure function
    "tests.test_stats_service": {"test_parse_when", "test_parse_published"},  # pure functions
    "tests.test_api_review": set(),
}


def _collect(module_name: str, left_out: set[str]) -> None:
    """Bring a module's test bodies (prefixed) and its fixtures (as named) into this module."""
    module = import_module(module_name)
    for name, obj in vars(module).items():
        if type(obj).__name__ == "FixtureFunctionDefinition" and name not in globals():
            globals()[name] = obj
        elif name.startswith("test_") and callable(obj) and name not in left_out:
            globals()[f"test_pg_{module_name.removeprefix('tests.test_')}__{name[5:]}"] = obj


for _module, _left_out in BODIES.items():
    _collect(_module, _left_out)


@pytest.fixture
def database_url(postgres_database: str) -> str:
    """Every ``archive`` in this module lives in a fresh PostgreSQL database."""
    return postgres_database


# -- PostgreSQL's own checks ------------------------------------------------------------------
def test_folder_names_the_database_and_holds_no_password(archive: Archive, archive_path: Path) -> None:
    assert archive.engine.dialect.name == "postgresql"
    assert sorted(p.name for p in archive_path.iterdir()) == [SERVER_NAME, KEYRING_NAME]
    assert not (archive_path / DB_NAME).exists()
    config = json.loads((archive_path / SERVER_NAME).read_text())
    assert config["url"].startswith("postgresql+psycopg://")
    with Archive.open(archive_path, PASSPHRASE) as reopened:
        assert reopened.info()["created_by"] == "owner"


def test_cli_init_by_url_and_env(
    cli,  # noqa: ANN001
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = cli("init", tmp_path / "a", "--database-url", database_url)
    assert run.code == 0, run.err
    assert "PostgreSQL" in run.out
    # the same database again, now named by the environment: refused, it already holds an archive
    monkeypatch.setenv("ATTEST_DATABASE_URL", database_url)
    again = cli("init", tmp_path / "b")
    assert again.code != 0
    assert "already holds an attest archive" in again.err + again.out
    assert not (tmp_path / "b").exists()
    assert cli("--archive", tmp_path / "a", "users", "list").code == 0


def test_second_archive_on_the_same_database_is_refused(
    archive: Archive, database_url: str, tmp_path: Path
) -> None:
    with pytest.raises(ArchiveExists):
        Archive.create(tmp_path / "second", PASSPHRASE, database_url=database_url)
    assert not (tmp_path / "second").exists()


def test_password_in_the_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="ATTEST_DATABASE_PASSWORD"):
        Archive.create(tmp_path / "a", PASSPHRASE, database_url="postgresql+psycopg://u:secret@127.0.0.1/db")
    assert not (tmp_path / "a").exists()


def test_search_index_is_postgres_text_search(archive: Archive) -> None:
    names = {ix["name"] for ix in inspect(archive.engine).get_indexes("documents")}
    assert "ix_documents_fts" in names
    with archive.engine.connect() as conn:
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text(
                    "EXPLAIN SELECT id FROM documents d WHERE "
                    "to_tsvector('simple', coalesce(d.title, '') || ' ' || d.clean_text) "
                    "@@ plainto_tsquery('simple', 'x')"
                )
            )
        )
    assert "ix_documents_fts" in plan


def test_search_words_facets_and_snippets(archive: Archive) -> None:
    report = ingest_paths(archive, [SAMPLES])
    assert not report.failed
    added = archive.documents.count()
    owner = archive.current_user()
    every = search(archive, owner, SearchQuery())
    assert every.total_documents == added
    assert set(every.facets) >= {"status", "year", "place", "facility", "violation"}
    word = every.documents[0]["snippet"].split()[0].strip(".,;:\"'()")
    found = search(archive, owner, SearchQuery(q=word.upper()))
    assert found.total_documents >= 1
    assert any("[[" in d["snippet"] for d in found.documents)
    assert set(found.documents[0]) >= {"id", "title", "filename", "status", "snippet"}
    dated = search(archive, owner, SearchQuery(date_from="1900-01-01", date_to="2999-12-31"))
    assert dated.total_documents == added
    assert search(archive, owner, SearchQuery(q="zzqqxxnothing")).total_documents == 0


def test_rekey_rotates_only_field_keys(archive: Archive, archive_path: Path, cli) -> None:  # noqa: ANN001
    with pytest.raises(UsageError, match="embedded database"):
        accounts.rekey(archive)
    assert cli("--archive", archive_path, "rekey").code != 0
    run = cli("--archive", archive_path, "rekey", "--fields")
    assert run.code == 0, run.err
    with Archive.open(archive_path, PASSPHRASE) as reopened:
        assert reopened.current_user().role == "admin"
