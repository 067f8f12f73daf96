"""/lom order <subject> [step ...]: the order card, its history, and each step of its life."""

from __future__ import annotations

import shlex

from lom_bot.blocks.order import as_of_blocks, history_blocks, order_blocks
from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.forms import Values, fill_or_run
from lom_bot.handlers.order_actions import STEP_FORMS
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services import orders as o
from lom_bot.services.permissions import Action

USAGE = "order <subject> [history [date] | <step> [field=value ...] [text]]"
STEPS = ", ".join(STEP_FORMS)
# Where words that are not field=value go, per step.
FREE_TEXT = {
    "propose": "grounds",
    "draft": "grounds",
    "approve": "comments",
    "return": "comments",
    "submit": "note",
    "refuse": "reason",
    "override": "reason",
    "close": "note",
    "letter": "failure",
    "extend": "charge",
    "pending": "note",
    "discharge": "reason",
    "activate": "released",
    "visit_book": "date",
    "accept": "date",
    "systems": "step",
    "closure": "step",
    "pack_in": "step",
    "pack_out": "step",
    "transfer_out": "force",
    "transfer_in": "force",
    "visit": "notes",
}


def split(text: str) -> tuple[str, str, str]:
    """(subject, step, rest): the subject is every word before the first step word."""
    words = text.split()
    for i, word in enumerate(words):
        key = word.lower().replace("-", "_")
        if i and (key in STEP_FORMS or key == "history"):
            return " ".join(words[:i]), key, " ".join(words[i + 1 :])
    return text.strip(), "", ""


def fields(step: str, rest: str) -> Values:
    """`court="Leeds Crown Court" made=02/11/2026 ...` plus free words into the step's text."""
    try:
        words = shlex.split(rest)
    except ValueError:
        raise InvalidInput("A quote is not closed.", example='court="Leeds Crown Court"') from None
    values: Values = {}
    free = []
    for word in words:
        name, sep, value = word.partition("=")
        if sep and name.isidentifier():
            values[name.lower()] = value
        else:
            free.append(word)
    if free:
        target = FREE_TEXT.get(step)
        if target is None:
            raise InvalidInput(
                f"'{' '.join(free)[:60]}': give each value as field=value.",
                example="made=02/11/2026",
            )
        values.setdefault(target, " ".join(free))
    return values


@subcommand(
    "order",
    usage=USAGE,
    summary="An order: its card, history, what it said on a date, and every step of its life",
    examples=(
        "/lom order LOM-0042",
        "/lom order LOM-0042 history 01/06/2026",
        '/lom order LOM-0042 grant court="Leeds Crown Court" made=02/11/2026 term=60',
        "/lom order LOM-0042 activate today",
    ),
    permission=Action.VIEW_SUBJECT,
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
