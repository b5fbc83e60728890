"""Confirmed records and their provenance: the tables review writes.

A record exists only because a person confirmed a proposal (or attached one to
an existing record). Every record kind shares a core of columns — ``name``,
``category`` (role, place kind, violation type, currency...), ``data`` (the
interchange item as confirmed), ``confidentiality`` — so the same code reads
and writes all of them; ``record_mentions`` points each record at the document
spans it came from. Sensitive values about a record (a reviewer's notes, a
contact) are not columns here: they are sealed per level in
``archive.protected``, against the record's kind and id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)

from attest.archive.schema import metadata
from attest.errors import UnknownRecord

# proposal kind -> record table name
KIND_TABLES = {
    "person": "persons",
    "organization": "organizations",
    "place": "places",
    "facility": "facilities",
    "group": "groups",
    "incident": "incidents",
    "claim": "claims",
    "amount": "amounts",
}
CONFIDENTIALITY = ("public", "restricted", "confidential")


def _core() -> list[Column]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", Text, nullable=False),
        Column("category", String(64)),
        Column("data", JSON, nullable=False),
        Column("confidentiality", String(16), nullable=False, server_default="public"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(128), nullable=False),
        Column("updated_at", DateTime(timezone=True)),
        Column("updated_by", String(128)),
    ]


_EXTRA: dict[str, list[Column]] = {
    "persons": [Column("aliases", JSON, nullable=False, server_default="[]")],
    "organizations": [],
    "places": [],
    "facilities": [Column("place", Text)],
    "groups": [Column("count", Integer)],
    "incidents": [Column("date_text", Text), Column("place", Text), Column("facility", Text)],
    "claims": [
        Column("speaker", Text),
        Column("via", Text),
        Column("cue", Text),
        Column("status", String(16), nullable=False, server_default="unverified"),
    ],
    "amounts": [Column("value", Float), Column("currency", String(8))],
}

RECORD_TABLES: dict[str, Table] = {
    kind: Table(table, metadata, *_core(), *_EXTRA[table]) for kind, table in KIND_TABLES.items()
}

record_mentions = Table(
    "record_mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_type", String(32), nullable=False),
    Column("record_id", Integer, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("proposal_id", Integer, ForeignKey("proposals.id")),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
)

record_links = Table(
    "record_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("from_type", String(32), nullable=False),
    Column("from_id", Integer, nullable=False),
    Column("role", String(32), nullable=False),
    Column("to_type", String(32), nullable=False),
    Column("to_id", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("record_type", String(32)),
    Column("record_id", Integer),
    Column("actor", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("reason", Text),
)


def table_for(kind: str) -> Table:
    """The record table of a kind; an unknown kind is the caller's mistake."""
    try:
        return RECORD_TABLES[kind]
    except KeyError:
        raise UnknownRecord(f"no record kind {kind!r} (known: {', '.join(KIND_TABLES)})") from None


def now() -> datetime:
    return datetime.now(UTC)


