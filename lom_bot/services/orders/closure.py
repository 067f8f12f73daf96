"""Expiry and closure: the daily expiry job, the closure checklist and closing the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import ChecklistKind, OrderStatus
from lom_bot.domain.errors import GateClosed, IllegalTransition
from lom_bot.domain.lifecycle import IN_FORCE
from lom_bot.domain.order_dates import ceases_on, expired_at, runs_to
from lom_bot.services.orders.charges import held_for
from lom_bot.services.orders.checklists import latest_checklist, open_checklist, steps_of
from lom_bot.services.orders.common import StepDone, find_order, move, writable_order
from lom_bot.services.permissions import SYSTEM, Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.store.tables import Order, Subject
from lom_bot.store.uow import UnitOfWork

CLOSURE = (
    "Final checks with subject and probation",
    "Final intelligence",
    "System markers removed",
    "ViSOR archived",
    "Written confirmation of expiry issued",
)


@dataclass
class ExpiryReport:
    """What the expiry job moved: refs now on the 180-day radar, and refs now expired."""

    expiring: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)


def expire_due_orders(uow: UnitOfWork, today: date) -> ExpiryReport:
    """ACTIVE -> EXPIRING within the horizon; ACTIVE/EXPIRING -> EXPIRED after the end date."""
    with uow:
        report = expire_orders_within(uow, today)
        uow.commit()
    return report


def expire_orders_within(uow: UnitOfWork, today: date) -> ExpiryReport:
    """expire_due_orders inside the caller's unit of work (the scheduled job commits it)."""
    report = ExpiryReport()
    horizon = today + timedelta(days=max(uow.config.horizons.expiry_days))
    orders = uow.session.scalars(
        select(Order)
        .where(
            Order.status.in_(IN_FORCE),
            Order.expires_on.is_not(None),
            Order.expires_on <= horizon,
        )
        .order_by(Order.id)
    ).all()
    for order in orders:
        subject = uow.session.get_one(Subject, order.subject_id)
        moved = _expire_one(uow, SYSTEM, subject, order, today)
        if moved is OrderStatus.EXPIRED:
            report.expired.append(order.ref)
        elif moved is OrderStatus.EXPIRING:
            report.expiring.append(order.ref)
    return report


def _expire_one(
    uow: UnitOfWork, actor: Actor, subject: Subject, order: Order, today: date
) -> OrderStatus | None:
    """The one rule for the job and for an officer: past its end it expires, near it expiring."""
    horizon = today + timedelta(days=max(uow.config.horizons.expiry_days))
    if order.expires_on is None or order.status not in IN_FORCE or order.expires_on > horizon:
        return None
    if order.expires_on < today and held_for(uow, order) is None:
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.EXPIRED,
            "expired",
            effective_on=ceases_on(order.expires_on),
            note=f"{expired_at(order.expires_on).capitalize()}; closure checklist opened",
        )
        open_checklist(uow, ChecklistKind.CLOSURE, subject, order, CLOSURE)
        return OrderStatus.EXPIRED
    if order.status is OrderStatus.ACTIVE:
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.EXPIRING,
            "expiring",
            effective_on=today,
            note=f"{runs_to(order.expires_on).capitalize()}: time to consider a new order "
            "(s.16(6))",
        )
        return OrderStatus.EXPIRING
    return None


@dataclass(frozen=True)
class RecordExpiry:
    subject: str


def record_expiry(uow: UnitOfWork, actor: Actor, cmd: RecordExpiry) -> StepDone:
    """An officer records now what the nightly expiry job would: expired, or on the radar."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record expiry", acts_on=IN_FORCE
        )
        writable_order(subject, order)
        moved = _expire_one(uow, actor, subject, order, uow.clock.today())
        held = held_for(uow, order)
        if held and moved is not OrderStatus.EXPIRED:
            raise GateClosed(held)
        if moved is None:
            raise IllegalTransition(
                f"{order.ref} is {order.status.value.replace('_', ' ')}"
                + (f" and {runs_to(order.expires_on)}" if order.expires_on else "")
                + ": nothing to record yet."
            )
        uow.commit()
        message = (
            f"{order.ref} {expired_at(order.expires_on)}; the closure checklist is open."
            if moved is OrderStatus.EXPIRED
            else f"{order.ref} is {runs_to(order.expires_on)}: it is on the expiry "
            "radar. Consider applying for a new order (s.16(6))."
        )
        return StepDone(subject.ref, order.ref, order.status, message)


@dataclass(frozen=True)
class CloseOrder:
    subject: str
    note: str | None = None


def close_order(uow: UnitOfWork, actor: Actor, cmd: CloseOrder) -> StepDone:
    """Close an expired order once the closure checklist is done; the record stays, read-only."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="close order", acts_on=frozenset({OrderStatus.EXPIRED})
        )
        held = held_for(uow, order)
        if held:
            raise GateClosed(held)
        if order.pending_court_event:
            raise GateClosed(
                f"{order.ref} cannot be closed while a {order.pending_court_event} is pending "
                "before the court."
            )
        if order.status in (OrderStatus.ACTIVE, OrderStatus.EXPIRING):
            raise IllegalTransition(
                f"{order.ref} runs until {format_date(order.expires_on)}: closure is refused "
                "before the expiry date."
            )
        checklist = latest_checklist(uow, order, ChecklistKind.CLOSURE)
        left = [s.name for s in steps_of(uow, checklist)] if checklist else list(CLOSURE)
        if checklist is not None:
            left = [s.name for s in steps_of(uow, checklist) if s.done_on is None]
        if order.status is OrderStatus.EXPIRED and left:
            raise GateClosed("The closure checklist is not finished: " + ", ".join(left) + ".")
        move(uow, actor, subject, order, OrderStatus.CLOSED, "closed", note=text(cmd.note, "note"))
        if checklist is not None:
            checklist.completed_on = checklist.completed_on or uow.clock.today()
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} closed. The record is kept, read-only.",
        )
