"""Shared steps for the order services: finding the order, moving it, recording the event."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import func, select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ConditionCategory, OrderStatus
from lom_bot.domain.errors import Ambiguous, NotFound, ReadOnlyRecord
from lom_bot.domain.lifecycle import ENDED, check_transition
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import access_subject
from lom_bot.store import queries
from lom_bot.store.tables import Condition, Order, OrderEvent, Subject
from lom_bot.store.uow import UnitOfWork

ORDER_REF = re.compile(r"^\s*scpo-?0*(\d{1,7})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class StepDone:
    """What a step did: the order's reference and status after it, and a sentence to show."""

    subject_ref: str
    order_ref: str
    status: OrderStatus
    message: str


def order_ref(number: int) -> str:
    return f"SCPO-{number:04d}"


def next_order_ref(uow: UnitOfWork) -> str:
    refs = uow.session.scalars(select(Order.ref)).all()
    numbers = [int(m[1]) for r in refs if (m := ORDER_REF.match(r))]
    return order_ref(max(numbers, default=0) + 1)


def find_order(
    uow: UnitOfWork,
    actor: Actor,
    query: str,
    *,
    purpose: str,
    acts_on: frozenset[OrderStatus] | None = None,
) -> tuple[Subject, Order]:
    """The subject (by any of its identifiers) and its current order, or an order by reference.

    A step names the statuses it `acts_on`: when a subject has two live orders (a replacement,
    or an order arriving beside one held here), the step takes the only one it can act on, and
    when both qualify it asks which, never guessing."""
    match = ORDER_REF.match(query or "")
    if match:
        order = uow.session.scalars(
            select(Order).where(Order.ref == order_ref(int(match[1])))
        ).first()
        if order is None:
            raise NotFound(f"No order {query.strip().upper()}.", field="order", example="SCPO-0001")
        subject = uow.session.get_one(Subject, order.subject_id)
        subject = access_subject(uow, actor, subject.ref, purpose=purpose)
        return subject, order
    subject = access_subject(uow, actor, query, purpose=purpose)
    order = queries.current_order(uow.session, subject.id)
    if order is not None and acts_on is not None:
        order = _the_one_acted_on(uow, subject, order, acts_on, query)
    if order is None:
        raise NotFound(
            f"{subject.ref} has no order yet. Propose one with `/lom order {subject.ref} "
            f"propose`, or record one arriving from another force with `/lom order "
            f"{subject.ref} transfer_in force=...`.",
            field="order",
        )
    return subject, order


def _the_one_acted_on(
    uow: UnitOfWork, subject: Subject, newest: Order, acts_on: frozenset[OrderStatus], query: str
) -> Order:
    live = [
        o
        for o in uow.session.scalars(
            select(Order).where(Order.subject_id == subject.id).order_by(Order.id.desc())
        )
        if o.status not in ENDED
    ]
    fits = [o for o in live if o.status in acts_on]
    if len(live) < 2 or not fits:
        return newest  # one live order, or none this step can act on: the step says why
    if len(fits) == 1:
        return fits[0]
    labels = [(o.ref, _label(o)) for o in fits]
    raise Ambiguous(
        f"'{query.strip()}' matches {len(fits)} live orders: "
        + "; ".join(f"{ref} ({label})" for ref, label in labels)
        + f". Name the one you mean, e.g. `/lom order {fits[0].ref} ...`.",
        labels,
    )


def _label(order: Order) -> str:
    made = f", made {format_date(order.made_on)}" if order.made_on else ""
    force = f" by {order.issuing_force}" if order.issuing_force else ""
    return f"{order.status.value.replace('_', ' ')}{made}{force}"


def conditions_of(uow: UnitOfWork, order: Order) -> list[Condition]:
    return list(
        uow.session.scalars(
            select(Condition).where(Condition.order_id == order.id).order_by(Condition.number)
        )
    )


def snapshot(uow: UnitOfWork, order: Order) -> dict[str, Any]:
    """What the order says now: status, dates and every condition in force, verbatim."""
    return order_snapshot(order, [c for c in conditions_of(uow, order) if c.active])


class ConditionTerms(Protocol):
    """What a snapshot records of a condition (a Condition row, or one read as columns)."""

    @property
    def number(self) -> int: ...
    @property
    def category(self) -> ConditionCategory: ...
    @property
    def wording(self) -> str: ...
    @property
    def starts_on(self) -> date | None: ...
    @property
    def ends_on(self) -> date | None: ...
    @property
    def duty_description(self) -> str | None: ...


def order_snapshot(order: Order, conditions: Iterable[ConditionTerms]) -> dict[str, Any]:
    """The snapshot of `order` with these conditions (those in force, in number order)."""
    return {
        "ref": order.ref,
        "status": order.status.value,
        "version": order.version,
        "court": order.court,
        "made_on": _iso(order.made_on),
        "starts_on": _iso(order.starts_on),
        "activated_on": _iso(order.activated_on),
        "expires_on": _iso(order.expires_on),
        "term_months": order.term_months,
        "commencement": order.commencement.value,
        "pending_court_event": order.pending_court_event,
        "conditions": [
            {
                "number": c.number,
                "category": c.category.value,
                "wording": c.wording,
                "starts_on": _iso(c.starts_on),
                "ends_on": _iso(c.ends_on),
                "duty": c.duty_description,
            }
            for c in conditions
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def record_event(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    order: Order,
    kind: str,
    *,
    effective_on: date | None = None,
    note: str | None = None,
    status_from: OrderStatus | None = None,
    action: AuditAction = AuditAction.ALTERATION,
) -> OrderEvent:
    """An OrderEvent with the order's snapshot after the step, and its audit record."""
    uow.session.flush()
    event = OrderEvent(
        order_id=order.id,
        kind=kind,
        status_from=(status_from or order.status).value,
        status_to=order.status.value,
        effective_on=effective_on or uow.clock.today(),
        note=note,
        snapshot=snapshot(uow, order),
        recorded_by=actor.user_id,
        recorded_at=uow.clock.now(),
    )
    uow.session.add(event)
    uow.session.flush()
    uow.audit(
        actor.slack_id,
        action,
        f"order.{kind}",
        entity="order",
        entity_id=order.id,
        subject_ref=subject.ref,
        detail={
            "order": order.ref,
            "from": event.status_from,
            "to": event.status_to,
            "effective_on": event.effective_on.isoformat(),
        },
    )
    return event


def move(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    order: Order,
    target: OrderStatus,
    kind: str,
    *,
    effective_on: date | None = None,
    note: str | None = None,
) -> OrderEvent:
    """Move the order through the state machine (refusing illegal steps) and record it."""
    check_transition(order.status, target)
    before = order.status
    order.status = target
    return record_event(
        uow, actor, subject, order, kind, effective_on=effective_on, note=note, status_from=before
    )


def writable_order(subject: Subject, order: Order) -> None:
    if subject.read_only:
        raise ReadOnlyRecord(f"{subject.ref} was transferred out and is read-only for this force.")
    if order.status in (OrderStatus.CLOSED, OrderStatus.TRANSFERRED_OUT):
        raise ReadOnlyRecord(
            f"{order.ref} is {order.status.value.replace('_', ' ')}: the record is kept, read-only."
        )


def max_condition_number(uow: UnitOfWork, order: Order) -> int:
    found = uow.session.scalar(
        select(func.max(Condition.number)).where(Condition.order_id == order.id)
    )
    return int(found or 0)
