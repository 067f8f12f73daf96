"""/lom order <subject> [step ...]: the order card, its history, and each step of its life."""

from __future__ import annotations

from lom_bot.blocks.order import as_of_blocks, history_blocks, order_blocks
from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.forms import fill_or_run
from lom_bot.handlers.order_actions import STEP_FORMS
from lom_bot.handlers.order_actions.grammar import fields, help_details, split
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services import orders as o
from lom_bot.services.permissions import Action

USAGE = "order <subject> [history [date] | <step> [field=value ...] [text]]"
HELP_DETAILS = help_details()


@subcommand(
    "order",
    usage=USAGE,
    summary="An order: its card, history, what it said on a date, and every step of its life",
    examples=(
        "/lom order LOM-0042",
        "/lom order LOM-0042 history 01/06/2026",
        '/lom order LOM-0042 grant court="Leeds Crown Court" reference=T20267001 '
        "made=02/11/2026 term=60",
        "/lom order LOM-0042 activate today",
    ),
    permission=Action.VIEW_SUBJECT,
    details=HELP_DETAILS,
)
def order_command(ctx: CommandContext, text: str) -> Reply:
    subject, step, rest = split(text)
    if not subject:
        raise InvalidInput("Which subject?", example="/lom order LOM-0042")
    if not step:
        view = o.view_order(ctx.rt.uow(), ctx.actor, subject)
        return Reply(f"{view.subject_ref} order {view.order['ref']}", blocks=order_blocks(view))
    if step == "history":
        if rest.strip():
            on = parse_date(rest, ctx.rt.clock.today(), field="date")
            as_of = o.order_as_of(ctx.rt.uow(), ctx.actor, subject, on)
            return Reply(f"{as_of.order_ref} on {rest.strip()}", blocks=as_of_blocks(as_of))
        view = o.view_order(ctx.rt.uow(), ctx.actor, subject)
        return Reply(f"{view.order['ref']} history", blocks=history_blocks(view))
    values = {"subject": subject, **fields(step, rest)}
    return fill_or_run(ctx, STEP_FORMS[step], values, f"order {subject} {step} ...")
