"""lom-bot demo seed."""

from __future__ import annotations

import click

from lom_bot.cli.common import runtime
from lom_bot.demo.seed import seed_demo


def register(cli: click.Group) -> None:
    @cli.group("demo")
    def demo() -> None:
        """Demo data (plainly fictional people)."""

    @demo.command("seed")
    def seed() -> None:
        """Fill an empty database with about 40 fictional subjects and their history."""
        rt = runtime()
        report = seed_demo(rt.uow())
        if report is None:
            click.echo("The database already has subjects; demo data not added.")
        else:
            click.echo(f"Demo data added: {report}.")
