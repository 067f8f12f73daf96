"""/lom subjects [mine | all | <district>]: a caseload list."""

from __future__ import annotations

from lom_bot.blocks.lists import caseload_messages
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.readmodels.caseload import load_caseload


@subcommand(
    "subjects",
    usage="subjects [mine | all | <district>]",
    summary="Your caseload, everyone's, or a district's subjects",
    examples=("/lom subjects", "/lom subjects Leeds", "/lom subjects all"),
    permission=Action.LIST_CASELOAD,
    aliases=("caseload",),
)
def subjects_command(ctx: CommandContext, text: str) -> Reply:
    uow = ctx.rt.uow(reads=True)
    with uow:
        caseload = load_caseload(uow, ctx.actor, text)
        uow.commit()
    pages = caseload_messages(caseload)
    first, *rest = pages
    return Reply(first[0], blocks=first[1], more=[Reply(t, blocks=b) for t, b in rest])
