"""Full-text search over documents and records: SQLite FTS5, or PostgreSQL text search.

``documents_fts`` is an external-content index over ``documents`` kept in sync
by triggers (see migration r0002), so bulk loads straight into the table are
searchable at once. ``records_fts`` holds one row per confirmed record and is
written by the review service whenever a record is made or changed.

User input never reaches FTS5 syntax: each word is quoted, so ``"Beitun"``,
``AND`` or a stray ``*`` are searched for, not interpreted.

On PostgreSQL the same functions use ``to_tsvector('simple', ..)`` under GIN
expression indexes (migration r0002) and ``plainto_tsquery``, which reads the
quoted words as plain words; results have the same shape, ranked by
``ts_rank`` with ``ts_headline`` snippets. The ``simple`` configuration
lowercases but, unlike FTS5 here, keeps diacritics.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import Connection, text

_WORD = re.compile(r"\w+", re.UNICODE)
CACHE_KIB = 64 * 1024

# PostgreSQL: these must match the index expressions of migration r0002 exactly.
_PG_DOC_VECTOR = "to_tsvector('simple', coalesce(d.title, '') || ' ' || d.clean_text)"
_PG_REC_VECTOR = "to_tsvector('simple', name || ' ' || body)"
_PG_QUERY = "plainto_tsquery('simple', :match)"
_PG_HEADLINE = (
    "'StartSel=[[, StopSel=]], MaxWords={}, MinWords={}, MaxFragments=1, FragmentDelimiter=\" … \"'"
)


def _pg(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def date_text(dialect: str, alias: str = "d") -> str:
    """SQL for a document's date as text (published, else the ingest time), comparable as a string.

    SQLite stores the timestamp as ``YYYY-MM-DD HH:MM:SS..`` text already;
    PostgreSQL is given the same form, in UTC.
    """
    if dialect == "postgresql":
        return (
            f"coalesce({alias}.published, "
            f"to_char({alias}.ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))"
        )
    return f"coalesce({alias}.published, {alias}.ingested_at)"


def fts_query(q: str) -> str | None:
    """Quote each word of a user query for FTS5 (all words must match); None when empty."""
    words = _WORD.findall(q or "")
    if not words:
        return None
    return " ".join(f'"{w}"' for w in words[:16])


def index_record(conn: Connection, kind: str, record_id: int, name: str, body: str) -> None:
    """Replace the index entry of one record."""
    conn.execute(
        text("DELETE FROM records_fts WHERE kind = :k AND record_id = :i"), {"k": kind, "i": record_id}
    )
    conn.execute(
        text("INSERT INTO records_fts(kind, record_id, name, body) VALUES (:k, :i, :n, :b)"),
        {"k": kind, "i": record_id, "n": name, "b": body},
    )


def _hits(match: str | None, where: str, pg: bool = False) -> str:
    """SELECT of matching document ids (``id``) and their ``rank``, best first once ordered.

    Without document filters the full-text index alone answers; with them,
    documents are joined through the covering index ``ix_documents_facets``
    only, since reading the large document rows (one decrypted page each)
    is what makes a search slow.
    """
    if match is None:
        return f"SELECT d.id AS id, -d.id AS rank FROM documents d WHERE 1=1 {where}"
    if pg:
        return (
            f"SELECT d.id AS id, -ts_rank({_PG_DOC_VECTOR}, {_PG_QUERY}) AS rank FROM documents d "
            f"WHERE {_PG_DOC_VECTOR} @@ {_PG_QUERY} {where}"
        )
    if not where:
        return "SELECT rowid AS id, rank FROM documents_fts WHERE documents_fts MATCH :match"
    return (
        "SELECT d.id AS id, documents_fts.rank AS rank FROM documents_fts "
        "JOIN documents d INDEXED BY ix_documents_facets ON d.id = documents_fts.rowid "
        f"WHERE documents_fts MATCH :match {where}"
    )


def prepare(conn: Connection) -> None:
    """A page cache big enough for the search indexes (decrypted pages stay in memory); SQLite only."""
    if _pg(conn):
        return
    conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")


def match_documents(
    conn: Connection,
    match: str | None,
    *,
    where: str = "",
    params: dict[str, Any] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Matching documents, best first (bm25; newest first without words), with a snippet.

    ``where`` is extra SQL over the ``d`` (documents) alias, built by the
    service from whitelisted facets with bound parameters only. Ranking runs
    over ids alone; titles and snippets are read for the one page shown.
    """
    bound = {"match": match, "limit": limit, "offset": offset, **(params or {})}
    pg = _pg(conn)
    order = "rank, id" if pg else "rank"  # PostgreSQL breaks rank ties in no fixed order
    ids = [
        r[0]
        for r in conn.execute(
            text(
                f"SELECT id FROM ({_hits(match, where, pg)}) AS hits ORDER BY {order} "
                "LIMIT :limit OFFSET :offset"
            ),
            bound,
        )
    ]
    if not ids:
        return []
    cols = "d.id, d.title, d.filename, d.status, d.media_type, d.published, d.ingested_at"
    if match is None:
        sql = f"SELECT {cols}, substr(d.clean_text, 1, 200) AS snippet FROM documents d "
        sql += f"WHERE d.id IN ({_ids(ids)})"
        rows = conn.execute(text(sql))
    elif pg:
        sql = (
            f"SELECT {cols}, ts_headline('simple', d.clean_text, {_PG_QUERY}, {_PG_HEADLINE.format(24, 12)}) "
            f"AS snippet FROM documents d WHERE d.id IN ({_ids(ids)})"
        )
        rows = conn.execute(text(sql), {"match": match})
    else:
        sql = (
            f"SELECT {cols}, snippet(documents_fts, 1, '[[', ']]', ' … ', 24) AS snippet FROM documents_fts "
            f"JOIN documents d ON d.id = documents_fts.rowid WHERE documents_fts MATCH :match "
            f"AND documents_fts.rowid IN ({_ids(ids)})"
        )
        rows = conn.execute(text(sql), {"match": match})
    by_id = {r.id: r._asdict() for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _ids(ids: list[int]) -> str:
    """A literal id list (ints only, from our own query) for an IN clause."""
    return ", ".join(str(int(i)) for i in ids)


def count_documents(
    conn: Connection,
    match: str | None,
    *,
    where: str = "",
    params: dict[str, Any] | None = None,
    cap: int = 10000,
) -> int:
    """How many documents match, counted up to ``cap`` (shown as "10000+" beyond)."""
    sql = f"SELECT count(*) FROM ({_hits(match, where, _pg(conn))} LIMIT :cap) AS hits"
    return conn.execute(text(sql), {"match": match, "cap": cap, **(params or {})}).scalar_one()


def document_facets(
    conn: Connection,
    match: str | None,
    *,
    where: str = "",
    params: dict[str, Any] | None = None,
    cap: int = 2000,
) -> dict[str, dict[str, int]]:
    """Facet counts over (up to ``cap``) matching documents: a sample, so a page stays fast.

    Returns {facet: {value: documents}} for status, year, place, facility and
    violation type (from the proposals of the matched documents that were not
    rejected), all read from covering indexes.
    """
    bound = {"match": match, "cap": cap, **(params or {})}
    pg = _pg(conn)
    ids = [r[0] for r in conn.execute(text(f"{_hits(match, where, pg)} LIMIT :cap"), bound)]
    facets: dict[str, dict[str, int]] = {
        "status": {},
        "year": {},
        "place": {},
        "facility": {},
        "violation": {},
    }
    if not ids:
        return facets
    if pg:  # an array parameter; SQLite takes the ids as JSON and reads covering indexes by name
        id_list: Any = ids
        docs_sql, in_ids = "FROM documents d", "= ANY(:ids)"
    else:
        id_list = json.dumps(ids)
        docs_sql = "FROM documents d INDEXED BY ix_documents_facets"
        in_ids = "IN (SELECT value FROM json_each(:ids))"
    rows = conn.execute(
        text(
            f"SELECT d.status, substr({date_text('postgresql' if pg else 'sqlite')}, 1, 4), count(*) "
            f"{docs_sql} WHERE d.id {in_ids} GROUP BY 1, 2"
        ),
        {"ids": id_list},
    )
    for status, year, n in rows:
        facets["status"][status] = facets["status"].get(status, 0) + n
        if year:
            facets["year"][year] = facets["year"].get(year, 0) + n
    sql = (
        "SELECT kind, CASE WHEN kind = 'incident' THEN label ELSE text END AS v, count(DISTINCT document_id) "
        f"FROM proposals WHERE document_id {in_ids} "
        "AND kind IN ('place', 'facility', 'incident') AND status != 'rejected' GROUP BY 1, 2 ORDER BY 3 DESC"
    )
    names = {"place": "place", "facility": "facility", "incident": "violation"}
    for kind, value, n in conn.execute(text(sql), {"ids": id_list}):
        if value and len(facets[names[kind]]) < 12:
            facets[names[kind]][value] = n
    return facets


def match_records(
    conn: Connection, match: str, *, kinds: list[str] | None = None, limit: int = 20, offset: int = 0
) -> list[dict[str, Any]]:
    """Matching records (kind, id, name, snippet), best first."""
    params: dict[str, Any] = {"match": match, "limit": limit, "offset": offset}
    kind_sql = ""
    if kinds:
        names = []
        for i, k in enumerate(kinds):
            params[f"k{i}"] = k
            names.append(f":k{i}")
        kind_sql = f" AND kind IN ({', '.join(names)})"
    if _pg(conn):
        sql = (
            "SELECT kind, record_id, name, "
            f"ts_headline('simple', body, {_PG_QUERY}, {_PG_HEADLINE.format(16, 8)}) AS snippet "
            f"FROM records_fts WHERE {_PG_REC_VECTOR} @@ {_PG_QUERY}{kind_sql} "
            f"ORDER BY ts_rank({_PG_REC_VECTOR}, {_PG_QUERY}) DESC, kind, record_id "
            "LIMIT :limit OFFSET :offset"
        )
    else:
        sql = (
            "SELECT kind, record_id, name, snippet(records_fts, 3, '[[', ']]', ' … ', 16) AS snippet "
            f"FROM records_fts WHERE records_fts MATCH :match{kind_sql} "
            "ORDER BY bm25(records_fts) LIMIT :limit OFFSET :offset"
        )
    return [r._asdict() for r in conn.execute(text(sql), params)]


def record_kind_counts(conn: Connection, match: str) -> dict[str, int]:
    cond = f"{_PG_REC_VECTOR} @@ {_PG_QUERY}" if _pg(conn) else "records_fts MATCH :match"
    sql = f"SELECT kind, count(*) FROM records_fts WHERE {cond} GROUP BY kind"
    rows = conn.execute(text(sql), {"match": match})
    return {r[0]: r[1] for r in rows}
