"""Notifications a subject makes under a reporting duty (a new device, vehicle, address, bank
account, job, a trip): what, when it happened, when and how it was notified, and whether that
was on time against the order's requirement."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ConditionCategory, DutyKind
from lom_bot.domain.errors import AlreadyDone, InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import not_future, text
from lom_bot.store import queries
from lom_bot.store.tables import Condition, Subject
from lom_bot.store.tables.history import Notification
from lom_bot.store.uow import UnitOfWork

# what was notified -> the kind of condition whose duty it answers
WHAT: dict[str, ConditionCategory] = {
    "device": ConditionCategory.COMMUNICATIONS,
    "vehicle": ConditionCategory.ITEMS_VEHICLES,
    "address": ConditionCategory.RESIDENCE,
    "bank_account": ConditionCategory.FINANCIAL,
    "employment": ConditionCategory.WORK,
    "travel": ConditionCategory.TRAVEL,
    "other": ConditionCategory.INFORMATION,
}
MEANS = ("in_person", "phone", "email", "letter", "online")


@dataclass(frozen=True)
class RecordNotification:
    subject: str
    what: str
    notified_on: date
    means: str
    event_on: date | None = None
    detail: str | None = None
    request_key: str | None = None


@dataclass(frozen=True)
class Notified:
    subject_ref: str
    record_id: int
    summary: str
    on_time: bool | None


def record_notification(uow: UnitOfWork, actor: Actor, cmd: RecordNotification) -> Notified:
    """Record what the subject notified, and judge it on time against the order's duty."""
    with uow:
        require(actor, Action.LOG_CHECK)
        if (
            cmd.request_key
            and uow.session.scalars(
                select(Notification.id).where(Notification.request_key == cmd.request_key)
            ).first()
        ):
            raise AlreadyDone("That was already recorded (a double click?). Nothing was added.")
        if cmd.what not in WHAT:
            raise InvalidInput(
                f"'{cmd.what[:30]}' is not something notified; one of: {', '.join(WHAT)}.",
                field="what",
            )
        if cmd.means not in MEANS:
            raise InvalidInput(f"Say how: one of {', '.join(MEANS)}.", field="means")
        today = uow.clock.today()
        not_future(cmd.notified_on, today, "date notified")
        if cmd.event_on is not None:
            not_future(cmd.event_on, today, "date it happened")
            if cmd.event_on > cmd.notified_on:
                raise InvalidInput(
                    "It cannot have been notified before it happened.", field="event_on"
                )
        subject = access_subject(uow, actor, cmd.subject, purpose="record notification")
        writable(subject)
        row = Notification(
            subject_id=subject.id,
            what=cmd.what,
            detail=text(cmd.detail, "detail"),
            event_on=cmd.event_on,
            notified_on=cmd.notified_on,
            means=cmd.means,
            recorded_by=actor.user_id,
            recorded_at=uow.clock.now(),
            request_key=cmd.request_key,
        )
        judge(uow, subject, row)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "notification.recorded",
            entity="notification",
            entity_id=row.id,
            subject_ref=subject.ref,
            detail={"what": cmd.what, "on_time": row.on_time},
        )
        uow.commit()
        return Notified(subject.ref, row.id, verdict(row), row.on_time)


def judge(uow: UnitOfWork, subject: Subject, row: Notification) -> None:
    """Set the deadline and on-time flag from the condition whose duty this answers."""
    row.condition_id, row.due_by, row.on_time = None, None, None
    order = queries.current_order(uow.session, subject.id)
    if order is None:
        return
    condition = uow.session.scalars(
        select(Condition)
        .where(
            Condition.order_id == order.id,
            Condition.active.is_(True),
            Condition.category == WHAT[row.what],
            Condition.duty != DutyKind.NONE,
        )
        .order_by(Condition.number)
    ).first()
    if condition is None or condition.duty_days is None:
        return
    row.condition_id = condition.id
    if condition.duty is DutyKind.WITHIN_DAYS_OF_EVENT:
        if row.event_on is not None:
            row.due_by = row.event_on + timedelta(days=condition.duty_days)
    else:  # monthly by the Nth: due by the Nth of the month it was notified in
        last = calendar.monthrange(row.notified_on.year, row.notified_on.month)[1]
        row.due_by = row.notified_on.replace(day=min(condition.duty_days, last))
    if row.due_by is not None:
        row.on_time = row.notified_on <= row.due_by


def verdict(row: Notification) -> str:
    """One line: what, when, how, and on time or late (or why that cannot be said)."""
    how = "in person" if row.means == "in_person" else f"by {row.means}"
    what = f"{row.what.replace('_', ' ')} notified {format_date(row.notified_on)} {how}"
    if row.on_time is True:
        return what + f", on time (due by {format_date(row.due_by)})"
    if row.on_time is False and row.due_by is not None:
        late = (row.notified_on - row.due_by).days
        return what + f", LATE by {late} day(s) (due by {format_date(row.due_by)})"
    if row.condition_id is not None:
        return what + "; on time or late cannot be said until the date it happened is given"
    return what + "; no condition of the current order requires this to be notified"


def notifications_of(uow: UnitOfWork, actor: Actor, query: str) -> tuple[str, list[str]]:
    """A subject's notifications, newest first, each with its verdict; the read is audited."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        subject = access_subject(uow, actor, query, purpose="list notifications")
        rows = uow.session.scalars(
            select(Notification)
            .where(Notification.subject_id == subject.id)
            .order_by(Notification.notified_on.desc(), Notification.id.desc())
        ).all()
        uow.commit()
        return subject.ref, [f"NOT-{r.id:05d} {verdict(r)}" for r in rows]


def recent_notifications(session: Session, since: date) -> dict[int, dict[ConditionCategory, date]]:
    """The last notification of each kind from `since` on, per subject: what marks a monthly
    reporting duty done in the due list."""
    rows = session.execute(
        select(Notification.subject_id, Notification.what, func.max(Notification.notified_on))
        .where(Notification.notified_on >= since)
        .group_by(Notification.subject_id, Notification.what)
    )
    out: dict[int, dict[ConditionCategory, date]] = defaultdict(dict)
    for subject_id, what, last in rows:
        category = WHAT.get(what)
        if category is not None:
            out[subject_id][category] = max(last, out[subject_id].get(category, date.min))
    return out


def late_notifications(
    session: Session, today: date, days: int, subject_ids: Collection[int]
) -> list[tuple[int, str, date]]:
    """Notifications recorded as late in the last `days` days, for the due list:
    (subject id, what to do, due by)."""
    rows = session.scalars(
        select(Notification).where(
            Notification.on_time.is_(False),
            Notification.notified_on >= today - timedelta(days=days),
        )
    )
    out = []
    for row in rows:
        if row.subject_id in subject_ids and row.due_by is not None:
            what = f"NOT-{row.id:05d} {verdict(row)}: consider a warning letter"
            out.append((row.subject_id, what, row.due_by))
    return out
