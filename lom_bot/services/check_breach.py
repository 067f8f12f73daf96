"""A compliance check that found a concern, raised as a possible breach in one click."""

from __future__ import annotations

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import CheckResult
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.domain.vocab import label
from lom_bot.services.breach_from_record import raise_from_record
from lom_bot.services.corrections import parse_record_ref, record_ref
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.store.tables import BreachReport, Check, Subject
from lom_bot.store.uow import UnitOfWork


def raise_breach_from_check(uow: UnitOfWork, actor: Actor, check_ref: str) -> str:
    """Turn a check with a concern into a breach report in triage, linked both ways; its ref."""
    with uow:
        require(actor, Action.REPORT_BREACH)
        try:
            kind, number = parse_record_ref(check_ref)
        except InvalidInput:  # not a record reference: "no such check" below
            kind, number = "", 0
        check = uow.session.get(Check, number) if kind == "check" else None
        if check is None:
            raise NotFound(
                f"There is no check {check_ref[:20]}.", field="check", example="CHK-00012"
            )
        owner = uow.session.get(Subject, check.subject_id)
        assert owner is not None  # a foreign key
        subject = access_subject(uow, actor, owner.ref, purpose="raise a check as a breach")
        writable(subject)
        ref = record_ref("check", check.id)
        if check.result is not CheckResult.CONCERN:
            raise InvalidInput(f"{ref} found no concerns: there is nothing to raise.")
        if check.breach_id is not None:
            existing = uow.session.get(BreachReport, check.breach_id)
            raise AlreadyDone(
                f"{ref} was already raised as {existing.ref if existing else 'a report'}."
            )
        notes = check.notes or ""
        report = raise_from_record(
            uow,
            actor,
            subject,
            source="check",
            text=f"Compliance check {ref} ({label(check.kind)}, {format_date(check.done_on)}) "
            f"found a concern: {notes}",
            about=notes,
            detail={"check": ref},
        )
        check.breach_id = report.id
        uow.commit()
        return report.ref
