"""lom-bot run: what `make run` starts."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from lom_bot.cli.common import runtime
from lom_bot.demo.seed import seed_demo
from lom_bot.store.tables import Order, Subject


def register(cli: click.Group) -> None:
    @cli.command("run")
    def run() -> None:
        """Connect to Slack when tokens are set; otherwise show the demo database."""
        rt = runtime()
        if rt.settings.slack_configured:
            raise click.ClickException("Slack connection is not built yet (issue: the Slack app).")
        report = seed_demo(rt.uow())
        if report:
            click.echo(f"Demo data added: {report}.")
        with rt.uow() as uow:
            subjects = uow.session.scalar(select(func.count(Subject.id)))
            rows = uow.session.execute(
                select(Order.status, func.count(Order.id)).group_by(Order.status))
            click.echo(f"{rt.settings.database_url}: {subjects} subjects; orders by state:")
            for status, count in sorted(rows, key=lambda r: str(r[0])):
                click.echo(f"  {status.value.replace('_', ' '):<24} {count}")
        click.echo("Set SLACK_BOT_TOKEN and SLACK_APP_TOKEN to connect to Slack.")
