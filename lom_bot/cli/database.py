"""lom-bot db upgrade | db backup FILE | db restore FILE."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.engine import make_url

from lom_bot.cli.common import announce_database
from lom_bot.config import load_settings
from lom_bot.store import db


def register(cli: click.Group) -> None:
    @cli.group("db")
    def database() -> None:
        """Manage the database: schema upgrades, backup and restore."""

    @database.command("upgrade")
    def upgrade() -> None:
        """Run the migrations up to the newest (start-up does this too)."""
        settings = load_settings()
        announce_database(settings)
        db.upgrade(settings.database_url)
        url = make_url(settings.database_url)
        click.echo(f"Database {url.render_as_string(hide_password=True)} is up to date.")

    @database.command("grant-app-role")
    @click.argument("role")
    def grant_app_role_cmd(role: str) -> None:
        """PostgreSQL, run as the tables' owner: let ROLE (the one the bot connects as) use
        every table but only read and append to the audit log (docs/security.md)."""
        from lom_bot.store.audit_role import AuditRoleError, audit_privileges, grant_app_role

        settings = load_settings()
        engine = db.make_engine(settings.database_url)
        try:
            grant_app_role(engine, role)
            allowed = ", ".join(sorted(audit_privileges(engine, role)))
        except AuditRoleError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            engine.dispose()
        click.echo(f"{role} may now use lom-bot's tables; on the audit log only: {allowed}.")

    @database.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def backup_cmd(file: Path) -> None:
        """Copy the SQLite database to FILE while the bot runs (SQLite's online backup); for
        PostgreSQL, says how to use pg_dump (docs/deployment.md)."""
        from lom_bot.store.backup import BackupError, backup

        settings = load_settings()
        try:
            copied = backup(settings.database_url, file)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Backed up to {copied.path}: {copied.summary()}.")

    @database.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def restore_cmd(file: Path) -> None:
        """Restore a backup FILE into an empty SQLite database (DATABASE_URL), then migrate it
        to this version; stop the bot first. Never overwrites a database that holds tables."""
        from lom_bot.store.backup import BackupError, restore

        settings = load_settings()
        try:
            copied = restore(file, settings.database_url)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
        db.upgrade(settings.database_url)
        click.echo(
            f"Restored {file} into {copied.path}: {copied.summary()}; migrated to this "
            "version. Check it with `lom-bot audit verify`."
        )
