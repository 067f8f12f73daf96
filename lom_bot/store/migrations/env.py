"""Alembic environment: runs against the URL the bot was given."""

from __future__ import annotations

from alembic import context

from lom_bot.store.db import make_engine
from lom_bot.store.tables import Base

config = context.config
url = (
    context.get_x_argument(as_dictionary=True).get("url")
    or config.get_main_option("sqlalchemy.url")
    or "sqlite:///var/lom-bot.sqlite3"
)
engine = make_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
