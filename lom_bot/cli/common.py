"""What every command shares: building the runtime, and turning errors into one line."""

from __future__ import annotations

import logging
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import ConfigError
from lom_bot.domain.errors import DomainError


def runtime(migrate: bool = True, **kwargs: Any) -> Runtime:
    return build_runtime(migrate=migrate, **kwargs)


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
    return 0
