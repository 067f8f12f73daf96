"""lom-bot users: see who has which role (changes are made by admins in chat)."""

from __future__ import annotations

import click
from sqlalchemy import select

from lom_bot.cli.common import runtime
from lom_bot.store.tables import User


def register(cli: click.Group) -> None:
    @cli.command("users")
    def users() -> None:
        """List users and their roles."""
        rt = runtime()
        with rt.uow() as uow:
            for user in uow.session.scalars(select(User).order_by(User.name)):
                role = user.role.value if user.role else "(no role)"
                district = f" {user.district}" if user.district else ""
                click.echo(f"{user.slack_id:<12} {user.name:<28} {role}{district}")
