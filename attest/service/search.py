"""Search over documents and records, with facets, for every interface.

Facets narrow documents by what review and extraction found in them (place,
facility, violation type) and by their own fields (status, date). Facet counts
are taken over the first few thousand matches, so a page stays fast on a large
archive; the page says when the counts are a sample.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from attest.archive import Archive
from attest.archive.records import KIND_TABLES, table_for
from attest.archive.search import (
    count_documents,
    date_text,
    document_facets,
    fts_query,
    match_documents,
    match_records,
    prepare,
    record_kind_counts,
)
from attest.secure.roles import can_read_level, require
from attest.secure.users import User
from attest.service.review import DOC_STATUSES, InvalidEdit

TYPES = ("document", *KIND_TABLES)
FACET_SAMPLE = 2000
COUNT_CAP = 10000


@dataclass
class SearchQuery:
    q: str = ""
    types: list[str] = field(default_factory=list)
    status: str | None = None
    place: str | None = None
    facility: str | None = None
    violation: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    offset: int = 0
    limit: int = 20


@dataclass
class SearchResult:
    documents: list[dict[str, Any]]
    records: list[dict[str, Any]]
    total_documents: int
    total_capped: bool
    facets: dict[str, dict[str, int]]
    facets_sampled: bool
    next_offset: int | None


def _where(query: SearchQuery, dialect: str = "sqlite") -> tuple[str, dict[str, Any]]:
    """Extra SQL over documents ``d`` for the chosen facets, values bound, never interpolated."""
    clauses, params = [], {}
    if query.status:
        if query.status not in DOC_STATUSES:
            raise InvalidEdit(f"unknown status {query.status!r} (known: {', '.join(DOC_STATUSES)})")
        clauses.append("d.status = :status")
        params["status"] = query.status
    for key, kind, column in (
        ("place", "place", "text"),
        ("facility", "facility", "text"),
        ("violation", "incident", "label"),
    ):
        value = getattr(query, key)
        if value:
            clauses.append(
                # the redundant IN lets SQLite use the partial covering index ix_proposals_facets
                f"EXISTS (SELECT 1 FROM proposals p WHERE p.document_id = d.id "
                f"AND p.kind IN ('place', 'facility', 'incident') AND p.kind = '{kind}' "
                f"AND p.{column} = :{key} AND p.status != 'rejected')"
            )
            params[key] = value
    if query.date_from:
        clauses.append(f"{date_text(dialect)} >= :date_from")
        params["date_from"] = query.date_from
    if query.date_to:
        clauses.append(f"substr({date_text(dialect)}, 1, 10) <= :date_to")
        params["date_to"] = query.date_to
    return "".join(f" AND {c}" for c in clauses), params


def search(archive: Archive, user: User, query: SearchQuery) -> SearchResult:
    """Documents and records matching the words and facets; records above the user's level left out."""
    require(user, "read")
    for t in query.types:
        if t not in TYPES:
            raise InvalidEdit(f"unknown type {t!r} (known: {', '.join(TYPES)})")
    limit = max(1, min(query.limit, 100))
    offset = max(0, query.offset)
    match = fts_query(query.q)
    where, params = _where(query, archive.engine.dialect.name)
    want_docs = not query.types or "document" in query.types
    record_kinds = [t for t in query.types if t != "document"] or (
        list(KIND_TABLES) if not query.types else []
    )
    facet_filters = any(
        (query.status, query.place, query.facility, query.violation, query.date_from, query.date_to)
    )
    docs: list[dict[str, Any]] = []
    recs: list[dict[str, Any]] = []
    total = 0
    facets: dict[str, dict[str, int]] = {}
    with archive.engine.connect() as conn:
        prepare(conn)
        if want_docs and (match or facet_filters or not query.q):
            docs = match_documents(conn, match, where=where, params=params, limit=limit + 1, offset=offset)
            total = count_documents(conn, match, where=where, params=params, cap=COUNT_CAP)
            facets = document_facets(conn, match, where=where, params=params, cap=FACET_SAMPLE)
        if match and record_kinds and not facet_filters:
            hits = match_records(conn, match, kinds=record_kinds, limit=limit, offset=offset)
            recs = [r for r in (_record_hit(conn, h) for h in hits) if r and can_read_level(user, r["level"])]
            facets["type"] = {"document": total, **record_kind_counts(conn, match)}
    more = len(docs) > limit
    return SearchResult(
        documents=docs[:limit],
        records=recs,
        total_documents=total,
        total_capped=total >= COUNT_CAP,
        facets=facets,
        facets_sampled=total > FACET_SAMPLE,
        next_offset=offset + limit if more else None,
    )


def _record_hit(conn: Any, hit: dict[str, Any]) -> dict[str, Any] | None:
    table = table_for(hit["kind"])
    row = conn.execute(
        select(table.c.name, table.c.category, table.c.confidentiality).where(
            table.c.id == int(hit["record_id"])
        )
    ).one_or_none()
    if row is None:
        return None
    return {
        "kind": hit["kind"],
        "id": int(hit["record_id"]),
        "name": row.name,
        "category": row.category,
        "level": row.confidentiality,
        "snippet": hit["snippet"],
    }
