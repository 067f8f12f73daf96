"""lom-bot demo seed."""

from __future__ import annotations

from typing import Any

import click

from lom_bot.cli.common import runtime
from lom_bot.demo.seed import seed_demo


def register(cli: click.Group) -> None:
    @cli.group("demo")
    def demo() -> None:
        """Demo data (plainly fictional people)."""

    @demo.command("seed")
    @click.option(
        "--scale",
        type=click.Choice(["demo", "force", "national"]),
        default="demo",
        show_default=True,
        help="demo: ~40 subjects; force: 500; national: 10,000 with five years of history.",
    )
    @click.option("--database-url", help="Database to fill (default: DATABASE_URL).")
    def seed(scale: str, database_url: str | None) -> None:
        """Fill an empty database with fictional subjects and their history."""
        rt = runtime(**_settings(database_url))
        if scale != "demo":
            from lom_bot.demo.synthetic import SCALES, seed_synthetic

            synthetic = seed_synthetic(rt.engine, rt.config, SCALES[scale], today=rt.clock.today())
            if synthetic is None:
                click.echo("The database already has subjects; synthetic data not added.")
            else:
                click.echo(f"Synthetic data added: {synthetic}.")
            return
        report = seed_demo(rt.uow())
        if report is None:
            click.echo("The database already has subjects; demo data not added.")
        else:
            click.echo(f"Demo data added: {report}.")


def _settings(database_url: str | None) -> dict[str, Any]:
    if database_url is None:
        return {}
    from lom_bot.config import load_settings

    return {"settings": load_settings().model_copy(update={"database_url": database_url})}