class RecordStore:
    """Reads and writes of records, mentions, links and decisions (in the caller's transaction)."""

    def insert(self, conn: Connection, kind: str, values: dict[str, Any], *, user: str) -> int:
        table = table_for(kind)
        allowed = {c.name for c in table.columns} - {"id", "created_at", "created_by"}
        row = {k: v for k, v in values.items() if k in allowed}
        row.setdefault("data", {})
        result = conn.execute(insert(table).values(**row, created_at=now(), created_by=user))
        return int(result.inserted_primary_key[0])

    def update(
        self, conn: Connection, kind: str, record_id: int, values: dict[str, Any], *, user: str
    ) -> None:
        table = table_for(kind)
        allowed = {c.name for c in table.columns} - {"id", "created_at", "created_by"}
        row = {k: v for k, v in values.items() if k in allowed}
        conn.execute(
            update(table).where(table.c.id == record_id).values(**row, updated_at=now(), updated_by=user)
        )

    def get(self, conn: Connection, kind: str, record_id: int) -> dict[str, Any]:
        table = table_for(kind)
        row = conn.execute(select(table).where(table.c.id == record_id)).one_or_none()
        if row is None:
            raise UnknownRecord(f"no {kind} record with id {record_id}")
        return {"kind": kind, **row._asdict()}

    def list(
        self, conn: Connection, kind: str, *, after_id: int = 0, limit: int = 50, name: str | None = None
    ) -> list[dict[str, Any]]:
        """A keyset page of records of one kind, in id order."""
        table = table_for(kind)
        query = select(table).where(table.c.id > after_id).order_by(table.c.id).limit(limit)
        if name:
            query = query.where(table.c.name.like(f"%{name}%"))
        return [{"kind": kind, **r._asdict()} for r in conn.execute(query)]

    def names(self, conn: Connection, kind: str) -> list[tuple[int, str, list[str]]]:
        """(id, name, aliases) of every record of a kind, for candidate matching."""
        table = table_for(kind)
        cols = [table.c.id, table.c.name]
        if "aliases" in table.c:
            cols.append(table.c.aliases)
        return [(r[0], r[1], list(r[2] or []) if len(r) > 2 else []) for r in conn.execute(select(*cols))]

    def count(self, conn: Connection, kind: str) -> int:
        return conn.execute(select(func.count()).select_from(table_for(kind))).scalar_one()

    # -- provenance --------------------------------------------------------
    def add_mention(
        self, conn: Connection, kind: str, record_id: int, proposal: dict[str, Any], *, user: str
    ) -> int:
        result = conn.execute(
            insert(record_mentions).values(
                record_type=kind,
                record_id=record_id,
                document_id=proposal["document_id"],
                proposal_id=proposal["id"],
                start=proposal["start"],
                end=proposal["end"],
                text=proposal["text"],
                created_at=now(),
                created_by=user,
            )
        )
        return int(result.inserted_primary_key[0])

    def mentions(self, conn: Connection, kind: str, record_id: int) -> list[dict[str, Any]]:
        query = (
            select(record_mentions)
            .where(and_(record_mentions.c.record_type == kind, record_mentions.c.record_id == record_id))
            .order_by(record_mentions.c.document_id, record_mentions.c.start)
        )
        return [r._asdict() for r in conn.execute(query)]

    def mentions_in(self, conn: Connection, document_ids: Iterable[int], kind: str) -> list[dict[str, Any]]:
        query = select(record_mentions).where(
            record_mentions.c.document_id.in_(list(document_ids)), record_mentions.c.record_type == kind
        )
        return [r._asdict() for r in conn.execute(query)]

    def link(
        self,
        conn: Connection,
        from_kind: str,
        from_id: int,
        role: str,
        to_kind: str,
        to_id: int,
        *,
        user: str,
    ) -> None:
        exists = conn.execute(
            select(record_links.c.id).where(
                record_links.c.from_type == from_kind,
                record_links.c.from_id == from_id,
                record_links.c.role == role,
                record_links.c.to_type == to_kind,
                record_links.c.to_id == to_id,
            )
        ).first()
        if exists is None:
            conn.execute(
                insert(record_links).values(
                    from_type=from_kind,
                    from_id=from_id,
                    role=role,
                    to_type=to_kind,
                    to_id=to_id,
                    created_at=now(),
                    created_by=user,
                )
            )

    def links(self, conn: Connection, kind: str, record_id: int) -> list[dict[str, Any]]:
        """Links in either direction, each with ``direction`` 'out' or 'in'."""
        query = select(record_links).where(
            or_(
                and_(record_links.c.from_type == kind, record_links.c.from_id == record_id),
                and_(record_links.c.to_type == kind, record_links.c.to_id == record_id),
            )
        )
        rows = []
        for r in conn.execute(query):
            d = r._asdict()
            d["direction"] = "out" if (d["from_type"], d["from_id"]) == (kind, record_id) else "in"
            rows.append(d)
        return rows

    def decide(self, conn: Connection, **values: Any) -> int:
        result = conn.execute(insert(review_decisions).values(**values, at=now()))
        return int(result.inserted_primary_key[0])

    def decisions(self, conn: Connection, document_id: int) -> list[dict[str, Any]]:
        query = (
            select(review_decisions)
            .where(review_decisions.c.document_id == document_id)
            .order_by(review_decisions.c.id)
        )
        return [r._asdict() for r in conn.execute(query)]
