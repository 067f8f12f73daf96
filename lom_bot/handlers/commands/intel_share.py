"""/lom intel share <INT-ref> <recipient> [date] <purpose> [handling: C]: a dissemination."""

from __future__ import annotations

import re

from lom_bot.domain.dates import DATE_EXAMPLE, format_date, parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.dissemination import ShareIntel, recipients, record_dissemination

USAGE = "intel share <intelligence ref> <recipient> [date] <purpose> [handling: P|C]"
_HANDLING = re.compile(r"\bhandling\s*:\s*([PCpc])\b")


def run(ctx: CommandContext, values: Values) -> Reply:
    today = ctx.rt.clock.today()
    on = parse_date(values["date"], today, field="date") if values.get("date") else today
    cmd = ShareIntel(
        intel=values["intel"],
        recipient=values["recipient"],
        shared_on=on,
        purpose=values.get("purpose", ""),
        handling=values.get("handling") or None,
    )
    done = record_dissemination(ctx.rt.uow(), ctx.actor, cmd)
    return Reply(
        f":outbox_tray: {done.intel_ref} ({done.subject_ref}) recorded as shared with "
        f"{done.recipient} on {format_date(on)} under handling code {done.handling}. "
        "It shows on the card and in the audit log as a disclosure."
    )


FORM = form(
    Form(
        name="intel_share",
        title="Record sharing",
        submit="Record",
        fields=(
            FormField("subject", "Intelligence", placeholder="INT-00012"),
            FormField("recipient", "Shared with", placeholder="ROCU, NCA, Leeds district..."),
            FormField("date", "Date shared", optional=True, hint=DATE_EXAMPLE),
            FormField("purpose", "Purpose", "multiline"),
            FormField("handling", "Handling code (P or C)", optional=True, placeholder="P"),
        ),
        run=lambda ctx, v: run(ctx, {**v, "intel": v.get("subject", "")}),
        error_fields={"intel": "subject"},
    )
)


def parse(ctx: CommandContext, text: str) -> Values:
    """`INT-00012 Leeds district 03/12/2026 to task passing attention handling: P`."""
    values: Values = {}
    found = _HANDLING.search(text)
    if found:
        values["handling"] = found.group(1).upper()
        text = (text[: found.start()] + text[found.end() :]).strip()
    words = text.split()
    if not words:
        return values
    values["subject"] = words[0]
    rest = " ".join(words[1:])
    names = sorted(recipients(ctx.rt.config), key=len, reverse=True)
    for name in names + [n.removesuffix(" district") for n in names]:
        if rest.lower().startswith(name.lower() + " ") or rest.lower() == name.lower():
            values["recipient"], rest = name, rest[len(name) :].strip()
            break
    else:
        if rest:
            raise InvalidInput(
                f"'{rest.split()[0]}' is not on the list of recipients in app.yaml.",
                field="recipient",
                example=", ".join(recipients(ctx.rt.config)),
            )
    first, _, after = rest.partition(" ")
    if first and (first[0].isdigit() or first.lower() in ("today", "yesterday")):
        values["date"], rest = first, after
    if rest.strip():
        values["purpose"] = rest.strip()
    return values


def share_command(ctx: CommandContext, text: str) -> Reply:
    return fill_or_run(ctx, FORM, parse(ctx, text), USAGE)
