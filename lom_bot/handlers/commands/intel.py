"""/lom intel <subject> <grading> <text> [conditions: ...]: record graded intelligence."""

from __future__ import annotations

from lom_bot.blocks.history import confirmation
from lom_bot.domain.enums import HandlingCode
from lom_bot.domain.errors import DomainError
from lom_bot.domain.grading import GRADING_EXAMPLE, parse_grading
from lom_bot.handlers.args import IntelArgs, parse_args
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.commands.intel_share import share_command
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.parsing import parse_intel
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.permissions import Action
from lom_bot.services.records import LogIntel, log_intelligence

USAGE = "intel <subject> <grading 3x5x2> <text> [conditions: <handling conditions>]"


def run(ctx: CommandContext, values: Values) -> Reply:
    args = parse_args(IntelArgs, values, ctx.rt.clock.today())
    cmd = LogIntel(
        subject=args.subject,
        text=args.text,
        grading=args.grading,
        handling_conditions=args.conditions,
        request_key=args.request_key,
    )
    logged = log_intelligence(ctx.rt.uow(), ctx.actor, cmd)
    text = f":white_check_mark: Intelligence recorded for {logged.ref}: {logged.summary}."
    return Reply(text, blocks=confirmation(text, logged.summary.split(" ", 1)[0]))


def needs_conditions(values: Values) -> list[str]:
    """Handling code C is shared only under conditions, so they must be given."""
    try:
        grading = parse_grading(values.get("grading", ""))
    except DomainError:
        return []
    return ["conditions"] if grading.handling is HandlingCode.CONDITIONS else []


FORM = form(
    Form(
        name="intel",
        title="Record intelligence",
        submit="Record",
        fields=(
            FormField("subject", "Subject", placeholder="LOM-0042, a PNC ID or a name"),
            FormField("grading", "Grading (3x5x2)", hint=GRADING_EXAMPLE, placeholder="1/B/P"),
            FormField("text", "Intelligence", "multiline"),
            FormField(
                "conditions",
                "Handling conditions",
                "multiline",
                optional=True,
                hint="Required when the handling code is C",
            ),
        ),
        run=run,
        error_fields={
            "handling_conditions": "conditions",
            "intelligence text": "text",
        },
        also_required=needs_conditions,
    )
)


@subcommand(
    "intel",
    usage=USAGE,
    summary="Record intelligence with its 3x5x2 grading (required)",
    examples=(
        "/lom intel LOM-0042 2/C/P seen driving a white Transit van in Harehills",
        "/lom intel LOM-0007 1/B/C meeting at the Fox pub conditions: DS approval to share",
    ),
    permission=Action.LOG_INTEL,
    aliases=("intelligence",),
    details=(
        "Record a dissemination: `/lom intel share INT-00012 ROCU 03/12/2026 to corroborate "
        "the network (handling: C)` (recipients from app.yaml: districts, ROCU, NCA, HMRC, SFO, "
        "probation, other forces); it shows on the card and is audited as a disclosure.",
    ),
)
def intel_command(ctx: CommandContext, text: str) -> Reply:
    if text.lower().startswith("correct "):  # /lom intel correct <ref> ...
        return correct_command(ctx, text[len("correct ") :])
    if text.lower().startswith("share"):  # /lom intel share <ref> <recipient> ...
        return share_command(ctx, text[len("share") :].strip())
    return fill_or_run(ctx, FORM, parse_intel(text), USAGE)
