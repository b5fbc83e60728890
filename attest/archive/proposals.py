"""Machine proposals tied to document spans."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, Engine, insert, select

from attest.archive.schema import proposals
from attest.model.proposal import Proposal


class ProposalStore:
    """Reads and writes of ``proposals``; review (accept/reject) builds on this."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def insert_many(self, conn: Connection, doc_id: int, items: list[Proposal]) -> int:
        if not items:
            return 0
        conn.execute(
            insert(proposals),
            [
                {
                    "document_id": doc_id,
                    "kind": p.kind,
                    "label": p.label,
                    "start": p.start,
                    "end": p.end,
                    "text": p.text,
                    "data": p.data,
                    "confidence": p.confidence,
                }
                for p in items
            ],
        )
        return len(items)

    def for_document(self, doc_id: int, kind: str | None = None) -> list[dict]:
        query = select(proposals).where(proposals.c.document_id == doc_id)
        if kind:
            query = query.where(proposals.c.kind == kind)
        with self.engine.connect() as conn:
            return [r._asdict() for r in conn.execute(query.order_by(proposals.c.start))]

    def counts(self) -> Counter:
        """Number of proposals per kind across the archive."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(proposals.c.kind))
            return Counter(r.kind for r in rows)
