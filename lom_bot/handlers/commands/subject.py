"""/lom subject <subject>: the subject card."""

from __future__ import annotations

from lom_bot.blocks.card import subject_card
from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.readmodels import load_card


@subcommand(
    "subject",
    usage="subject <LOM ref | PNC ID | name>",
    summary="A subject's card: identifiers, order, conditions, last contacts, open items",
    examples=("/lom subject LOM-0042", "/lom subject 19/0012345X", "/lom subject Fictional"),
    permission=Action.VIEW_SUBJECT_LIMITED,
    aliases=("card", "s"),
)
def subject_command(ctx: CommandContext, text: str) -> Reply:
    uow = ctx.rt.uow(reads=True)
    with uow:
        card = load_card(uow, ctx.actor, text, with_intel=ctx.detail_allowed_in_channel)
        uow.commit()  # the consultation audit
        today = uow.clock.today()
    blocks = subject_card(
        card,
        today,
        intel_shown=ctx.detail_allowed_in_channel,
        buttons=True,
        order_button="order" in REGISTRY,
    )
    return Reply(f"{card.subject.ref} {card.subject.name}", blocks=blocks)
