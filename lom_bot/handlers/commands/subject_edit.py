"""The subject card's Edit buttons: one form per part of the record (identity, custody and
risk, address, description, a release date), each prefilled, each change kept in the history
(a correction when the earlier value was wrong, with its reason)."""

from __future__ import annotations

from collections.abc import Callable

from lom_bot.domain import vocab
from lom_bot.domain.dates import DATE_EXAMPLE, parse_date
from lom_bot.domain.enums import ReleaseDateKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.identifiers import PNC_EXAMPLE
from lom_bot.handlers.forms import Form, FormField, Values, form
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.release_dates import record_release_date
from lom_bot.services.subject_edits import edit_subject

F = FormField
WRONG = (("no", "No: the facts changed"), ("yes", "Yes: it was recorded wrongly"))
COMMON = (
    F("correction", "Was the earlier value wrong?", "select", WRONG, optional=True),
    F("reason", "Why (required for a correction)", "multiline", optional=True),
)
PARTS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "identity": (
        "Edit identity",
        (
            F("given_names", "Given names"),
            F("family_name", "Family name"),
            F("born", "Date of birth", optional=True, hint=DATE_EXAMPLE),
            F("pnc", "PNC ID", optional=True, placeholder=PNC_EXAMPLE),
            F("niche", "Niche nominal", optional=True),
            F("visor", "ViSOR reference", optional=True),
            F("prison_number", "Prison number", optional=True),
        ),
    ),
    "status": (
        "Edit custody and risk",
        (
            F("custody", "Custody status", "select", vocab.options(vocab.CUSTODY)),
            F("risk", "Risk level", "select", vocab.options(vocab.RISK_LEVELS)),
        ),
    ),
    "address": (
        "Edit address",
        (F("address", "Home address", "multiline"), F("district", "District")),
    ),
    "description": (
        "Edit description",
        (F("description", "Description for districts (no photo)", "multiline"),),
    ),
    "release": (
        "Edit a release date",
        (
            F("kind", "Which date", "select", vocab.options(vocab.RELEASE_KINDS)),
            F("date", "Date", hint=DATE_EXAMPLE),
        ),
    ),
}


def _needs_reason(values: Values) -> list[str]:
    return ["reason"] if values.get("correction") == "yes" else []


def run_part(part: str) -> Callable[[CommandContext, Values], Reply]:
    def run(ctx: CommandContext, values: Values) -> Reply:
        correction = values.get("correction") == "yes"
        reason = values.get("reason") or None
        ref = values.get("subject", "")
        today = ctx.rt.clock.today()
        if part == "release":
            kind = vocab.lookup(values.get("kind", ""), vocab.RELEASE_KINDS)
            if not isinstance(kind, ReleaseDateKind):
                raise InvalidInput("Choose which release date.", field="kind")
            on = parse_date(values.get("date", ""), today, field="date")
            change = record_release_date(
                ctx.rt.uow(), ctx.actor, ref, kind, on, reason=reason, correction=correction
            )
            verb = "corrected" if correction else "recorded"
            return Reply(
                f":white_check_mark: {change.ref} {kind.value.upper()} {verb}: {on:%d/%m/%Y}."
            )
        changes: dict[str, object] = {}
        for spec in PARTS[part][1]:
            text = values.get(spec.name, "").strip()
            if spec.name == "born":
                if text:
                    changes["born"] = parse_date(text, today, field="born")
            elif spec.name == "custody":
                changes["custody"] = vocab.lookup(text, vocab.CUSTODY)
            elif spec.name == "risk":
                changes["risk"] = vocab.lookup(text, vocab.RISK_LEVELS)
            else:
                changes[spec.name] = text
        done = edit_subject(
            ctx.rt.uow(), ctx.actor, ref, changes, reason=reason, correction=correction
        )
        return Reply(":white_check_mark: " + "\n".join(done))

    return run


EDIT_FORMS = {
    part: form(
        Form(
            name=f"subject_edit_{part}",
            title=title,
            submit="Save",
            fields=(F("subject", "Subject"), *fields, *COMMON),
            run=run_part(part),
            error_fields={"value": fields[0].name, "born_on": "born", "pnc_id": "pnc"},
            also_required=_needs_reason,
        )
    )
    for part, (title, fields) in PARTS.items()
}
