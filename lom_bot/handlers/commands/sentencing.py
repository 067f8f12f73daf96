"""`/lom stats sentencing [from] [to]` and `/lom stats capacity` (supervisors)."""

from __future__ import annotations

from lom_bot.blocks.capacity import capacity_messages
from lom_bot.blocks.sentencing import sentencing_messages
from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.capacity import capacity_for
from lom_bot.services.sentencing import EXAMPLE, choose_period, sentencing_for


def sentencing_reply(ctx: CommandContext, words: list[str]) -> Reply:
    """The figures and each case (ephemeral or in a sensitive channel); the chart by DM."""
    if len(words) > 2:
        raise InvalidInput("Give at most two dates: from and to.", example=EXAMPLE)
    today = ctx.rt.clock.today()
    start = parse_date(words[0], today, field="from") if words else None
    end = parse_date(words[1], today, field="to") if len(words) > 1 else None
    first, last = choose_period(start, end, today)
    report = sentencing_for(ctx.rt.uow(), ctx.actor, first, last)
    (text, blocks), *rest = sentencing_messages(report)
    return Reply(text, blocks=blocks, more=[Reply(t, blocks=b) for t, b in rest])


def capacity_reply(ctx: CommandContext, words: list[str]) -> Reply:
    """This week's workload against capacity; the chart by DM."""
    if words:
        raise InvalidInput("`/lom stats capacity` takes no dates: it is this week's.")
    (text, blocks), *rest = capacity_messages(capacity_for(ctx.rt.uow(), ctx.actor))
    return Reply(text, blocks=blocks, more=[Reply(t, blocks=b) for t, b in rest])
