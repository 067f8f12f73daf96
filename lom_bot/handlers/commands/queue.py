"""/lom queue: what awaits a supervisor (applications, gate overrides, decisions), with buttons."""

from __future__ import annotations

from lom_bot.blocks.home import queue_blocks
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.supervisor_queue import supervisor_queue_for

USAGE = "queue"


@subcommand(
    "queue",
    usage=USAGE,
    summary="Supervisors: what awaits you (approve, return, override, decide)",
    examples=("/lom queue",),
    permission=Action.APPROVE_APPLICATION,
)
def queue_command(ctx: CommandContext, text: str) -> Reply:
    queue = supervisor_queue_for(ctx.rt.uow(reads=True), ctx.actor)
    total = len(queue.items)
    if not total:
        return Reply("Nothing awaits a supervisor.")
    return Reply(f"Awaiting you: {total}", blocks=queue_blocks(queue, shown=20))
