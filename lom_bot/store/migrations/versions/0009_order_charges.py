"""s.22E charges (order_charges) and the which-order-governs question on orders.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lom_bot.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("offence", sa.String(length=200), nullable=False),
        sa.Column("charged_on", sa.Date(), nullable=False),
        sa.Column("court", sa.String(length=120), nullable=True),
        sa.Column("disposal", sa.String(length=200), nullable=True),
        sa.Column("disposed_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", lom_bot.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_charges_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_order_charges_recorded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_charges")),
    )
    with op.batch_alter_table("order_charges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_charges_order_id"), ["order_id"], unique=False)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("governs_question", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("governs_question")
    with op.batch_alter_table("order_charges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_charges_order_id"))
    op.drop_table("order_charges")
