"""Documents and their originals."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select

from attest.archive.schema import documents, originals, proposals
from attest.errors import UnknownRecord
from attest.model.document import Document, ReadDocument
from attest.secure.crypto import is_sealed, seal, unseal

_LIST_COLUMNS = [c for c in documents.c if c.name != "clean_text"]


class DocumentStore:
    """Reads and writes of ``documents`` and ``originals``.

    Originals are sealed with AES-256-GCM under the archive's originals key (a
    second layer inside SQLCipher, and the only one on PostgreSQL); without a
    key (a plain benchmark archive) they are stored as they are.
    """

    def __init__(self, engine: Engine, originals_key: bytes | None = None) -> None:
        self.engine = engine
        self._originals_key = originals_key

    def _seal(self, sha256: str, content: bytes) -> bytes:
        return seal(self._originals_key, content, f"original|{sha256}") if self._originals_key else content

    def open_original(self, sha256: str, stored: bytes) -> bytes:
        """The original bytes from their stored form (TamperedData when they fail authentication)."""
        if self._originals_key and is_sealed(stored):
            return unseal(self._originals_key, stored, f"original|{sha256}")
        return stored

    def find_by_sha256(self, sha256: str, conn: Connection | None = None) -> int | None:
        query = select(documents.c.id).where(documents.c.sha256 == sha256)
        if conn is not None:
            return conn.execute(query).scalar_one_or_none()
        with self.engine.connect() as c:
            return c.execute(query).scalar_one_or_none()

    def insert(self, conn: Connection, doc: ReadDocument, *, user: str) -> int:
        """Insert the original and the document in the caller's transaction."""
        conn.execute(
            insert(originals).values(
                sha256=doc.sha256, content=self._seal(doc.sha256, doc.original), size=len(doc.original)
            )
        )
        result = conn.execute(
            insert(documents).values(
                sha256=doc.sha256,
                filename=doc.filename,
                media_type=doc.media_type,
                title=doc.title,
                url=doc.url,
                published=doc.published,
                language=doc.language,
                clean_text=doc.clean_text,
                boilerplate=doc.boilerplate,
                ingested_at=datetime.now(UTC),
                ingested_by=user,
            )
        )
        return int(result.inserted_primary_key[0])

    def get(self, doc_id: int) -> Document:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents, originals.c.size)
                .join(originals, originals.c.sha256 == documents.c.sha256)
                .where(documents.c.id == doc_id)
            ).one_or_none()
        if row is None:
            raise UnknownRecord(f"no document with id {doc_id}")
        return Document.model_validate(row._asdict())

    def original(self, doc_id: int) -> bytes:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(originals.c.sha256, originals.c.content)
                .join(documents, originals.c.sha256 == documents.c.sha256)
                .where(documents.c.id == doc_id)
            ).one_or_none()
        if row is None:
            raise UnknownRecord(f"no document with id {doc_id}")
        return self.open_original(row.sha256, row.content)

    def list(self, *, limit: int = 100, offset: int = 0, status: str | None = None) -> list[dict]:
        """Document summaries (no text), newest id last, with proposal counts."""
        counts = (
            select(proposals.c.document_id, func.count().label("proposals"))
            .group_by(proposals.c.document_id)
            .subquery()
        )
        query = (
            select(*_LIST_COLUMNS, func.coalesce(counts.c.proposals, 0).label("proposals"))
            .outerjoin(counts, counts.c.document_id == documents.c.id)
            .order_by(documents.c.id)
            .limit(limit)
            .offset(offset)
        )
        if status:
            query = query.where(documents.c.status == status)
        with self.engine.connect() as conn:
            return [r._asdict() for r in conn.execute(query)]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(documents)).scalar_one()
