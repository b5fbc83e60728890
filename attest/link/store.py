"""Where linkage keeps its state: lists, candidate pairs, judgements, merges.

The tables are declared here (created by the ``l0002`` migration, branch
``link``) and read and written only through :class:`LinkStore`, always inside
the caller's transaction so an import or a judgement lands whole or not at
all. Two rules shape the store:

* decisions are append-only: a judgement is never updated or deleted, a later
  one names the one it supersedes; a merge is undone by marking it split;
* a cluster is a view, not a record: person records and their mentions are
  never moved or rewritten, a cluster is the connected set of records joined
  by merges that are not split (:func:`clusters_of`).
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
    Numeric,
    String,
    Table,
    Text,
    cast,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)

from attest.archive.schema import metadata

DECISIONS = ("same", "different", "unsure")

source_lists = Table(
    "source_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("filename", Text, nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("row_count", Integer, nullable=False),
    Column("columns", JSON, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("imported_by", String(128), nullable=False),
)

list_rows = Table(
    "list_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("list_id", Integer, ForeignKey("source_lists.id"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("person_id", Integer, nullable=False),
    Column("data", JSON, nullable=False),
)

link_candidates = Table(
    "link_candidates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a_id", Integer, nullable=False),
    Column("b_id", Integer, nullable=False),
    Column("probability", Float, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("weights", JSON, nullable=False),
    Column("mentions", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
)

link_judgements = Table(
    "link_judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("candidate_id", Integer, ForeignKey("link_candidates.id"), nullable=False),
    Column("decision", String(16), nullable=False),
    Column("note", Text),
    Column("supersedes", Integer, ForeignKey("link_judgements.id")),
    Column("actor", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

link_merges = Table(
    "link_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("a_id", Integer, nullable=False),
    Column("b_id", Integer, nullable=False),
    Column("judgement_id", Integer, ForeignKey("link_judgements.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("split_at", DateTime(timezone=True)),
    Column("split_by", String(128)),
)


def now() -> datetime:
    return datetime.now(UTC)


def ordered(a: int, b: int) -> tuple[int, int]:
    """A pair is stored once, lower id first, so (a, b) and (b, a) cannot both exist."""
    return (a, b) if a < b else (b, a)


class LinkStore:
    """Reads and writes of the link tables (in the caller's transaction)."""

    # -- lists --------------------------------------------------------------------
    def add_list(
        self, conn: Connection, *, name: str, filename: str, sha256: str, row_count: int,
        columns: dict[str, str], user: str,
    ) -> int:  # fmt: skip
        result = conn.execute(
            insert(source_lists).values(
                name=name,
                filename=filename,
                sha256=sha256,
                row_count=row_count,
                columns=columns,
                imported_at=now(),
                imported_by=user,
            )  # fmt: skip
        )
        return int(result.inserted_primary_key[0])

    def find_list(self, conn: Connection, *, name: str, sha256: str) -> dict[str, Any] | None:
        row = conn.execute(
            select(source_lists).where((source_lists.c.name == name) | (source_lists.c.sha256 == sha256))
        ).first()
        return row._asdict() if row else None

    def add_row(
        self, conn: Connection, list_id: int, row_number: int, person_id: int, data: dict[str, Any]
    ) -> None:
        conn.execute(
            insert(list_rows).values(list_id=list_id, row_number=row_number, person_id=person_id, data=data)
        )

    def lists(self, conn: Connection) -> list[dict[str, Any]]:
        return [r._asdict() for r in conn.execute(select(source_lists).order_by(source_lists.c.id))]

    def rows_of(self, conn: Connection, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """The list row each person record came from (if any), with the list's name."""
        query = (
            select(list_rows, source_lists.c.name.label("list_name"))
            .join(source_lists, source_lists.c.id == list_rows.c.list_id)
            .where(list_rows.c.person_id.in_(list(person_ids)))
        )
        return {r.person_id: r._asdict() for r in conn.execute(query)}

    # -- candidates ---------------------------------------------------------------
    def decided_pairs(self, conn: Connection) -> set[tuple[int, int]]:
        judged = exists().where(link_judgements.c.candidate_id == link_candidates.c.id)
        rows = conn.execute(select(link_candidates.c.a_id, link_candidates.c.b_id).where(judged))
        return {(a, b) for a, b in rows}

    def replace_candidates(
        self, conn: Connection, pairs: Iterable[dict[str, Any]], *, user: str
    ) -> tuple[int, int]:
        """Drop the undecided candidates and store ``pairs``; judged pairs are left as they are.

        Returns (stored, skipped because already judged).
        """
        judged = exists().where(link_judgements.c.candidate_id == link_candidates.c.id)
        conn.execute(delete(link_candidates).where(~judged))
        decided = self.decided_pairs(conn)
        stored = skipped = 0
        rows = []
        for p in pairs:
            a, b = ordered(int(p["a_id"]), int(p["b_id"]))
            if (a, b) in decided:
                skipped += 1
                continue
            decided.add((a, b))
            rows.append(
                {
                    "a_id": a,
                    "b_id": b,
                    "probability": float(p["probability"]),
                    "evidence": p["evidence"],
                    "weights": p.get("weights") or {},
                    "mentions": int(p.get("mentions") or 0),
                    "created_at": now(),
                    "created_by": user,
                }  # fmt: skip
            )
        if rows:
            conn.execute(insert(link_candidates), rows)
            stored = len(rows)
        return stored, skipped

    def candidate(self, conn: Connection, candidate_id: int) -> dict[str, Any] | None:
        row = conn.execute(select(link_candidates).where(link_candidates.c.id == candidate_id)).first()
        return row._asdict() if row else None

    def candidate_for(self, conn: Connection, a: int, b: int) -> dict[str, Any] | None:
        a, b = ordered(a, b)
        row = conn.execute(
            select(link_candidates).where(link_candidates.c.a_id == a, link_candidates.c.b_id == b)
        ).first()
        return row._asdict() if row else None

    def undecided(self, conn: Connection) -> list[dict[str, Any]]:
        """Candidates nobody has judged, most useful to decide first.

        Useful = probability nearest 0.5 (the model is least sure), then the
        pair that would join the most mentions, then the oldest. The distance
        is rounded to 0.001 so float noise does not break a tie the reviewer
        would call one.
        """
        judged = exists().where(link_judgements.c.candidate_id == link_candidates.c.id)
        query = (
            select(link_candidates)
            .where(~judged)
            .order_by(
                func.round(cast(func.abs(link_candidates.c.probability - 0.5), Numeric), 3),
                link_candidates.c.mentions.desc(),
                link_candidates.c.id,
            )
        )
        return [r._asdict() for r in conn.execute(query)]

    def count_candidates(self, conn: Connection) -> int:
        return conn.execute(select(func.count()).select_from(link_candidates)).scalar_one()

    # -- judgements ---------------------------------------------------------------
    def judge(
        self, conn: Connection, candidate_id: int, decision: str, *, note: str | None, user: str
    ) -> tuple[int, dict[str, Any] | None]:
        """Append a judgement; returns its id and the judgement it supersedes (if any)."""
        before = self.latest_judgement(conn, candidate_id)
        result = conn.execute(
            insert(link_judgements).values(
                candidate_id=candidate_id,
                decision=decision,
                note=note,
                supersedes=before["id"] if before else None,
                actor=user,
                at=now(),
            )  # fmt: skip
        )
        return int(result.inserted_primary_key[0]), before

    def latest_judgement(self, conn: Connection, candidate_id: int) -> dict[str, Any] | None:
        row = conn.execute(
            select(link_judgements)
            .where(link_judgements.c.candidate_id == candidate_id)
            .order_by(link_judgements.c.id.desc())
            .limit(1)
        ).first()
        return row._asdict() if row else None

    def judgements(self, conn: Connection, candidate_id: int | None = None) -> list[dict[str, Any]]:
        """Every judgement in the order given (the history, superseded ones included)."""
        query = select(link_judgements).order_by(link_judgements.c.id)
        if candidate_id is not None:
            query = query.where(link_judgements.c.candidate_id == candidate_id)
        return [r._asdict() for r in conn.execute(query)]

    def labels(self, conn: Connection) -> list[dict[str, Any]]:
        """The current judgement of every judged pair, with the pair's records."""
        latest = (
            select(func.max(link_judgements.c.id)).group_by(link_judgements.c.candidate_id).scalar_subquery()
        )
        query = (
            select(
                link_judgements,
                link_candidates.c.a_id,
                link_candidates.c.b_id,
                link_candidates.c.probability,
            )
            .join(link_candidates, link_candidates.c.id == link_judgements.c.candidate_id)
            .where(link_judgements.c.id.in_(latest))
            .order_by(link_judgements.c.candidate_id)
        )
        return [r._asdict() for r in conn.execute(query)]

    # -- merges -------------------------------------------------------------------
    def merge(self, conn: Connection, a: int, b: int, *, judgement_id: int | None, user: str) -> int:
        a, b = ordered(a, b)
        result = conn.execute(
            insert(link_merges).values(
                a_id=a, b_id=b, judgement_id=judgement_id, created_at=now(), created_by=user
            )
        )
        return int(result.inserted_primary_key[0])

    def merge_row(self, conn: Connection, merge_id: int) -> dict[str, Any] | None:
        row = conn.execute(select(link_merges).where(link_merges.c.id == merge_id)).first()
        return row._asdict() if row else None

    def active_merge(self, conn: Connection, a: int, b: int) -> dict[str, Any] | None:
        a, b = ordered(a, b)
        row = conn.execute(
            select(link_merges).where(
                link_merges.c.a_id == a, link_merges.c.b_id == b, link_merges.c.split_at.is_(None)
            )
        ).first()
        return row._asdict() if row else None

    def split(self, conn: Connection, merge_id: int, *, user: str) -> None:
        conn.execute(
            update(link_merges)
            .where(link_merges.c.id == merge_id, link_merges.c.split_at.is_(None))
            .values(split_at=now(), split_by=user)
        )

    def merges(self, conn: Connection, *, active_only: bool = False) -> list[dict[str, Any]]:
        query = select(link_merges).order_by(link_merges.c.id.desc())
        if active_only:
            query = query.where(link_merges.c.split_at.is_(None))
        return [r._asdict() for r in conn.execute(query)]


def clusters_of(edges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Record id -> cluster id (the smallest record id in it), for records joined by ``edges``.

    Records in no edge are their own cluster and are left out of the mapping.
    """
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}
