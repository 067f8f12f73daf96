"""The history of a subject's records: every value superseded, by whom, when and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import Correction, Subject, User
from lom_bot.store.uow import UnitOfWork


def keep(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    *,
    entity: str,
    entity_id: int,
    record_ref: str,
    field: str,
    before: str | None,
    after: str | None,
    reason: str | None,
    correction: bool,
) -> None:
    """Keep the superseded value (call inside the change's unit of work)."""
    uow.session.add(
        Correction(
            subject_id=subject.id,
            entity=entity,
            entity_id=entity_id,
            record_ref=record_ref[:20],
            field=field[:40],
            before=before,
            after=after,
            correction=correction,
            reason=reason,
            by_user_id=actor.user_id,
            by_slack_id=actor.slack_id,
            at=uow.clock.now(),
        )
    )


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    who: str
    record_ref: str
    entity: str
    field: str
    before: str | None
    after: str | None
    reason: str | None
    correction: bool


@dataclass(frozen=True)
class RecordHistory:
    subject_ref: str
    name: str
    lines: list[HistoryLine]  # oldest first


def record_history(uow: UnitOfWork, actor: Actor, query: str) -> RecordHistory:
    """Every correction and change to one subject's records, oldest first; the read is audited."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        subject = access_subject(uow, actor, query, purpose="record history")
        rows = uow.session.execute(
            select(Correction, User.name)
            .outerjoin(User, User.id == Correction.by_user_id)
            .where(Correction.subject_id == subject.id)
            .order_by(Correction.at, Correction.id)
        )
        lines = [
            HistoryLine(
                c.at,
                name or c.by_slack_id,
                c.record_ref,
                c.entity,
                c.field,
                c.before,
                c.after,
                c.reason,
                c.correction,
            )
            for c, name in rows
        ]
        uow.audit(
            actor.slack_id,
            AuditAction.CONSULTATION,
            "subject.history_viewed",
            entity="subject",
            entity_id=subject.id,
            subject_ref=subject.ref,
            purpose="record history",
            detail={"lines": len(lines)},
        )
        uow.commit()
        return RecordHistory(subject.ref, subject.name, lines)
