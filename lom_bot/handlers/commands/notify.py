"""/lom notify <subject> <what> [by <means>] [date] [happened <date>] [detail]: record what a
subject notified under a reporting duty; `/lom notify <subject>` lists them, late ones marked."""

from __future__ import annotations

import re
from enum import StrEnum

from lom_bot.blocks.common import escape, header, section
from lom_bot.blocks.history import confirmation
from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands.correct import correct_command
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.parsing import parse_line
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.corrections import record_ref
from lom_bot.services.notifications import (
    RecordNotification,
    notifications_of,
    record_notification,
)
from lom_bot.services.permissions import Action

USAGE = "notify <subject> <what> <means> [date] [happened <date>] [detail]"


class What(StrEnum):
    DEVICE = "device"
    VEHICLE = "vehicle"
    ADDRESS = "address"
    BANK_ACCOUNT = "bank_account"
    EMPLOYMENT = "employment"
    TRAVEL = "travel"
    OTHER = "other"


class Means(StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    ONLINE = "online"


WHAT: vocab.Synonyms = {
    What.DEVICE: ("device", "phone", "mobile", "new phone", "laptop", "sim", "new device"),
    What.VEHICLE: ("vehicle", "car", "van", "new car"),
    What.ADDRESS: ("address", "new address", "moved"),
    What.BANK_ACCOUNT: ("bank account", "bank", "account", "bank statements", "statements"),
    What.EMPLOYMENT: ("employment", "job", "work", "new job"),
    What.TRAVEL: ("travel", "trip", "holiday", "abroad"),
    What.OTHER: ("other",),
}
MEANS: vocab.Synonyms = {
    Means.IN_PERSON: ("in person", "by hand", "at the station", "in the office"),
    Means.PHONE: ("phone", "by phone", "phoned", "call", "rang"),
    Means.EMAIL: ("email", "by email", "e-mail", "emailed"),
    Means.LETTER: ("letter", "by letter", "post", "by post"),
    Means.ONLINE: ("online", "portal", "web"),
}
_HAPPENED = re.compile(r"\b(?:happened|acquired|since|from)\s+(\S+)", re.IGNORECASE)


def run(ctx: CommandContext, values: Values) -> Reply:
    today = ctx.rt.clock.today()
    what = vocab.lookup(values.get("what", ""), WHAT)
    if what is None:
        options = ", ".join(vocab.label(v) for v in WHAT)
        raise InvalidInput(f"What was notified? One of: {options}.", field="what")
    means = vocab.lookup(values.get("means", ""), MEANS)
    if means is None:
        options = ", ".join(vocab.label(v) for v in MEANS)
        raise InvalidInput(f"How was it notified? One of: {options}.", field="means")
    detail = values.get("detail", "")
    happened_text = values.get("happened", "").strip()
    found = _HAPPENED.search(detail)
    if found and not happened_text:
        happened_text, detail = found[1], (detail[: found.start()] + detail[found.end() :])
    when = values.get("date", "").strip() or "today"
    cmd = RecordNotification(
        subject=values.get("subject", ""),
        what=what.value,
        notified_on=parse_date(when, today, field="date"),
        means=means.value,
        event_on=parse_date(happened_text, today, field="happened") if happened_text else None,
        detail=detail.strip(" ,.;") or None,
        request_key=values.get("request_key"),
    )
    done = record_notification(ctx.rt.uow(), ctx.actor, cmd)
    ref = record_ref("notification", done.record_id)
    mark = ":white_check_mark:" if done.on_time is not False else ":warning:"
    text = f"{mark} Notification recorded for {done.subject_ref}: {done.summary} ({ref})."
    return Reply(text, blocks=confirmation(text, ref))


FORM = form(
    Form(
        name="notify",
        title="Record a notification",
        submit="Record",
        fields=(
            FormField("subject", "Subject", placeholder="LOM-0042, a PNC ID or a name"),
            FormField("what", "What was notified", "select", vocab.options(WHAT)),
            FormField("means", "How", "select", vocab.options(MEANS)),
            FormField("date", "Date notified", optional=True, hint=DATE_EXAMPLE),
            FormField("happened", "Date it happened", optional=True, hint=DATE_EXAMPLE),
            FormField("detail", "Detail", "multiline", optional=True),
        ),
        run=run,
        error_fields={
            "date notified": "date",
            "date it happened": "happened",
            "event_on": "happened",
        },
    )
)


@subcommand(
    "notify",
    usage=USAGE,
    summary="Record what a subject notified (device, vehicle, address, bank, job, travel)",
    examples=(
        "/lom notify LOM-0042 device by phone today happened 01/12/2026 new iPhone",
        "/lom notify LOM-0042 bank statements in person 04/12/2026",
        "/lom notify LOM-0042",
    ),
    permission=Action.LOG_CHECK,
)
def notify_command(ctx: CommandContext, text: str) -> Reply:
    if text.lower().startswith("correct "):
        return correct_command(ctx, text[len("correct ") :])
    words = text.split()
    if len(words) == 1:  # the subject alone: its notifications
        ref, lines = notifications_of(ctx.rt.uow(), ctx.actor, words[0])
        shown = "\n".join(f"• {escape(line)}" for line in lines[:30]) or "None recorded."
        blocks = [header(f"Notifications from {ref}"), section(shown)]
        return Reply(f"Notifications from {ref}: {len(lines)}", blocks=blocks)
    values = parse_line(
        text,
        ctx.rt.clock.today(),
        [("what", WHAT), ("means", MEANS)],
        date_name="date",
        rest_name="detail",
    )
    return fill_or_run(ctx, FORM, values, USAGE)
