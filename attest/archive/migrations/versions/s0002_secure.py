"""Secure area: users, the audit chain, protected fields, sources.

Revision ID: s0002
Revises: 0001
Branch: secure
"""

import sqlalchemy as sa
from alembic import op

revision = "s0002"
down_revision = "0001"
branch_labels = ("secure",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("password_hash", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    # An archive made before this migration: its creator becomes its first admin.
    op.execute(
        "INSERT INTO users (name, role, active, created_at, created_by) "
        "SELECT m.value, 'admin', TRUE, CURRENT_TIMESTAMP, 'migration s0002' FROM meta m "
        "WHERE m.key = 'created_by'"
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(128)),
        sa.Column("before_hash", sa.String(64)),
        sa.Column("after_hash", sa.String(64)),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_table(
        "protected_fields",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(128), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(128), nullable=False),
        sa.UniqueConstraint("record_type", "record_id", "field", name="uq_protected_field"),
    )
    op.create_index("ix_protected_record", "protected_fields", ["record_type", "record_id"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("grade", sa.String(1)),
        sa.Column("anonymity", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sources")
    op.drop_index("ix_protected_record", "protected_fields")
    op.drop_table("protected_fields")
    op.drop_table("audit_events")
    op.drop_table("users")
