"""/lom contact <subject> <kind> <outcome> [date] [notes]: log a contact."""

from __future__ import annotations

from lom_bot.blocks.history import confirmation
from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE
from lom_bot.handlers.args import ContactArgs, parse_args
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.parsing import parse_line
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.corrections import record_ref
from lom_bot.services.permissions import Action
from lom_bot.services.records import LogContact, log_contact

USAGE = "contact <subject> <kind> <outcome> [date] [notes]"


def run(ctx: CommandContext, values: Values) -> Reply:
    args = parse_args(ContactArgs, values, ctx.rt.clock.today())
    cmd = LogContact(
        subject=args.subject,
        kind=args.kind,
        outcome=args.outcome,
        occurred_on=args.date,
        notes=args.notes,
        request_key=args.request_key,
    )
    logged = log_contact(ctx.rt.uow(), ctx.actor, cmd)
    ref = record_ref("contact", logged.record_id)
    text = f":white_check_mark: Contact logged for {logged.ref}: {logged.summary} ({ref})."
    return Reply(text, blocks=confirmation(text, ref))


FORM = form(
    Form(
        name="contact",
        title="Log a contact",
        submit="Log contact",
        fields=(
            FormField("subject", "Subject", placeholder="LOM-0042, a PNC ID or a name"),
            FormField("kind", "Kind of contact", "select", vocab.options(vocab.CONTACT_KINDS)),
            FormField("outcome", "Outcome", "select", vocab.options(vocab.CONTACT_OUTCOMES)),
            FormField("date", "Date", optional=True, hint=DATE_EXAMPLE, placeholder="today"),
            FormField("notes", "Notes", "multiline", optional=True),
        ),
        run=run,
        error_fields={
            "contact date": "date",
            "absence_reason": "notes",
            "absence reason": "notes",
            "location": "notes",
        },
    )
)


@subcommand(
    "contact",
    usage=USAGE,
    summary="Log a contact (call, home visit, probation appointment...) and its outcome",
    examples=(
        "/lom contact LOM-0042 home visit complied today seen at home, no concerns",
        "/lom contact LOM-0007 call no answer yesterday",
    ),
    permission=Action.LOG_CONTACT,
)
def contact_command(ctx: CommandContext, text: str) -> Reply:
    if text.lower().startswith("correct "):  # /lom contact correct <ref> ...
        return correct_command(ctx, text[len("correct ") :])
    values = parse_line(
        text,
        ctx.rt.clock.today(),
        [("kind", vocab.CONTACT_KINDS), ("outcome", vocab.CONTACT_OUTCOMES)],
        date_name="date",
        rest_name="notes",
    )
    return fill_or_run(ctx, FORM, values, USAGE)
