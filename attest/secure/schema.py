"""Tables of the secure area, declared on the archive's shared metadata.

Created only by the ``s0002`` migration (branch ``secure``); the archive test
that compares declared and built schemas covers these too.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)

from attest.archive.schema import metadata

users = Table(
    "users",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("password_hash", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
)

# ``at`` is kept as the exact ISO text that was hashed, not a DateTime, so
# verification never depends on how a database round-trips timestamps.
audit_events = Table(
    "audit_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_type", String(64), nullable=False),
    Column("record_id", String(128)),
    Column("before_hash", String(64)),
    Column("after_hash", String(64)),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

protected_fields = Table(
    "protected_fields",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_type", String(64), nullable=False),
    Column("record_id", String(128), nullable=False),
    Column("field", String(64), nullable=False),
    Column("level", String(16), nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(128), nullable=False),
    UniqueConstraint("record_type", "record_id", "field", name="uq_protected_field"),
    Index("ix_protected_record", "record_type", "record_id"),
)

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("grade", String(1)),
    Column("anonymity", String(16), nullable=False),
    Column("level", String(16), nullable=False),
    Column("attributes", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(128), nullable=False),
)
