"""Logging contacts, compliance checks and intelligence against a subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import add_years, format_date
from lom_bot.domain.enums import (
    AuditAction,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
)
from lom_bot.domain.errors import AlreadyDone, InvalidInput
from lom_bot.domain.grading import Grading, require_handling_conditions
from lom_bot.domain.workdays import add_working_days
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import not_future, text
from lom_bot.store.tables import Check, Contact, Intelligence
from lom_bot.store.uow import UnitOfWork


def _once(
    uow: UnitOfWork, model: type[Contact] | type[Check] | type[Intelligence], key: str | None
) -> None:
    """A double click or a redelivered request records nothing new."""
    if key and uow.session.scalars(select(model.id).where(model.request_key == key)).first():
        raise AlreadyDone("That was already recorded (a double click?). Nothing was added.")


@dataclass(frozen=True)
class LogContact:
    subject: str
    kind: ContactKind
    outcome: ContactOutcome
    occurred_on: date
    notes: str | None = None
    location: str | None = None
    absence_reason: str | None = None
    request_key: str | None = None


@dataclass(frozen=True)
class Logged:
    ref: str
    record_id: int
    summary: str


def log_contact(uow: UnitOfWork, actor: Actor, cmd: LogContact) -> Logged:
    with uow:
        require(actor, Action.LOG_CONTACT)
        _once(uow, Contact, cmd.request_key)
        today = uow.clock.today()
        not_future(cmd.occurred_on, today, "contact date")
        subject = access_subject(uow, actor, cmd.subject, purpose="log contact")
        writable(subject)
        check_event_date(
            cmd.occurred_on, field="date", label="contact date", today=today, born=subject.born_on
        )
        if cmd.outcome is ContactOutcome.ACCEPTABLE_ABSENCE and not (
            cmd.absence_reason or cmd.notes
        ):
            raise InvalidInput(
                "An acceptable absence needs its reason.",
                field="absence_reason",
                example="'hospital appointment, letter seen'",
            )
        evidence_due = None
        if cmd.outcome is ContactOutcome.AWAITING_EVIDENCE:
            evidence_due = add_working_days(
                cmd.occurred_on, uow.config.due.awaiting_evidence_working_days
            )
        contact = Contact(
            subject_id=subject.id,
            kind=cmd.kind,
            occurred_on=cmd.occurred_on,
            officer_id=actor.user_id,
            location=text(cmd.location, "location"),
            outcome=cmd.outcome,
            absence_reason=text(cmd.absence_reason, "absence reason"),
            notes=text(cmd.notes, "notes"),
            evidence_due_on=evidence_due,
            recorded_at=uow.clock.now(),
            request_key=cmd.request_key,
        )
        uow.session.add(contact)
        uow.session.flush()
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "contact.logged",
            entity="contact",
            entity_id=contact.id,
            subject_ref=subject.ref,
            detail={"kind": cmd.kind.value, "outcome": cmd.outcome.value},
        )
        uow.commit()
        summary = (
            f"{cmd.kind.value.replace('_', ' ')} on {format_date(cmd.occurred_on)}: "
            f"{cmd.outcome.value.replace('_', ' ')}"
        )
        if evidence_due:
            summary += f" (evidence due by {format_date(evidence_due)})"
        return Logged(subject.ref, contact.id, summary)


def correct_contact_outcome(
    uow: UnitOfWork, actor: Actor, contact_id: int, outcome: ContactOutcome, reason: str
) -> Logged:
    """Correct an outcome later; a change to a failure re-opens the enforcement question."""
    with uow:
        require(actor, Action.LOG_CONTACT)
        contact = uow.session.get(Contact, contact_id)
        if contact is None:
            raise InvalidInput(f"There is no contact {contact_id}.", field="contact")
        subject = access_subject(uow, actor, f"LOM-{contact.subject_id}", purpose="correct contact")
        writable(subject)
        before = contact.outcome
        contact.outcome = outcome
        contact.corrected_at = uow.clock.now()
        contact.evidence_due_on = None
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "contact.corrected",
            entity="contact",
            entity_id=contact.id,
            subject_ref=subject.ref,
            detail={"from": before.value, "to": outcome.value, "reason": reason[:500]},
        )
        uow.commit()
        return Logged(
            subject.ref, contact.id, f"outcome corrected from {before.value} to {outcome.value}"
        )


@dataclass(frozen=True)
class LogCheck:
    subject: str
    kind: CheckKind
    result: CheckResult
    done_on: date
    notes: str | None = None
    request_key: str | None = None


def log_check(uow: UnitOfWork, actor: Actor, cmd: LogCheck) -> Logged:
    with uow:
        require(actor, Action.LOG_CHECK)
        _once(uow, Check, cmd.request_key)
        not_future(cmd.done_on, uow.clock.today(), "check date")
        subject = access_subject(uow, actor, cmd.subject, purpose="log compliance check")
        writable(subject)
        check_event_date(
            cmd.done_on,
            field="date",
            label="check date",
            today=uow.clock.today(),
            born=subject.born_on,
        )
        if cmd.result is CheckResult.CONCERN and not (cmd.notes or "").strip():
            raise InvalidInput(
                "A check with a concern needs a note saying what it was.",
                field="notes",
                example="'ANPR: vehicle YX19 ABC in Hull 03:10'",
            )
        check = Check(
            subject_id=subject.id,
            kind=cmd.kind,
            done_on=cmd.done_on,
            officer_id=actor.user_id,
            result=cmd.result,
            notes=text(cmd.notes, "notes"),
            recorded_at=uow.clock.now(),
            request_key=cmd.request_key,
        )
        uow.session.add(check)
        uow.session.flush()
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "check.logged",
            entity="check",
            entity_id=check.id,
            subject_ref=subject.ref,
            detail={"kind": cmd.kind.value, "result": cmd.result.value},
        )
        uow.commit()
        return Logged(
            subject.ref,
            check.id,
            f"{cmd.kind.value.replace('_', ' ')} check on {format_date(cmd.done_on)}: "
            f"{cmd.result.value.replace('_', ' ')}",
        )


@dataclass(frozen=True)
class LogIntel:
    subject: str
    text: str
    grading: Grading
    handling_conditions: str | None = None
    breach_opportunity: bool = False
    request_key: str | None = None


def log_intelligence(uow: UnitOfWork, actor: Actor, cmd: LogIntel) -> Logged:
    with uow:
        require(actor, Action.LOG_INTEL)
        _once(uow, Intelligence, cmd.request_key)
        conditions = require_handling_conditions(cmd.grading, cmd.handling_conditions)
        body = text(cmd.text, "intelligence text", required=True)
        subject = access_subject(uow, actor, cmd.subject, purpose="record intelligence")
        writable(subject)
        today = uow.clock.today()
        intel = Intelligence(
            ref="pending",
            subject_id=subject.id,
            text=body or "",
            source_grade=cmd.grading.source,
            intel_grade=cmd.grading.intelligence,
            handling=cmd.grading.handling,
            handling_conditions=conditions,
            breach_opportunity=cmd.breach_opportunity,
            recorded_by=actor.user_id,
            recorded_at=uow.clock.now(),
            request_key=cmd.request_key,
            review_on=add_years(
                today, uow.config.retention.review_after_years.get("intelligence", 6)
            ),
        )
        uow.session.add(intel)
        uow.session.flush()
        intel.ref = f"INT-{intel.id:05d}"
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "intelligence.logged",
            entity="intelligence",
            entity_id=intel.id,
            subject_ref=subject.ref,
            detail={"grading": str(cmd.grading), "breach_opportunity": cmd.breach_opportunity},
        )
        triage_ref = None
        if cmd.breach_opportunity:  # to triage as a breach report, in this same transaction
            from lom_bot.services.breaches import route_intelligence

            triage_ref = route_intelligence(uow, actor, intel, subject)
        uow.commit()
        summary = f"{intel.ref} graded {cmd.grading}"
        if triage_ref:
            summary += f"; sent to triage as breach report {triage_ref}"
        if conditions:
            summary += f" (handling conditions: {conditions})"
        return Logged(subject.ref, intel.id, summary)
