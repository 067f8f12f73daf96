"""Retention review (police information management code of practice): every record has a
review date; a monthly job lists what is due; a supervisor decides to retain or erase, and
nothing is erased without that audited decision.

Design choices:
- Subjects, orders and intelligence hold their own `review_on`. A row without one (made by an
  import or an older path) is treated as due `retention.review_after_years[kind]` after it
  was made, so no record escapes review.
- Contacts and breach reports are reviewed with their subject: a subject falls due only when
  its own date has passed AND its newest contact and breach report are older than their own
  retention periods, so a person still being managed is not put up for erasure.
- Erasure redacts personal fields in place instead of deleting rows, so foreign keys, order
  history and the hash-chained audit log (which names records by reference only) stay whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Result, func, select, update

from lom_bot.domain.dates import add_years, format_date
from lom_bot.domain.enums import AuditAction, OrderStatus
from lom_bot.domain.errors import GateClosed, InvalidInput, NotFound
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.tables import (
    Alias,
    Associate,
    BreachEdit,
    BreachReport,
    Check,
    Contact,
    Correction,
    Document,
    EducationVisit,
    Intelligence,
    Notification,
    Order,
    OrderEvent,
    Subject,
    Task,
    Vehicle,
    VisitEvidence,
)
from lom_bot.store.uow import UnitOfWork

ERASED = "[erased]"
K = TypeVar("K")
V = TypeVar("V")
ENDED = frozenset(
    {
        OrderStatus.REFUSED,
        OrderStatus.EXPIRED,
        OrderStatus.CLOSED,
        OrderStatus.DISCHARGED,
        OrderStatus.SUPERSEDED,
        OrderStatus.TRANSFERRED_OUT,
    }
)


class RecordKind(StrEnum):
    SUBJECT = "subject"
    ORDER = "order"
    INTELLIGENCE = "intelligence"


class Decision(StrEnum):
    RETAIN = "retain"
    ERASE = "erase"


@dataclass(frozen=True)
class RecordRef:
    kind: RecordKind
    ref: str  # LOM-0001, SCPO-0001, INT-...


@dataclass(frozen=True)
class DueRecord:
    record: RecordRef
    subject_ref: str
    review_on: date
    note: str


def years_for(uow: UnitOfWork, kind: str) -> int:
    return uow.config.retention.review_after_years.get(kind, 6)


def _made_on(at: datetime | None, today: date, uow: UnitOfWork) -> date:
    return at.astimezone(uow.clock.tz).date() if at else today


def records_due_for_review(uow: UnitOfWork, today: date) -> list[DueRecord]:
    """Records whose review date has come (the monthly job; call inside `with uow`)."""
    s = uow.session
    due: list[DueRecord] = []
    last_contact = _pairs(
        s.execute(
            select(Contact.subject_id, func.max(Contact.occurred_on)).group_by(Contact.subject_id)
        )
    )
    last_report = _pairs(
        s.execute(
            select(BreachReport.subject_id, func.max(BreachReport.received_at))
            .where(BreachReport.subject_id.is_not(None))
            .group_by(BreachReport.subject_id)
        )
    )
    for subject in s.scalars(select(Subject).where(Subject.family_name != ERASED)):
        own = subject.review_on or add_years(
            _made_on(subject.created_at, today, uow), years_for(uow, "subject")
        )
        contact_on = last_contact.get(subject.id)
        report_at = last_report.get(subject.id)
        held = max(
            own,
            add_years(contact_on, years_for(uow, "contact")) if contact_on else own,
            add_years(_made_on(report_at, today, uow), years_for(uow, "breach_report"))
            if report_at
            else own,
        )
        if held <= today:
            note = f"{subject.district}; last contact {format_date(contact_on) or 'none'}"
            due.append(
                DueRecord(RecordRef(RecordKind.SUBJECT, subject.ref), subject.ref, held, note)
            )
    refs = _pairs(s.execute(select(Subject.id, Subject.ref)))
    for order in s.scalars(select(Order)):
        when = order.review_on or add_years(
            _made_on(order.created_at, today, uow), years_for(uow, "order")
        )
        if when <= today and order.grounds != ERASED:
            note = f"status {order.status.value.replace('_', ' ')}"
            record = RecordRef(RecordKind.ORDER, order.ref)
            due.append(DueRecord(record, refs.get(order.subject_id, "?"), when, note))
    for item in s.scalars(select(Intelligence).where(Intelligence.text != ERASED)):
        when = item.review_on or add_years(
            _made_on(item.recorded_at, today, uow), years_for(uow, "intelligence")
        )
        if when <= today:
            note = f"graded {item.source_grade.value}{item.intel_grade.value}{item.handling.value}"
            record = RecordRef(RecordKind.INTELLIGENCE, item.ref)
            due.append(DueRecord(record, refs.get(item.subject_id, "?"), when, note))
    return sorted(due, key=lambda d: (d.review_on, d.record.kind, d.record.ref))


def decide_retention(
    uow: UnitOfWork,
    actor: Actor,
    record: RecordRef,
    decision: Decision,
    reason: str,
    *,
    review_on: date | None = None,
) -> str:
    """A supervisor retains a record (with a new review date) or erases it; always audited."""
    with uow:
        require(actor, Action.RETENTION_DECISION)
        reason = (reason or "").strip()
        if not reason:
            raise InvalidInput(
                "A retention decision needs a reason.",
                field="reason",
                example="still subject to an active SCPO",
            )
        today = uow.clock.today()
        row, subject_ref = _load(uow, record)
        if decision is Decision.RETAIN:
            when = review_on or add_years(today, years_for(uow, record.kind.value))
            if when <= today:
                raise InvalidInput("The next review date must be in the future.", field="review_on")
            before = row.review_on
            row.review_on = when
            uow.audit(
                actor.slack_id,
                AuditAction.ALTERATION,
                "retention.retained",
                entity=record.kind.value,
                entity_id=row.id,
                subject_ref=subject_ref,
                purpose=reason[:200],
                detail={"from": format_date(before), "review_on": format_date(when)},
            )
            uow.commit()
            return f"{row.ref} retained; next review {format_date(when)}."
        counts = _erase(uow, record, row)
        uow.audit(
            actor.slack_id,
            AuditAction.ERASURE,
            "retention.erased",
            entity=record.kind.value,
            entity_id=row.id,
            subject_ref=subject_ref,
            purpose=reason[:200],
            detail=counts,
        )
        uow.commit()
        return f"{row.ref} erased: personal details redacted ({_describe(counts)})."


def _load(uow: UnitOfWork, record: RecordRef) -> tuple[Subject | Order | Intelligence, str]:
    s = uow.session
    ref = record.ref.strip().upper()
    row: Subject | Order | Intelligence | None
    if record.kind is RecordKind.SUBJECT:
        row = s.scalars(select(Subject).where(Subject.ref == ref)).one_or_none()
        subject_id = row.id if row else None
    elif record.kind is RecordKind.ORDER:
        row = s.scalars(select(Order).where(Order.ref == ref)).one_or_none()
        subject_id = row.subject_id if row else None
    else:
        row = s.scalars(select(Intelligence).where(Intelligence.ref == ref)).one_or_none()
        subject_id = row.subject_id if row else None
    if row is None or subject_id is None:
        raise NotFound(f"There is no {record.kind.value} {ref[:40]}.", field="record")
    subject_ref = s.scalar(select(Subject.ref).where(Subject.id == subject_id)) or "?"
    return row, subject_ref


def _erase(
    uow: UnitOfWork, record: RecordRef, row: Subject | Order | Intelligence
) -> dict[str, int]:
    if isinstance(row, Subject):
        return _erase_subject(uow, row)
    if isinstance(row, Order):
        if row.status not in ENDED:
            raise GateClosed(
                f"{row.ref} is {row.status.value.replace('_', ' ')}: an order in force is "
                "not erased. Retain it and review it after it ends."
            )
        return {"orders": _erase_orders(uow, [row.id])}
    s = uow.session
    s.execute(
        update(Intelligence)
        .where(Intelligence.id == row.id)
        .values(text=ERASED, handling_conditions=None, review_on=None)
    )
    return {"intelligence": 1}


def _erase_subject(uow: UnitOfWork, subject: Subject) -> dict[str, int]:
    s = uow.session
    live = [
        o.ref
        for o in s.scalars(select(Order).where(Order.subject_id == subject.id))
        if o.status not in ENDED
    ]
    if live:
        raise GateClosed(
            f"{subject.ref} has an order still in force ({', '.join(live)}); a person under "
            "an order is not erased."
        )
    sid = subject.id
    counts: dict[str, int] = {"subjects": 1}
    for key, model, where, values in (
        ("aliases", Alias, Alias.subject_id == sid, {"name": ERASED}),
        ("associates", Associate, Associate.subject_id == sid, {"name": ERASED, "notes": None}),
        (
            "contacts",
            Contact,
            Contact.subject_id == sid,
            {"notes": None, "location": None, "absence_reason": None},
        ),
        ("checks", Check, Check.subject_id == sid, {"notes": None}),
        (
            "intelligence",
            Intelligence,
            Intelligence.subject_id == sid,
            {"text": ERASED, "handling_conditions": None, "review_on": None},
        ),
        (
            "breach_reports",
            BreachReport,
            BreachReport.subject_id == sid,
            {"text": ERASED, "seen_at": None, "seen_where": None, "permalink": None},
        ),
        ("tasks", Task, Task.subject_id == sid, {"instructions": None, "outcome": None}),
        ("documents", Document, Document.subject_id == sid, {"content": b"", "filename": ERASED}),
        # the history keeps earlier values (names, addresses, notes): erased with the record
        (
            "corrections",
            Correction,
            Correction.subject_id == sid,
            {"before": ERASED, "after": ERASED, "reason": None},
        ),
        ("notifications", Notification, Notification.subject_id == sid, {"detail": None}),
        (
            "vehicles",
            Vehicle,
            Vehicle.subject_id == sid,
            {"registration": ERASED, "description": None},
        ),
    ):
        counts[key] = s.execute(update(model).where(where).values(**values)).rowcount  # type: ignore[attr-defined]
    reports = select(BreachReport.id).where(BreachReport.subject_id == sid)
    s.execute(update(BreachEdit).where(BreachEdit.breach_id.in_(reports)).values(text=ERASED))
    orders = list(s.scalars(select(Order.id).where(Order.subject_id == sid)))
    visits = select(EducationVisit.id).where(EducationVisit.order_id.in_(orders))
    s.execute(
        update(VisitEvidence)
        .where(VisitEvidence.visit_id.in_(visits))
        .values(place=None, present=None)
    )
    counts["orders"] = _erase_orders(uow, orders)
    s.execute(
        update(Subject)
        .where(Subject.id == sid)
        .values(
            given_names=ERASED,
            family_name=ERASED,
            born_on=None,
            pnc_id=None,
            niche_id=None,
            visor_ref=None,
            prison_number=None,
            address=None,
            description=None,
            read_only=True,
            review_on=None,
            version=Subject.version + 1,
        )
    )
    return {k: v for k, v in counts.items() if v}


def _erase_orders(uow: UnitOfWork, order_ids: list[int]) -> int:
    if not order_ids:
        return 0
    s = uow.session
    s.execute(update(OrderEvent).where(OrderEvent.order_id.in_(order_ids)).values(snapshot=None))
    result = s.execute(
        update(Order)
        .where(Order.id.in_(order_ids))
        .values(
            grounds=ERASED,
            decision_note=None,
            education_override=None,
            served_by=None,
            review_on=None,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _pairs(result: Result[K, V]) -> dict[K, V]:
    return {key: value for key, value in result}


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
