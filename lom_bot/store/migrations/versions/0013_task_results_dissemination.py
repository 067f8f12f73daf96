"""District task results (done, not found, needs LOM; the time; anything for the LOM team)
and a dissemination's handling code and purpose.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("result", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("done_time", sa.String(length=5), nullable=True))
        batch.add_column(sa.Column("for_lom", sa.Text(), nullable=True))
    with op.batch_alter_table("disseminations") as batch:
        batch.add_column(sa.Column("handling", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("purpose", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("disseminations") as batch:
        batch.drop_column("purpose")
        batch.drop_column("handling")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("for_lom")
        batch.drop_column("done_time")
        batch.drop_column("result")
