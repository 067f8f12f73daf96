"""Corrections with history, for every record kind: the record takes the new value, the old one
is kept (who, when, why) and the effects flow on (enforcement counts, triage cards, prompts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    UNACCEPTABLE_FAILURES,
    AuditAction,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    TaskKind,
)
from lom_bot.domain.errors import InvalidInput, NotFound
from lom_bot.domain.grading import Grading, require_handling_conditions
from lom_bot.services.correction_effects import contact_effects
from lom_bot.services.notifications import MEANS, judge
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.record_history import keep
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import not_future, text
from lom_bot.store.tables import Check, Contact, Intelligence, Subject, Task
from lom_bot.store.tables.history import Notification
from lom_bot.store.uow import UnitOfWork

Record = Contact | Check | Intelligence | Task | Notification


class RecordKind(NamedTuple):
    """A kind of record that can be corrected, and which of its fields may be."""

    table: type[Any]
    prefix: str  # of the reference officers type: CON-00012
    permission: Action
    fields: dict[str, tuple[str, type]]  # field -> (attribute, type)


KINDS: dict[str, RecordKind] = {
    "contact": RecordKind(
        Contact,
        "CON",
        Action.LOG_CONTACT,
        {
            "outcome": ("outcome", ContactOutcome),
            "kind": ("kind", ContactKind),
            "date": ("occurred_on", date),
            "notes": ("notes", str),
            "location": ("location", str),
            "absence_reason": ("absence_reason", str),
        },
    ),
    "check": RecordKind(
        Check,
        "CHK",
        Action.LOG_CHECK,
        {
            "result": ("result", CheckResult),
            "kind": ("kind", CheckKind),
            "date": ("done_on", date),
            "notes": ("notes", str),
        },
    ),
    "intelligence": RecordKind(
        Intelligence,
        "INT",
        Action.LOG_INTEL,
        {
            "grading": ("grading", Grading),
            "text": ("text", str),
            "handling_conditions": ("handling_conditions", str),
        },
    ),
    "task": RecordKind(
        Task,
        "T",
        Action.CREATE_TASK,
        {
            "due": ("due_on", date),
            "kind": ("kind", TaskKind),
            "instructions": ("instructions", str),
            "outcome": ("outcome", str),
        },
    ),
    "notification": RecordKind(
        Notification,
        "NOT",
        Action.LOG_CHECK,
        {
            "date": ("notified_on", date),
            "happened": ("event_on", date),
            "means": ("means", str),
            "detail": ("detail", str),
        },
    ),
}
_REF = re.compile(r"^\s*(CON|CHK|INT|T|NOT)-?([A-Z]?)0*(\d{1,9})\s*$", re.IGNORECASE)
_BY_PREFIX = {spec.prefix: kind for kind, spec in KINDS.items()}
REF_EXAMPLE = "CON-00012 (a contact), CHK-00003, INT-00007, T-00004 or NOT-00002"


def record_ref(kind: str, record_id: int) -> str:
    """The reference officers type to name a record: CON-00012, INT-00007..."""
    return f"{KINDS[kind].prefix}-{record_id:05d}"


def parse_record_ref(ref: str) -> tuple[str, int]:
    """(kind, id); id 0 for a reference that is not a number (e.g. imported INT-D0003)."""
    match = _REF.match(ref or "")
    if not match:
        raise InvalidInput(
            f"'{(ref or '')[:30]}' is not a record reference.", field="record", example=REF_EXAMPLE
        )
    return _BY_PREFIX[match[1].upper()], 0 if match[2] else int(match[3])


def shown(value: object) -> str | None:
    """A value as the history shows it."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value.replace("_", " ")
    if isinstance(value, date):
        return format_date(value)
    return str(value)


@dataclass(frozen=True)
class Correct:
    record: str  # CON-00012 ...
    field: str
    value: object  # typed: an enum, a date, a Grading or text
    reason: str


@dataclass(frozen=True)
class Corrected:
    subject_ref: str
    record_ref: str
    field: str
    before: str | None
    after: str | None
    prompt: str | None = None  # an escalation prompt the correction raised

    @property
    def summary(self) -> str:
        text = (
            f"{self.record_ref} ({self.subject_ref}) {self.field.replace('_', ' ')} corrected "
            f"from {self.before or 'blank'} to {self.after or 'blank'}; the earlier value is "
            "kept in the history"
        )
        return text + (f"\n:rotating_light: {self.prompt}" if self.prompt else "")


