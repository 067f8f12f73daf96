"""What every command shares: building the runtime, and turning errors into one line."""

from __future__ import annotations

import logging
import os
from typing import Any

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from lom_bot.bootstrap import build_runtime
from lom_bot.config import ConfigError, Settings, load_settings
from lom_bot.domain.errors import DomainError
from lom_bot.runtime import Runtime

DEFAULT_DATABASE_URL = str(Settings.model_fields["database_url"].default)


def runtime(
    migrate: bool = True, settings: Settings | None = None, why: str | None = None, **kwargs: Any
) -> Runtime:
    """The runtime every command uses, after saying which database it is (one line)."""
    settings = settings or load_settings()
    announce_database(settings, why)
    return build_runtime(settings, migrate=migrate, **kwargs)


def database_line(settings: Settings, why: str | None = None) -> str:
    """`Database: <url, password hidden> (where the setting came from)`."""
    url = make_url(settings.database_url).render_as_string(hide_password=True)
    if why is not None:
        where = why
    elif settings.database_url == DEFAULT_DATABASE_URL:
        where = "the default; set DATABASE_URL to use another"
    else:
        where = "from DATABASE_URL" if "DATABASE_URL" in os.environ else "as given"
    return f"Database: {url} ({where})"


def announce_database(settings: Settings, why: str | None = None) -> None:
    """Print the database line on stderr, so stdout stays the command's own output."""
    click.echo(database_line(settings, why), err=True)


def run_cli(group: click.Group) -> int:
    try:
        group.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except ConfigError as exc:
        click.echo(f"Configuration error: {exc}", err=True)
        return 2
    except DomainError as exc:
        click.echo(f"Error: {exc}", err=True)
        return 1
    except OperationalError as exc:
        click.echo(
            f"Database error: cannot use the database ({exc.orig.__class__.__name__}). "
            "Check DATABASE_URL and that the server is running.",
            err=True,
        )
        logging.getLogger(__name__).debug("database error", exc_info=True)
        return 3
    except (NoSuchModuleError, ArgumentError) as exc:  # a DATABASE_URL SQLAlchemy cannot read
        click.echo(
            f"Database error: DATABASE_URL is not a database URL this bot can use ({exc}). "
            "Expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB.",
            err=True,
        )
        return 3
    return 0
