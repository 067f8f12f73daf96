"""/lom due [team]: what is due or overdue today, yours or the whole team's."""

from __future__ import annotations

from lom_bot.blocks.digest import Message, digest_messages, district_messages
from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.digest import district_tasks_for, due_for

USAGE = "due [team]"


def _reply(pages: list[Message]) -> Reply:
    first, *rest = pages
    return Reply(first[0], blocks=first[1], more=[Reply(t, blocks=b) for t, b in rest])


@subcommand(
    "due",
    usage=USAGE,
    summary="What is due or overdue today: yours, or the team's (district officers: tasks)",
    examples=("/lom due", "/lom due team"),
)
def due_command(ctx: CommandContext, text: str) -> Reply:
    scope = text.strip().lower()
    if scope not in ("", "mine", "me", "team", "all"):
        raise InvalidInput(f"'{text.strip()[:40]}' is not a choice here.", example="/lom due team")
    if ctx.actor.is_district:
        district, tasks = district_tasks_for(ctx.rt.uow(reads=True), ctx.actor)
        today = ctx.rt.clock.today()
        if not tasks:
            return Reply(f"{district} has no open tasks ({format_date(today)}).")
        return _reply(district_messages(district, tasks, today, detail=True))  # ephemeral
    team = scope in ("team", "all")
    digest = due_for(ctx.rt.uow(reads=True), ctx.actor, team=team)
    day = f"{digest.today:%A} {format_date(digest.today)}"
    title = f"Due for the team: {day}" if team else f"Due for you: {day}"
    if not digest.lines and not team:
        return Reply(
            f"Nothing is due or overdue for you today ({format_date(digest.today)}). "
            "`/lom due team` shows the whole team's."
        )
    return _reply(digest_messages(digest, title=title))
