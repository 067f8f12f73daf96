"""Structured court outcome fields: offence, section, plea, disposal, penalty, new order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("court_outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("charge_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("offence", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("section", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("plea", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("disposal", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("custody_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("fine_pounds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("penalty", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("new_order", sa.Boolean(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_court_outcomes_charge_id_court_outcomes"),
            "court_outcomes",
            ["charge_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("court_outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_court_outcomes_charge_id_court_outcomes"), type_="foreignkey"
        )
        for name in (
            "new_order",
            "penalty",
            "fine_pounds",
            "custody_months",
            "disposal",
            "plea",
            "section",
            "offence",
            "charge_id",
        ):
            batch_op.drop_column(name)
