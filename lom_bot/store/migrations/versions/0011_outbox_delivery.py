"""Outbox and inbox delivery: dead letters, posts that may have reached Slack, shared posts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import lom_bot.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_at", lom_bot.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("maybe_sent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("inbound_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("failed_at", lom_bot.store.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("inbound_requests", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
        batch_op.drop_column("attempts")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("shared")
        batch_op.drop_column("maybe_sent")
        batch_op.drop_column("failed_at")
