"""/lom correct <record> <field> <new value> because <reason>: correct any record, keeping the
earlier value with who, when and why. Also `/lom contact|check|intel|task correct ...`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from lom_bot.domain import vocab
from lom_bot.domain.dates import format_date, parse_date
from lom_bot.domain.enums import ReleaseDateKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.grading import parse_grading
from lom_bot.handlers.forms import Form, FormField, Values, fill_or_run, form
from lom_bot.handlers.registry import CommandContext, Reply, subcommand
from lom_bot.services.corrections import KINDS, REF_EXAMPLE, Correct, correct_record
from lom_bot.services.corrections import parse_record_ref as parse_ref
from lom_bot.services.release_dates import record_release_date
from lom_bot.services.subject_edits import FIELDS, change_subject

USAGE = "correct <record> <field> <new value> because <reason>"
_SUBJECT = re.compile(r"^\s*LOM-?\d+\s*$", re.IGNORECASE)
_REASON = re.compile(r"\s+(?:because|reason:)\s+", re.IGNORECASE)
# two-word field names people type, and the words for a field
ALIASES = {
    "absence reason": "absence_reason",
    "handling conditions": "handling_conditions",
    "given names": "given_names",
    "family name": "family_name",
    "prison number": "prison_number",
    "date of birth": "born",
    "dob": "born",
    "risk level": "risk",
    "custody status": "custody",
    "due date": "due",
    "when": "date",
    "on": "date",
}

Parse = Callable[[str, date], object]


def _choose(synonyms: vocab.Synonyms, what: str) -> Parse:
    def parse(text: str, _today: date) -> object:
        found = vocab.lookup(text, synonyms)
        if found is None:
            options = ", ".join(vocab.label(v) for v in synonyms)
            raise InvalidInput(
                f"'{text[:40]}' is not a {what}; use one of: {options}.", field="value"
            )
        return found

    return parse


def _date(text: str, today: date) -> object:
    return parse_date(text, today, field="value")


PARSERS: dict[tuple[str, str], Parse] = {
    ("contact", "outcome"): _choose(vocab.CONTACT_OUTCOMES, "contact outcome"),
    ("contact", "kind"): _choose(vocab.CONTACT_KINDS, "kind of contact"),
    ("contact", "date"): _date,
    ("check", "result"): _choose(vocab.CHECK_RESULTS, "check result"),
    ("check", "kind"): _choose(vocab.CHECK_KINDS, "kind of check"),
    ("check", "date"): _date,
    ("intelligence", "grading"): lambda text, _: parse_grading(text),
    ("task", "due"): _date,
    ("task", "kind"): _choose(vocab.TASK_KINDS, "kind of task"),
    ("notification", "date"): _date,
    ("subject", "born"): _date,
    ("subject", "risk"): _choose(vocab.RISK_LEVELS, "risk level"),
    ("subject", "custody"): _choose(vocab.CUSTODY, "custody status"),
}


def split(text: str) -> Values:
    """`CON-00012 outcome no show because typed wrong` -> record, field, value, reason."""
    parts = _REASON.split(text.strip(), maxsplit=1)
    body, reason = parts[0], (parts[1] if len(parts) > 1 else "")
    words = body.split()
    values: Values = {"record": words[0] if words else "", "reason": reason.strip()}
    rest = words[1:]
    for size in (3, 2, 1):
        phrase = " ".join(rest[:size]).lower()
        if len(rest) >= size and (phrase in ALIASES or phrase.replace(" ", "_") in _all_fields()):
            values["field"] = ALIASES.get(phrase, phrase.replace(" ", "_"))
            values["value"] = " ".join(rest[size:])
            return values
    if rest:
        values["field"], values["value"] = rest[0].lower(), " ".join(rest[1:])
    return values


def _all_fields() -> set[str]:
    names = {f for spec in KINDS.values() for f in spec.fields} | set(FIELDS)
    return names | {f"release_{v.value}" for v in vocab.RELEASE_KINDS}


def run(ctx: CommandContext, values: Values) -> Reply:
    record, field = values.get("record", "").strip(), values.get("field", "").strip().lower()
    field = ALIASES.get(field, field.replace(" ", "_"))
    text, reason = values.get("value", "").strip(), values.get("reason", "")
    today = ctx.rt.clock.today()
    if _SUBJECT.match(record):
        return _subject(ctx, record, field, text, reason, today)
    kind, _ = parse_ref(record)
    parse = PARSERS.get((kind, field))
    value = parse(text, today) if parse is not None else text
    done = correct_record(ctx.rt.uow(), ctx.actor, Correct(record, field, value, reason))
    return Reply(f":white_check_mark: {done.summary}.")


def _subject(
    ctx: CommandContext, ref: str, field: str, text: str, reason: str, today: date
) -> Reply:
    if field.startswith("release"):
        words = field.removeprefix("release").strip("_ ") or text.split(" ", 1)[0]
        kind = vocab.lookup(words.replace("_", " "), vocab.RELEASE_KINDS)
        if kind is None:
            raise InvalidInput(
                "Which release date? crd, ard, ped, hdced, led, sed, prrd or confirmed.",
                field="field",
            )
        on_text = text if field != "release" else text.split(" ", 1)[-1]
        assert isinstance(kind, ReleaseDateKind)
        on = parse_date(on_text, today, field="value")
        change = record_release_date(
            ctx.rt.uow(), ctx.actor, ref, kind, on, reason=reason, correction=True
        )
        return Reply(
            f":white_check_mark: {change.ref} {kind.value.upper()} corrected from "
            f"{_d(change.before)} to {_d(change.after)}; the earlier date is kept in the history."
        )
    parse = PARSERS.get(("subject", field))
    value = parse(text, today) if parse is not None else text
    summary = change_subject(
        ctx.rt.uow(), ctx.actor, ref, field, value, reason=reason, correction=True
    )
    return Reply(f":white_check_mark: {summary}")


def _d(on: date | None) -> str:
    return format_date(on) if on else "none"


FORM = form(
    Form(
        name="correct",
        title="Correct a record",
        submit="Correct",
        fields=(
            FormField("record", "Record", placeholder="CON-00012, INT-00003, T-00004, LOM-0042"),
            FormField("field", "What to correct", placeholder="outcome, date, grading, risk..."),
            FormField("value", "Correct value", optional=True, placeholder="e.g. no show"),
            FormField("reason", "Why (kept with the record)", "multiline"),
        ),
        run=run,
        error_fields={"reason": "reason", "field": "field", "value": "value", "record": "record"},
    )
)


@subcommand(
    "correct",
    usage=USAGE,
    summary="Correct a record (contact, check, intelligence, task, subject, release date)",
    examples=(
        "/lom correct CON-00012 outcome no show because typed the wrong outcome",
        "/lom correct LOM-0042 release crd 03/03/2027 because prison sent a new date",
        "/lom correct INT-00003 grading 2BP because source re-graded",
    ),
)
def correct_command(ctx: CommandContext, text: str) -> Reply:
    if not text.strip():
        return fill_or_run(ctx, FORM, {}, USAGE)
    values = split(text)
    if not values.get("reason") and values.get("record") and values.get("field"):
        return fill_or_run(ctx, FORM, values, USAGE + f" (records: {REF_EXAMPLE})")
    return fill_or_run(ctx, FORM, values, USAGE)
