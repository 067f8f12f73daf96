"""One sighting, several reports: a message naming several subjects gives each its own report,
linked to the first (the one that holds the message's channel and ts) by `sighting_id`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select

from lom_bot.domain.enums import AuditAction, BreachStatus
from lom_bot.services.matching import Match
from lom_bot.store.tables import BreachReport, Subject
from lom_bot.store.uow import UnitOfWork

if TYPE_CHECKING:
    from lom_bot.services.breach_view import SubjectFacts


SEPARATORS = re.compile(r"\s*(?:,|;|\n|\band\b)\s*", re.IGNORECASE)


def split_subjects(text: str) -> list[str]:
    """"LOM-0008, LOM-0013 and Kelly Fable" as three subjects to look up."""
    return [part for part in SEPARATORS.split(text or "") if part.strip()]


def new_report(uow: UnitOfWork, report: BreachReport) -> None:
    """Add the report and give it its reference (BR-00042, from its id).

    PostgreSQL hands out the id first, so the row is written once, with its reference. Elsewhere
    the row is written with a placeholder and the reference set once the id is known (SQLite
    has one writer at a time; on PostgreSQL a shared placeholder would make concurrent reports
    wait for each other on the unique reference)."""
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        report.id = int(
            session.execute(
                select(func.nextval(func.pg_get_serial_sequence("breach_reports", "id")))
            ).scalar_one()
        )
        report.ref = f"BR-{report.id:05d}"
        session.add(report)
        return
    report.ref = "pending"
    session.add(report)
    session.flush()
    report.ref = f"BR-{report.id:05d}"


def reports_of_message(uow: UnitOfWork, channel: str | None, ts: str | None) -> list[BreachReport]:
    """Every report made from one message: the first, then those linked to it."""
    if not channel or not ts:
        return []
    first = uow.session.scalars(
        select(BreachReport).where(
            BreachReport.channel_id == channel, BreachReport.message_ts == ts
        )
    ).one_or_none()
    return [first, *linked_reports(uow, first)] if first is not None else []


def linked_reports(uow: UnitOfWork, report: BreachReport) -> list[BreachReport]:
    """The other reports of the same sighting as `report`, oldest first."""
    head = report.sighting_id or report.id
    return list(
        uow.session.scalars(
            select(BreachReport)
            .where(
                or_(BreachReport.sighting_id == head, BreachReport.id == head),
                BreachReport.id != report.id,
            )
            .order_by(BreachReport.id)
        )
    )


def sighting_line(uow: UnitOfWork, report: BreachReport) -> str | None:
    """ "Same sighting as BR-00042 (LOM-0013), BR-00043 (subject to confirm)" for the card."""
    others = linked_reports(uow, report)
    if not others:
        return None
    ids = [o.subject_id for o in others if o.subject_id is not None]
    rows = uow.session.execute(select(Subject.id, Subject.ref).where(Subject.id.in_(ids)))
    refs = {i: r for i, r in rows}
    parts = [f"{o.ref} ({refs.get(o.subject_id or 0, 'subject to confirm')})" for o in others]
    return "Same message as " + ", ".join(parts)


def build_report(
    uow: UnitOfWork,
    base: BreachReport,
    match: Match,
    facts: SubjectFacts | None,
    text: str,
) -> BreachReport:
    """A report like `base` (source, reporter, channel, when and where) for one verdict."""
    touched = facts.touched(text) if facts else []
    return BreachReport(
        subject_id=facts.id if facts else None,
        status=BreachStatus.NEW if facts else BreachStatus.POSSIBLE,
        source=base.source,
        reporter_slack_id=base.reporter_slack_id,
        channel_id=base.channel_id,
        message_ts=base.message_ts,
        permalink=base.permalink,
        district=base.district or (facts.summary.district if facts else None),
        text=text,
        seen_at=base.seen_at,
        seen_where=base.seen_where,
        condition_id=touched[0] if touched else None,
        candidates=list(match.candidates) or None,
        match_score=match.score,
        match_reason=match.reason[:200] or None,
        sighting_id=base.sighting_id,
        received_at=uow.clock.now(),
    )


def audit_reported(
    uow: UnitOfWork, report: BreachReport, match: Match, facts: SubjectFacts | None
) -> None:
    uow.audit(
        report.reporter_slack_id,
        AuditAction.COLLECTION,
        "breach.reported",
        entity="breach_report",
        entity_id=report.id,
        subject_ref=facts.summary.ref if facts else None,
        detail={
            "source": report.source,
            "status": report.status.value,
            "channel": report.channel_id,
            "match": match.reason,
            "candidates": list(match.candidates),
            "sighting": report.sighting_id,
        },
    )
