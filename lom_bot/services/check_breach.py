"""A compliance check that found a concern, raised as a possible breach in one click."""

from __future__ import annotations

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, BreachStatus, CheckResult
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.domain.vocab import label
from lom_bot.services.breach_routing import post_to_triage
from lom_bot.services.breach_sighting import new_report
from lom_bot.services.breach_view import subject_facts
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
        facts = subject_facts(uow, subject.id)
        notes = check.notes or ""
        touched = facts.touched(notes) if facts else []
        report = BreachReport(
            subject_id=subject.id,
            status=BreachStatus.NEW,
            source="check",
            reporter_slack_id=actor.slack_id,
            district=subject.district,
            text=f"Compliance check {ref} ({label(check.kind)}, {format_date(check.done_on)}) "
            f"found a concern: {notes}",
            condition_id=touched[0] if touched else None,
            match_score=100,
            received_at=uow.clock.now(),
        )
        new_report(uow, report)
        check.breach_id = report.id
        uow.audit(
            actor.slack_id,
            AuditAction.COMBINATION,
            "breach.from_check",
            entity="breach_report",
            entity_id=report.id,
            subject_ref=subject.ref,
            detail={"check": ref},
        )
        post_to_triage(uow, report, actor.slack_id, new=True, facts=facts)
        uow.commit()
        return report.ref
