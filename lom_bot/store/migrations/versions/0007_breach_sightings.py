"""Breach reports: one sighting naming several subjects (sighting_id), and why a report was
matched or left for a person to choose (match_reason, in words).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("breach_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sighting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("match_reason", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            "fk_breach_reports_sighting_id_breach_reports",
            "breach_reports",
            ["sighting_id"],
            ["id"],
        )
        batch_op.create_index("ix_breach_reports_sighting", ["sighting_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("breach_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_breach_reports_sighting")
        batch_op.drop_constraint("fk_breach_reports_sighting_id_breach_reports", type_="foreignkey")
        batch_op.drop_column("match_reason")
        batch_op.drop_column("sighting_id")
