"""A person picks the subjects of a possible report: one, or several when the message named
several (each further subject gets its own report, linked to this one as the same sighting)."""

from __future__ import annotations

from lom_bot.domain.enums import AuditAction, BreachStatus
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.breach_assess import (
    PURPOSE,
    access_undecided_report,
    confirm_subject,
    put_on_subject,
)
from lom_bot.services.breach_routing import post_to_triage, refresh_triage
from lom_bot.services.breach_sighting import new_report
from lom_bot.services.breach_view import subject_facts
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import BreachReport, Subject
from lom_bot.store.uow import UnitOfWork


def confirm_subjects(uow: UnitOfWork, actor: Actor, breach: int | str, queries: list[str]) -> str:
    """The first subject goes on this report, each further one on a new linked report."""
    wanted = list(dict.fromkeys(q.strip() for q in queries if q and q.strip()))
    if not wanted:
        raise InvalidInput(
            "Choose the subject, or type one or more.",
            field="subject",
            example="LOM-0008, LOM-0013",
        )
    if len(wanted) == 1:
        return confirm_subject(uow, actor, breach, wanted[0])
    with uow:
        report = access_undecided_report(uow, actor, breach, lock=True)
        subjects: dict[int, Subject] = {}
        for query in wanted:
            subject = access_subject(uow, actor, query, purpose=PURPOSE)
            subjects.setdefault(subject.id, subject)
        first, *others = subjects.values()
        put_on_subject(uow, actor, report, first)
        made = [_linked(uow, actor, report, subject) for subject in others]
        refresh_triage(uow, report, actor.slack_id)
        uow.commit()
    also = ", ".join(f"{r.ref} for {s.ref}" for r, s in zip(made, others, strict=True))
    return f"{report.ref} is about {first.ref}; made {also} (same message): ready to assess."


def _linked(uow: UnitOfWork, actor: Actor, report: BreachReport, subject: Subject) -> BreachReport:
    """A report for a further subject the person picked, linked to `report`."""
    facts = subject_facts(uow, subject.id)
    touched = facts.touched(report.text) if facts else []
    other = BreachReport(
        subject_id=subject.id,
        status=BreachStatus.NEW,
        source=report.source,
        reporter_slack_id=report.reporter_slack_id,
        channel_id=report.channel_id,
        permalink=report.permalink,
        district=report.district or subject.district,
        text=report.text,
        seen_at=report.seen_at,
        seen_where=report.seen_where,
        condition_id=touched[0] if touched else None,
        candidates=report.candidates,
        match_score=report.match_score,
        match_reason=f"picked by a person from {report.ref}",
        sighting_id=report.sighting_id or report.id,
        received_at=report.received_at,
    )
    new_report(uow, other)
    uow.audit(
        actor.slack_id,
        AuditAction.COLLECTION,
        "breach.subject_confirmed",
        entity="breach_report",
        entity_id=other.id,
        subject_ref=subject.ref,
        detail={"split_from": report.ref, "candidates": report.candidates},
    )
    uow.session.flush()
    post_to_triage(uow, other, actor.slack_id, facts=facts)
    return other
