"""/lom upcoming [days]: releases and order expiries ahead, soonest first."""

from __future__ import annotations

from lom_bot.blocks.digest import upcoming_messages
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.digest import upcoming_for
from lom_bot.services.permissions import Action

MAX_DAYS = 366


@subcommand(
    "upcoming",
    usage="upcoming [days]",
    summary="Releases and order expiries ahead (all within the horizons, or the next N days)",
    examples=("/lom upcoming", "/lom upcoming 30"),
    permission=Action.VIEW_DUE,
)
def upcoming_command(ctx: CommandContext, text: str) -> Reply:
    words = text.strip().lower().removesuffix("days").removesuffix("d").strip()
    within: int | None = None
    if words:
        if not words.isdigit() or not 0 < int(words) <= MAX_DAYS:
            raise InvalidInput(
                f"'{text.strip()[:40]}' is not a number of days from 1 to {MAX_DAYS}.",
                field="days",
                example="/lom upcoming 30",
            )
        within = int(words)
    ahead = upcoming_for(ctx.rt.uow(reads=True), ctx.actor, within_days=within)
    title = f"Releases and expiries in the next {within} days" if within else None
    first, *rest = upcoming_messages(ahead, title=title or "Releases and expiries ahead")
    return Reply(first[0], blocks=first[1], more=[Reply(t, blocks=b) for t, b in rest])
