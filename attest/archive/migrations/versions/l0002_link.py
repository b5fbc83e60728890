"""Link: imported detainee lists, candidate pairs, judgements and merges.

Revision ID: l0002
Revises: 0001

``source_lists`` records each imported list (name, SHA-256 of the file, who
imported it, how many rows) and ``list_rows`` ties every person record made
from a list to its list and row, which multiple systems estimation needs
later. ``link_candidates`` holds the pairs the linker proposes, each with its
probability and the evidence behind it; ``link_judgements`` is the
append-only history of what reviewers said about a pair (a later judgement
supersedes, never erases); ``link_merges`` joins two person records into one
cluster and is undone by marking it split, never by deleting it.
"""

import sqlalchemy as sa
from alembic import op

revision = "l0002"
down_revision = "0001"
branch_labels = ("link",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_lists",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("columns", sa.JSON, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(128), nullable=False),
    )
    op.create_table(
        "list_rows",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("list_id", sa.Integer, sa.ForeignKey("source_lists.id"), nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_list_rows_list", "list_rows", ["list_id", "row_number"], unique=True)
    op.create_index("ix_list_rows_person", "list_rows", ["person_id"])
    op.create_table(
        "link_candidates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("a_id", sa.Integer, nullable=False),
        sa.Column("b_id", sa.Integer, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("weights", sa.JSON, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
    )
    op.create_index("ix_link_candidates_pair", "link_candidates", ["a_id", "b_id"], unique=True)
    op.create_table(
        "link_judgements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("link_candidates.id"), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("supersedes", sa.Integer, sa.ForeignKey("link_judgements.id")),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_link_judgements_candidate", "link_judgements", ["candidate_id", "id"])
    op.create_table(
        "link_merges",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("a_id", sa.Integer, nullable=False),
        sa.Column("b_id", sa.Integer, nullable=False),
        sa.Column("judgement_id", sa.Integer, sa.ForeignKey("link_judgements.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("split_at", sa.DateTime(timezone=True)),
        sa.Column("split_by", sa.String(128)),
    )
    op.create_index("ix_link_merges_pair", "link_merges", ["a_id", "b_id"])


def downgrade() -> None:
    op.drop_index("ix_link_merges_pair", "link_merges")
    op.drop_table("link_merges")
    op.drop_index("ix_link_judgements_candidate", "link_judgements")
    op.drop_table("link_judgements")
    op.drop_index("ix_link_candidates_pair", "link_candidates")
    op.drop_table("link_candidates")
    op.drop_index("ix_list_rows_person", "list_rows")
    op.drop_index("ix_list_rows_list", "list_rows")
    op.drop_table("list_rows")
    op.drop_table("source_lists")
