"""The education visit: booking it, and recording each condition acknowledged or the refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    OrderStatus,
)
from lom_bot.domain.errors import IllegalTransition, InvalidInput
from lom_bot.domain.lifecycle import GRANTED_NOT_ENDED
from lom_bot.services.orders.common import (
    StepDone,
    conditions_of,
    find_order,
    move,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.services.visit_evidence import Evidence, explained
from lom_bot.services.visit_evidence import keep as keep_evidence
from lom_bot.store.tables import EducationVisit, Order
from lom_bot.store.uow import UnitOfWork

VISIT_STATES = frozenset(
    {
        OrderStatus.GRANTED,
        OrderStatus.RECORDED,
        OrderStatus.AWAITING_ACTIVATION,
        OrderStatus.EDUCATED,
        OrderStatus.ACTIVE,
        OrderStatus.EXPIRING,
    }
)
SERVICE = {"in_person": "served in person", "recorded_delivery": "served by recorded delivery"}


def visits_of(uow: UnitOfWork, order: Order) -> list[EducationVisit]:
    return list(
        uow.session.scalars(
            select(EducationVisit)
            .where(EducationVisit.order_id == order.id)
            .order_by(EducationVisit.id)
        )
    )


def visit_done(uow: UnitOfWork, order: Order) -> EducationVisit | None:
    done = [v for v in visits_of(uow, order) if v.done_on is not None]
    return done[-1] if done else None


def _visitable(order: Order) -> None:
    if order.status not in VISIT_STATES:
        raise IllegalTransition(
            f"An education visit is for a granted order; {order.ref} is "
            f"{order.status.value.replace('_', ' ')}."
        )


@dataclass(frozen=True)
class BookVisit:
    subject: str
    booked_for: date


def book_visit(uow: UnitOfWork, actor: Actor, cmd: BookVisit) -> StepDone:
    """Book the education visit (before release where possible)."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="book education visit", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        _visitable(order)
        if cmd.booked_for < uow.clock.today():
            raise InvalidInput(
                f"{format_date(cmd.booked_for)} has passed; book a date from today.",
                field="booked_for",
                example="+7d",
            )
        pending = [v for v in visits_of(uow, order) if v.done_on is None]
        visit = pending[-1] if pending else EducationVisit(order_id=order.id)
        visit.booked_for = cmd.booked_for
        visit.officer_id = actor.user_id
        uow.session.add(visit)
        record_event(
            uow,
            actor,
            subject,
            order,
            "education_visit_booked",
            note=f"Booked for {format_date(cmd.booked_for)}",
        )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"Education visit for {order.ref} booked for {format_date(cmd.booked_for)}.",
        )


@dataclass(frozen=True)
class RecordVisit:
    subject: str
    done_on: date
    refused: bool = False
    acknowledged: tuple[int, ...] | None = None  # None: every condition
    service: str | None = None  # in_person | recorded_delivery, when the subject refused
    notes: str | None = None
    evidence: Evidence = field(default_factory=Evidence)  # place, present, disputed, signed


def record_visit(uow: UnitOfWork, actor: Actor, cmd: RecordVisit) -> StepDone:
    """Each condition explained and acknowledged, or the refusal with evidence of service."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record education visit", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        _visitable(order)
        check_event_date(
            cmd.done_on,
            field="date",
            label="visit date",
            today=uow.clock.today(),
            born=subject.born_on,
            not_before=order.made_on,
        )
        numbers = [c.number for c in conditions_of(uow, order) if c.active]
        if cmd.refused:
            if cmd.service not in SERVICE:
                raise InvalidInput(
                    "A refusal needs the evidence of service: in person or recorded delivery.",
                    field="service",
                    example="in_person",
                )
            acknowledged: list[int] = []
            served = SERVICE[cmd.service]
            evidence: str | None = f"{served}: {text(cmd.notes, 'notes')}" if cmd.notes else served
        else:
            acknowledged = sorted(set(cmd.acknowledged)) if cmd.acknowledged else numbers
            acknowledged = explained(
                cmd.evidence, numbers, acknowledged, False, cmd.service in SERVICE
            )
            missing = [
                n for n in numbers if n not in acknowledged and n not in cmd.evidence.disputed
            ]
            if missing:
                raise InvalidInput(
                    "Every condition must be explained and acknowledged; not yet: "
                    + ", ".join(str(n) for n in missing)
                    + ". If the subject refused, record "
                    "the refusal with the evidence of service.",
                    field="acknowledged",
                )
            evidence = text(cmd.notes, "notes")
        pending = [v for v in visits_of(uow, order) if v.done_on is None]
        visit = pending[-1] if pending else EducationVisit(order_id=order.id)
        visit.done_on = cmd.done_on
        visit.outcome = "refused" if cmd.refused else "acknowledged"
        visit.acknowledged = acknowledged
        visit.service_evidence = evidence
        visit.officer_id = actor.user_id
        uow.session.add(visit)
        outcome = (
            f"refused; {evidence}"
            if cmd.refused
            else f"conditions {', '.join(map(str, acknowledged))} explained and acknowledged"
        )
        if cmd.refused:
            explained(cmd.evidence, numbers, [], True, True)
        added = keep_evidence(uow, visit, cmd.evidence)
        if added:
            outcome += f" ({added})"
        if order.status in (OrderStatus.RECORDED, OrderStatus.AWAITING_ACTIVATION):
            move(
                uow,
                actor,
                subject,
                order,
                OrderStatus.EDUCATED,
                "education_visit_done",
                effective_on=cmd.done_on,
                note=outcome,
            )
        else:
            record_event(
                uow,
                actor,
                subject,
                order,
                "education_visit_done",
                effective_on=cmd.done_on,
                note=outcome,
            )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"Education visit recorded for {order.ref}: {outcome}.",
        )
