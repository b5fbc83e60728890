"""Tables of the archive, as SQLAlchemy Core metadata.

The schema itself is created and evolved only by Alembic migrations
(``attest/archive/migrations``); these definitions are what the code queries
with, and a test checks that they match what the migrations build.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

originals = Table(
    "originals",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("content", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), ForeignKey("originals.sha256"), nullable=False, unique=True),
    Column("filename", Text, nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("published", String(32)),
    Column("language", String(16)),
    Column("clean_text", Text, nullable=False),
    Column("boilerplate", JSON, nullable=False),
    Column("status", String(16), nullable=False, server_default="new"),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("ingested_by", String(128), nullable=False),
)

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "document_id",
        Integer,
        ForeignKey("documents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", String(32), nullable=False),
    Column("label", String(64)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("data", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("status", String(16), nullable=False, server_default="proposed"),
    Index("ix_proposals_document", "document_id", "kind"),
)
