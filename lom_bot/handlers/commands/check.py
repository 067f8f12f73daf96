"""/lom check <subject> <kind> <result> [date] [notes]: log a compliance check."""

from __future__ import annotations

from lom_bot.blocks.common import RERUN, actions, button
from lom_bot.blocks.history import confirmation
from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE
from lom_bot.domain.enums import CheckResult
from lom_bot.handlers.args import CheckArgs, parse_args
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.parsing import parse_line
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.check_breach import raise_breach_from_check
from lom_bot.services.corrections import record_ref
from lom_bot.services.permissions import Action
from lom_bot.services.records import LogCheck, log_check

USAGE = "check <subject> <kind> <result> [date] [notes]"


def run(ctx: CommandContext, values: Values) -> Reply:
    args = parse_args(CheckArgs, values, ctx.rt.clock.today())
    cmd = LogCheck(
        subject=args.subject,
        kind=args.kind,
        result=args.result,
        done_on=args.date,
        notes=args.notes,
        request_key=args.request_key,
    )
    logged = log_check(ctx.rt.uow(), ctx.actor, cmd)
    ref = record_ref("check", logged.record_id)
    text = f":white_check_mark: Check logged for {logged.ref}: {logged.summary} ({ref})."
    blocks = confirmation(text, ref)
    if args.result is CheckResult.CONCERN:  # one click into triage, linked to this check
        blocks += actions(
            [button("Raise as possible breach", RERUN, f"check breach {ref}", style="danger")],
            block_id=f"check_breach_{ref}",
        )
    return Reply(text, blocks=blocks)


def breach_from_check(ctx: CommandContext, text: str) -> Reply:
    """/lom check breach CHK-00012: the check's concern goes to triage as a possible breach."""
    report = raise_breach_from_check(ctx.rt.uow(), ctx.actor, text.strip())
    return Reply(
        f":rotating_light: {text.strip().upper()} raised as possible breach {report}: it is in "
        "triage for assessment, linked to the check."
    )


FORM = form(
    Form(
        name="check",
        title="Log a check",
        submit="Log check",
        fields=(
            FormField("subject", "Subject", placeholder="LOM-0042, a PNC ID or a name"),
            FormField("kind", "Kind of check", "select", vocab.options(vocab.CHECK_KINDS)),
            FormField("result", "Result", "select", vocab.options(vocab.CHECK_RESULTS)),
            FormField("date", "Date", optional=True, hint=DATE_EXAMPLE, placeholder="today"),
            FormField("notes", "Notes", "multiline", optional=True),
        ),
        run=run,
        error_fields={"check date": "date"},
    )
)


@subcommand(
    "check",
    usage=USAGE,
    summary="Log a compliance check (ANPR, telecoms, open source, financial...) and its result",
    examples=(
        "/lom check LOM-0042 anpr no concerns today",
        "/lom check LOM-0007 financial concern 24/11/2026 cash deposits of £9,000",
    ),
    permission=Action.LOG_CHECK,
)
def check_command(ctx: CommandContext, text: str) -> Reply:
    if text.lower().startswith("correct "):  # /lom check correct <ref> ...
        return correct_command(ctx, text[len("correct ") :])
    if text.lower().startswith("breach "):  # /lom check breach <CHK-ref>
        return breach_from_check(ctx, text[len("breach ") :])
    values = parse_line(
        text,
        ctx.rt.clock.today(),
        [("kind", vocab.CHECK_KINDS), ("result", vocab.CHECK_RESULTS)],
        date_name="date",
        rest_name="notes",
    )
    return fill_or_run(ctx, FORM, values, USAGE)
