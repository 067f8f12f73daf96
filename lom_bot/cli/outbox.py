"""lom-bot outbox list [--failed] | retry ID | retry --request ID | purge: what Slack was not
sent, dead letters, and the retention purge of what was."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from lom_bot.cli.common import runtime


def register(cli: click.Group) -> None:
    @cli.group("outbox")
    def outbox() -> None:
        """Messages waiting for Slack, and those set aside after too many failures."""

    @outbox.command("list")
    @click.option("--failed", is_flag=True, help="Only dead letters (set aside, not retried).")
    def list_cmd(failed: bool) -> None:
        """What is waiting to be sent, or (--failed) what was given up, with the last error."""
        from lom_bot.services.delivery_admin import dead_letters
        from lom_bot.store import inbox
        from lom_bot.store.tables import OutboxMessage as M

        rt = runtime(migrate=False)
        dead = dead_letters(rt.uow(reads=True))
        requests = inbox.dead(rt.inbox_engine)
        if not failed:
            with rt.uow(reads=True) as uow:
                waiting = select(func.count(M.id)).where(M.sent_at.is_(None), M.failed_at.is_(None))
                click.echo(f"{uow.session.scalar(waiting) or 0} messages waiting to be sent.")
        click.echo(f"{len(dead)} dead letters (messages Slack never took):")
        for d in dead:
            when = d.failed_at.strftime("%Y-%m-%d %H:%M UTC") if d.failed_at else "?"
            click.echo(f"  {d.id}  {d.method} to {d.channel}  {d.attempts} attempts, given up "
                       f"{when}: {d.last_error[:120]}")  # fmt: skip
        click.echo(f"{len(requests)} Slack requests set aside (could not be processed):")
        for r in requests:
            when = r.failed_at.strftime("%Y-%m-%d %H:%M UTC") if r.failed_at else "?"
            click.echo(f"  {r.id}  {r.kind} {r.event_id or ''}  {r.attempts} attempts, set "
                       f"aside {when}")  # fmt: skip
        rt.close()

    @outbox.command("retry")
    @click.argument("message_id", type=int)
    @click.option("--request", is_flag=True, help="ID is a Slack request set aside, not a message.")
    def retry(message_id: int, request: bool) -> None:
        """Try a dead letter (or, with --request, a request set aside) again now."""
        from lom_bot.services.delivery_admin import retry_dead_letter
        from lom_bot.store import inbox

        rt = runtime(migrate=False)
        try:
            if request:
                done = inbox.retry_dead(rt.inbox_engine, message_id)
            else:
                done = retry_dead_letter(rt.uow(), message_id)
        finally:
            rt.close()
        what = "request" if request else "message"
        if not done:
            raise click.ClickException(
                f"no {what} {message_id} set aside (see lom-bot outbox list --failed)"
            )
        click.echo(f"{what.capitalize()} {message_id} queued again; the running bot sends it.")

    @outbox.command("purge")
    def purge() -> None:
        """Delete sent messages and seen Slack event ids older than retention.delivery_days
        (the scheduler does this every night)."""
        from lom_bot.services.delivery_admin import purge_delivered

        rt = runtime(migrate=False)
        days = rt.config.retention.delivery_days
        try:
            purged = purge_delivered(rt.uow(), days)
        finally:
            rt.close()
        click.echo(f"Purged {purged.messages} sent messages and {purged.event_ids} Slack event "
                   f"ids older than {days} days.")  # fmt: skip
