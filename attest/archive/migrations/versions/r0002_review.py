"""Review: confirmed records, their provenance, review decisions, full-text search.

Revision ID: r0002
Revises: 0001

Records live in one table per kind (persons, organizations, places, facilities,
groups, incidents, claims, amounts) sharing a common core of columns, so the
review code can treat them alike while each keeps the columns its pages filter
on. ``record_mentions`` ties every record to the document spans it was
confirmed from (provenance first); ``review_decisions`` is the append-only
history of what a reviewer did to each proposal. Two FTS5 tables serve search:
``documents_fts`` is external-content over ``documents`` kept in sync by
triggers; ``records_fts`` is written by the review service.

On PostgreSQL the same search is a GIN index over ``to_tsvector`` of the
document's title and text (an expression index: nothing to keep in sync) and
a plain ``records_fts`` table with a GIN expression index, written the same way.
"""

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "0001"
branch_labels = ("review",)
depends_on = None

RECORD_TABLES = {
    "persons": [sa.Column("aliases", sa.JSON, nullable=False, server_default="[]")],
    "organizations": [],
    "places": [],
    "facilities": [sa.Column("place", sa.Text)],
    "groups": [sa.Column("count", sa.Integer)],
    "incidents": [
        sa.Column("date_text", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("facility", sa.Text),
    ],
    "claims": [
        sa.Column("speaker", sa.Text),
        sa.Column("via", sa.Text),
        sa.Column("cue", sa.Text),
        sa.Column("status", sa.String(16), nullable=False, server_default="unverified"),
    ],
    "amounts": [sa.Column("value", sa.Float), sa.Column("currency", sa.String(8))],
}


def _core() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category", sa.String(64)),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("confidentiality", sa.String(16), nullable=False, server_default="public"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.Column("updated_by", sa.String(128)),
    ]


def upgrade() -> None:
    for name, extra in RECORD_TABLES.items():
        op.create_table(name, *_core(), *extra)
        op.create_index(f"ix_{name}_name", name, ["name"])
    op.create_table(
        "record_mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_type", sa.String(32), nullable=False),
        sa.Column("record_id", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id")),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_record_mentions_record", "record_mentions", ["record_type", "record_id"])
    op.create_index("ix_record_mentions_document", "record_mentions", ["document_id", "start"])
    op.create_index("ix_record_mentions_proposal", "record_mentions", ["proposal_id"])
    op.create_table(
        "record_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("from_type", sa.String(32), nullable=False),
        sa.Column("from_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("to_type", sa.String(32), nullable=False),
        sa.Column("to_id", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_record_links_from", "record_links", ["from_type", "from_id"])
    op.create_index("ix_record_links_to", "record_links", ["to_type", "to_id"])
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("record_type", sa.String(32)),
        sa.Column("record_id", sa.Integer),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_review_decisions_document", "review_decisions", ["document_id"])
    op.create_index("ix_review_decisions_proposal", "review_decisions", ["proposal_id"])
    # Inbox and facets: keyset pages by status, pending proposals per document.
    op.create_index("ix_documents_status_id", "documents", ["status", "id"])
    op.create_index("ix_documents_media_type_id", "documents", ["media_type", "id"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_proposals_document_status", "proposals", ["document_id", "status"])
    op.create_index("ix_proposals_kind_label", "proposals", ["kind", "label"])
    # Covering indexes for search facets: on an encrypted database every table
    # page read is a page decrypted, and document rows are large, so facets are
    # counted from these small index entries, never from the rows themselves.
    op.create_index("ix_documents_facets", "documents", ["id", "status", "published", "ingested_at"])
    op.create_index(
        "ix_proposals_facets",
        "proposals",
        ["document_id", "kind", "status", "label", "text"],
        sqlite_where=sa.text("kind IN ('place', 'facility', 'incident')"),
        postgresql_where=sa.text("kind IN ('place', 'facility', 'incident')"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_FTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for statement in _POSTGRES_FTS:
            op.execute(statement)


_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, clean_text, content='documents', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.id, new.title, new.clean_text); END",
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, clean_text) "
    "VALUES ('delete', old.id, old.title, old.clean_text); END",
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, clean_text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, clean_text) "
    "VALUES ('delete', old.id, old.title, old.clean_text); "
    "INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.id, new.title, new.clean_text); END",
    "CREATE VIRTUAL TABLE records_fts USING fts5(kind UNINDEXED, record_id UNINDEXED, name, body, "
    "tokenize='unicode61 remove_diacritics 2')",
]


# The expressions must stay exactly those in attest/archive/search.py, or the planner skips the index.
_POSTGRES_FTS = [
    "CREATE INDEX ix_documents_fts ON documents "
    "USING gin (to_tsvector('simple', coalesce(title, '') || ' ' || clean_text))",
    "CREATE TABLE records_fts (kind VARCHAR(32) NOT NULL, record_id INTEGER NOT NULL, "
    "name TEXT NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX ix_records_fts_record ON records_fts (kind, record_id)",
    "CREATE INDEX ix_records_fts ON records_fts USING gin (to_tsvector('simple', name || ' ' || body))",
]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute("DROP TABLE IF EXISTS records_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
        op.execute("DROP TABLE IF EXISTS records_fts")
    for index, table in [
        ("ix_proposals_facets", "proposals"),
        ("ix_documents_facets", "documents"),
        ("ix_proposals_kind_label", "proposals"),
        ("ix_proposals_document_status", "proposals"),
        ("ix_documents_published", "documents"),
        ("ix_documents_media_type_id", "documents"),
        ("ix_documents_status_id", "documents"),
    ]:
        op.drop_index(index, table)
    for table in ("review_decisions", "record_links", "record_mentions", *reversed(RECORD_TABLES)):
        op.drop_table(table)
