"""lom-bot db upgrade."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from lom_bot.cli.common import announce_database
from lom_bot.config import load_settings
from lom_bot.store import db


def register(cli: click.Group) -> None:
    @cli.group("db")
    def database() -> None:
        """Manage the database schema."""

    @database.command("upgrade")
    def upgrade() -> None:
        """Run the migrations up to the newest (start-up does this too)."""
        settings = load_settings()
        announce_database(settings)
        db.upgrade(settings.database_url)
        url = make_url(settings.database_url)
        click.echo(f"Database {url.render_as_string(hide_password=True)} is up to date.")
