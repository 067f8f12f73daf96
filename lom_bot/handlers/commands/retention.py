"""/lom retention <ref> retain [until DATE] <reason> | erase <reason>: a supervisor's decision
on a record due for review (the monthly list); always audited, erasure redacts in place."""

from __future__ import annotations

from lom_bot.domain.dates import parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.retention import Decision, RecordKind, RecordRef, decide_retention

USAGE = "retention <LOM-ref | SCPO-ref | intel ref> retain [until <date>] <reason> | erase <reason>"


def record_of(word: str) -> RecordRef:
    ref = word.strip().upper()
    if ref.startswith("LOM-"):
        return RecordRef(RecordKind.SUBJECT, ref)
    if ref.startswith("SCPO-"):
        return RecordRef(RecordKind.ORDER, ref)
    if ref.startswith("INT-"):
        return RecordRef(RecordKind.INTELLIGENCE, ref)
    raise InvalidInput(
        f"'{word[:40]}' is not a record reference: a subject (LOM-), order (SCPO-) or "
        "intelligence (INT-) reference.",
        field="record",
        example="/lom retention LOM-0042 retain still under an order",
    )


@subcommand(
    "retention",
    usage=USAGE,
    summary="Decide on a record due for retention review: retain or erase (supervisors)",
    examples=(
        "/lom retention LOM-0042 retain until 01/12/2030 still managed by probation",
        "/lom retention INT-00017 erase graded E and shown to be false",
    ),
    permission=Action.RETENTION_DECISION,
)
def retention_command(ctx: CommandContext, text: str) -> Reply:
    words = text.split()
    if len(words) < 2 or words[1].lower() not in ("retain", "erase"):
        raise InvalidInput(f"Say which record and what to do: `/lom {USAGE}`.")
    record, decision = record_of(words[0]), Decision(words[1].lower())
    rest, until = words[2:], None
    if decision is Decision.RETAIN and len(rest) >= 2 and rest[0].lower() == "until":
        until = parse_date(rest[1], ctx.rt.clock.today(), field="review_on")
        rest = rest[2:]
    reason = " ".join(rest)
    return Reply(
        decide_retention(ctx.rt.uow(), ctx.actor, record, decision, reason, review_on=until)
    )
