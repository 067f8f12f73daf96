"""/lom letter served <LET-ref> <how> [date]: a letter's service record (it is then issued)."""

from __future__ import annotations

from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.letter_service import SERVICE_WAYS, ServeLetter, serve_letter
from lom_bot.services.permissions import Action

USAGE = "letter served <letter ref> <how> [date]"


@subcommand(
    "letter",
    usage=USAGE,
    summary="Record how and when a letter was served (a letter is issued when served)",
    examples=("/lom letter served LET-00003 in person today",),
    permission=Action.GENERATE_LETTER,
    details=(f"How: {', '.join(SERVICE_WAYS)}.",),
)
def letter_command(ctx: CommandContext, text: str) -> Reply:
    verb, _, rest = text.strip().partition(" ")
    if verb.lower() != "served":
        raise InvalidInput("Say `served`.", example="/lom letter served LET-00003 in person")
    ref, _, rest = rest.strip().partition(" ")
    today = ctx.rt.clock.today()
    words = rest.split()
    on = today
    if words and (words[-1][0].isdigit() or words[-1].lower() in ("today", "yesterday")):
        on = parse_date(words.pop(), today, field="date")
    cmd = ServeLetter(ref, " ".join(words), on)
    return Reply(":page_facing_up: " + serve_letter(ctx.rt.uow(), ctx.actor, cmd))