def correct_record(uow: UnitOfWork, actor: Actor, cmd: Correct) -> Corrected:
    """Supersede one field of a record, with its reason; effects flow on in the same commit."""
    kind, record_id = parse_record_ref(cmd.record)
    table, _, permission, fields = KINDS[kind]
    with uow:
        require(actor, permission)
        reason = text(cmd.reason, "reason", required=True) or ""
        spec = fields.get(cmd.field)
        if spec is None:
            names = ", ".join(fields)
            raise InvalidInput(
                f"A {kind} has no '{cmd.field[:30]}' to correct; one of: {names}.", field="field"
            )
        row = uow.session.get(table, record_id)
        canonical = record_ref(kind, record_id) if record_id else cmd.record.strip().upper()
        if hasattr(table, "ref"):  # intelligence and tasks carry their reference: use it
            row = uow.session.scalars(select(table).where(table.ref == canonical)).first()
        if row is None:
            raise NotFound(f"There is no {kind} {cmd.record.upper()}.", field="record")
        record_id = row.id
        subject = uow.session.get(Subject, row.subject_id)
        assert subject is not None
        subject = access_subject(uow, actor, subject.ref, purpose=f"correct {kind}")
        writable(subject)
        before, after = _apply(uow, kind, row, spec, cmd.value)
        now = uow.clock.now()
        if hasattr(row, "corrected_at"):
            row.corrected_at = now
        ref = str(getattr(row, "ref", "") or record_ref(kind, record_id))
        keep(
            uow,
            actor,
            subject,
            entity=kind,
            entity_id=record_id,
            record_ref=ref,
            field=cmd.field,
            before=before,
            after=after,
            reason=reason,
            correction=True,
        )
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            f"{kind}.corrected",
            entity=kind,
            entity_id=record_id,
            subject_ref=subject.ref,
            detail={"field": cmd.field, "from": before, "to": after, "reason": reason[:500]},
        )
        prompt = None
        if isinstance(row, Notification):  # on time or late, again, against the order's duty
            judge(uow, subject, row)
        if kind == "contact":
            prompt = contact_effects(uow, actor, subject, row, cmd.field, before)
        uow.commit()
        return Corrected(subject.ref, ref, cmd.field, before, after, prompt)


def _apply(
    uow: UnitOfWork, kind: str, row: Record, spec: tuple[str, type], value: object
) -> tuple[str | None, str | None]:
    """Check the new value against the same rules as recording it; set it; (before, after)."""
    attr, wanted = spec
    today = uow.clock.today()
    if wanted is Grading:
        assert isinstance(row, Intelligence)
        if not isinstance(value, Grading):
            raise InvalidInput("Give a 3x5x2 grading.", field="value", example="2BP")
        require_handling_conditions(value, row.handling_conditions)
        before = f"{row.source_grade.value}{row.intel_grade.value}{row.handling.value}"
        row.source_grade, row.intel_grade, row.handling = (
            value.source,
            value.intelligence,
            value.handling,
        )
        return before, str(value)
    if wanted is str:
        value = text(str(value or ""), attr.replace("_", " "), required=attr == "text")
    elif not isinstance(value, wanted):
        raise InvalidInput(f"That is not a {attr.replace('_', ' ')}.", field="value")
    if isinstance(value, date) and kind != "task":
        not_future(value, today, "date")
    before = getattr(row, attr)
    if before == value:
        raise InvalidInput(
            f"The {attr.replace('_', ' ')} is already {shown(value)}; nothing to correct.",
            field="value",
        )
    setattr(row, attr, value)
    _still_valid(kind, row)
    return shown(before), shown(value)


def _still_valid(kind: str, row: Record) -> None:
    """The rules that hold between fields hold after the correction too."""
    if (
        isinstance(row, Contact)
        and row.outcome is ContactOutcome.ACCEPTABLE_ABSENCE
        and not (row.absence_reason or row.notes)
    ):
        raise InvalidInput(
            "An acceptable absence needs its reason: correct the absence reason first.",
            field="value",
        )
    if isinstance(row, Notification) and row.means not in MEANS:
        raise InvalidInput(f"Say how: one of {', '.join(MEANS)}.", field="value")
    if isinstance(row, Check) and row.result is CheckResult.CONCERN and not row.notes:
        raise InvalidInput("A check with a concern needs a note saying what it was.", field="value")


def is_failure(outcome: object) -> bool:
    return outcome in UNACCEPTABLE_FAILURES
