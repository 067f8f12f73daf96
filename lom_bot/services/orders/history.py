"""Reading an order: what it said on any date, and its view with its history (the view model
is in `view`, the next steps in `next_steps`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import NotFound
from lom_bot.services.orders.common import find_order
from lom_bot.services.orders.owed import owed_by
from lom_bot.services.orders.view import (
    Checklists,
    ConditionFacts,
    OrderParts,
    OrderView,
    TransferFacts,
    VisitFacts,
    add_checklist_step,
    assemble_view,
    history_row,
)
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.store.tables import (
    Checklist,
    ChecklistStep,
    Condition,
    EducationVisit,
    Order,
    OrderEvent,
    Transfer,
    User,
)
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class AsOf:
    """The order as it stood on a date, from the snapshot of the last event by then."""

    order_ref: str
    on: date
    snapshot: dict[str, Any]
    event_kind: str
    event_on: date


def order_as_of(uow: UnitOfWork, actor: Actor, query: str, on: date) -> AsOf:
    """What the order said on `on`: the snapshot after the last event effective by that day."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        _, order = find_order(uow, actor, query, purpose="order history")
        events = uow.session.scalars(
            select(OrderEvent)
            .where(OrderEvent.order_id == order.id, OrderEvent.effective_on <= on)
            .order_by(OrderEvent.effective_on, OrderEvent.id)
        ).all()
        with_snapshot = [e for e in events if e.snapshot]
        if not with_snapshot:
            raise NotFound(f"{order.ref} has no recorded version on or before {format_date(on)}.")
        last = with_snapshot[-1]
        uow.commit()  # the consultation audit
        assert last.snapshot is not None
        return AsOf(order.ref, on, last.snapshot, last.kind, last.effective_on)


def view_order(uow: UnitOfWork, actor: Actor, query: str) -> OrderView:
    """Everything the order card shows, with the next steps this actor may take."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        subject, order = find_order(uow, actor, query, purpose="view order")
        view = build_view(uow, actor, subject.ref, subject.name, subject.read_only, order)
        uow.commit()
        return view


_CONDITIONS = (
    select(
        Condition.number,
        Condition.category,
        Condition.wording,
        Condition.starts_on,
        Condition.ends_on,
        Condition.duty_description,
        Condition.watch_for,
    )
    .where(Condition.order_id == bindparam("order_id"), Condition.active.is_(True))
    .order_by(Condition.number, Condition.id)
)
_EVENTS = (
    select(
        OrderEvent.effective_on,
        OrderEvent.kind,
        OrderEvent.status_to,
        OrderEvent.note,
        OrderEvent.recorded_by,
        User.name,
    )
    .outerjoin(User, User.id == OrderEvent.recorded_by)
    .where(OrderEvent.order_id == bindparam("order_id"))
    .order_by(OrderEvent.id)
)
_CHECKLISTS = (
    select(
        Checklist.id,
        Checklist.kind,
        Checklist.completed_on,
        ChecklistStep.name,
        ChecklistStep.done_on,
        ChecklistStep.reference,
    )
    .outerjoin(ChecklistStep, ChecklistStep.checklist_id == Checklist.id)
    .where(Checklist.order_id == bindparam("order_id"))
    .order_by(Checklist.id, ChecklistStep.id)
)
_VISIT = (
    select(
        EducationVisit.booked_for,
        EducationVisit.done_on,
        EducationVisit.outcome,
        EducationVisit.service_evidence,
    )
    .where(EducationVisit.order_id == bindparam("order_id"))
    .order_by(EducationVisit.id.desc())
    .limit(1)
)
_TRANSFER = (
    select(
        Transfer.direction,
        Transfer.other_force,
        Transfer.started_on,
        Transfer.accepted_on,
        Transfer.needs_separate_order,
    )
    .where(Transfer.subject_id == bindparam("subject_id"))
    .order_by(Transfer.id.desc())
    .limit(1)
)


def load_parts(session: Session, order: Order) -> OrderParts:
    """The order's parts in five statements whatever its history."""
    params = {"order_id": order.id}
    checklists: Checklists = []
    seen: set[int] = set()
    for row in session.execute(_CHECKLISTS, params):
        add_checklist_step(checklists, seen, *row)
    visit = session.execute(_VISIT, params).first()
    transfer = session.execute(_TRANSFER, {"subject_id": order.subject_id}).first()
    return OrderParts(
        conditions=[ConditionFacts(*row) for row in session.execute(_CONDITIONS, params)],
        history=[history_row(*row) for row in session.execute(_EVENTS, params)],
        checklists=checklists,
        visit=VisitFacts(*visit) if visit else None,
        transfer=TransferFacts(*transfer) if transfer else None,
    )


def build_view(
    uow: UnitOfWork, actor: Actor, ref: str, name: str, read_only: bool, order: Order
) -> OrderView:
    """The view of one order, inside a unit of work the caller holds."""
    parts = load_parts(uow.session, order)
    view = assemble_view(actor, ref, name, read_only, order, parts, uow.clock.today())
    owes = owed_by(uow, order)
    view.links, view.owed = owes.links, owes.owed
    known = {s.key for s in view.steps}
    if not read_only:
        view.steps += [s for s in owes.steps if s.key not in known and can(actor, s.permission)]
    return view
