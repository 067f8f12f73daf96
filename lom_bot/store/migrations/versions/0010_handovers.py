"""Caseload handovers: temporary cover (effective-dated) and the record of permanent moves.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lom_bot.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("from_officer_id", sa.Integer(), nullable=True),
        sa.Column("to_officer_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("made_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_officer_id"], ["users.id"], name=op.f("fk_handovers_from_officer_id_users")
        ),
        sa.ForeignKeyConstraint(["made_by"], ["users.id"], name=op.f("fk_handovers_made_by_users")),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_handovers_subject_id_subjects")
        ),
        sa.ForeignKeyConstraint(
            ["to_officer_id"], ["users.id"], name=op.f("fk_handovers_to_officer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_handovers_subject_dates", ["subject_id", "starts_on", "until"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index("ix_handovers_subject_dates")
    op.drop_table("handovers")
