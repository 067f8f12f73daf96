"""A subject's title (Mr, Ms...) for a letter's salutation, and a letter's service record.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 19:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subjects") as batch:
        batch.add_column(sa.Column("title", sa.String(length=10), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("served_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("served_how", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("served_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("served_by")
        batch.drop_column("served_how")
        batch.drop_column("served_on")
    with op.batch_alter_table("subjects") as batch:
        batch.drop_column("title")
