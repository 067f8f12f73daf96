"""A record that shows a breach (intelligence, a compliance check) raised as a report."""

from __future__ import annotations

from lom_bot.domain.enums import AuditAction, BreachStatus
from lom_bot.services.breach_routing import post_to_triage
from lom_bot.services.breach_sighting import new_report
from lom_bot.services.breach_view import subject_facts
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import BreachReport, Subject
from lom_bot.store.uow import UnitOfWork


def raise_from_record(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    *,
    source: str,
    text: str,
    about: str,
    detail: dict[str, str],
) -> BreachReport:
    """A record that shows a breach (intelligence, a check) becomes a new report in triage, on
    the condition `about` touches, audited as breach.from_<source> (same commit)."""
    facts = subject_facts(uow, subject.id)
    touched = facts.touched(about) if facts else []
    report = BreachReport(
        subject_id=subject.id,
        status=BreachStatus.NEW,
        source=source,
        reporter_slack_id=actor.slack_id,
        district=subject.district,
        text=text,
        condition_id=touched[0] if touched else None,
        match_score=100,
        received_at=uow.clock.now(),
    )
    new_report(uow, report)
    uow.audit(
        actor.slack_id,
        AuditAction.COMBINATION,
        f"breach.from_{source}",
        entity="breach_report",
        entity_id=report.id,
        subject_ref=subject.ref,
        detail=detail,
    )
    post_to_triage(uow, report, actor.slack_id, new=True, facts=facts)
    return report
