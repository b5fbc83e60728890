"""What extraction proposed across the archive, grouped for display."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from attest.archive import Archive
from attest.archive.schema import documents, proposals

ENTITY_KINDS = ("person", "organization", "place", "facility", "group")


def proposal_overview(archive: Archive, *, limit_per_kind: int = 200) -> dict[str, list[dict]]:
    """Proposals by kind, each with its document id and title, in document order."""
    query = (
        select(proposals, documents.c.title)
        .join(documents, documents.c.id == proposals.c.document_id)
        .order_by(proposals.c.document_id, proposals.c.start)
    )
    grouped: dict[str, list[dict]] = defaultdict(list)
    with archive.engine.connect() as conn:
        for row in conn.execute(query):
            if len(grouped[row.kind]) < limit_per_kind:
                grouped[row.kind].append(row._asdict())
    return dict(grouped)
