"""Reading an order: what it said on any date, its history, and the next allowed steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import ChecklistKind, Commencement, OrderStatus
from lom_bot.domain.errors import NotFound
from lom_bot.domain.lifecycle import ENDED, GRANTED_NOT_ENDED, IN_FORCE
from lom_bot.services.orders.common import find_order, snapshot
from lom_bot.services.orders.decision import elapsed_days
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.store import queries
from lom_bot.store.tables import (
    Checklist,
    ChecklistStep,
    EducationVisit,
    Order,
    OrderEvent,
    Subject,
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


@dataclass(frozen=True)
class Step:
    """A next step the order allows: its key (for commands and buttons), label and permission."""

    key: str
    label: str
    permission: Action


@dataclass(frozen=True)
class HistoryRow:
    on: date
    kind: str
    status: str | None
    note: str | None
    by: str | None


@dataclass
class OrderView:
    subject_ref: str
    subject_name: str
    read_only: bool
    order: dict[str, Any]
    issuing_force: str | None
    grounds: str | None
    decision_note: str | None
    days_to_decision: int | None
    proposed_on: date | None
    history: list[HistoryRow] = field(default_factory=list)
    checklists: list[tuple[str, list[tuple[str, str | None, str | None]]]] = field(
        default_factory=list
    )  # (kind, [(step, done date, reference)])
    visit: str | None = None
    transfer: str | None = None
    steps: list[Step] = field(default_factory=list)


def view_order(uow: UnitOfWork, actor: Actor, query: str) -> OrderView:
    """Everything the order card shows, with the next steps this actor may take."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        subject, order = find_order(uow, actor, query, purpose="view order")
        view = build_view(uow, actor, subject.ref, subject.name, subject.read_only, order)
        uow.commit()
        return view


def subject_order_view(uow: UnitOfWork, actor: Actor, subject: Subject) -> OrderView | None:
    """The subject's current order as a view, inside the caller's unit of work (for the card);
    None when there is no order or the actor may not see orders."""
    if not can(actor, Action.VIEW_SUBJECT):
        return None
    order = queries.current_order(uow.session, subject.id)
    if order is None:
        return None
    return build_view(uow, actor, subject.ref, subject.name, subject.read_only, order)


def build_view(
    uow: UnitOfWork, actor: Actor, ref: str, name: str, read_only: bool, order: Order
) -> OrderView:
    """The view of one order, inside a unit of work the caller holds (for the subject card)."""
    session = uow.session
    names = {uid: name for uid, name in session.execute(select(User.id, User.name))}
    events = session.scalars(
        select(OrderEvent)
        .where(OrderEvent.order_id == order.id)
        .order_by(OrderEvent.id)  # as recorded: a grant is entered after its proposal
    ).all()
    view = OrderView(
        subject_ref=ref,
        subject_name=name,
        read_only=read_only,
        order=snapshot(uow, order),
        issuing_force=order.issuing_force,
        grounds=order.grounds,
        decision_note=order.decision_note,
        days_to_decision=elapsed_days(order),
        proposed_on=order.proposed_at.date() if order.proposed_at else None,
        history=[
            HistoryRow(
                e.effective_on,
                e.kind,
                e.status_to,
                e.note,
                names.get(e.recorded_by) if e.recorded_by else "lom-bot",
            )
            for e in events
        ],
    )
    checklists = session.scalars(
        select(Checklist).where(Checklist.order_id == order.id).order_by(Checklist.id)
    ).all()
    for checklist in checklists:
        steps = session.scalars(
            select(ChecklistStep)
            .where(ChecklistStep.checklist_id == checklist.id)
            .order_by(ChecklistStep.id)
        ).all()
        view.checklists.append(
            (
                checklist.kind.value,
                [
                    (s.name, format_date(s.done_on) if s.done_on else None, s.reference)
                    for s in steps
                ],
            )
        )
    visits = session.scalars(
        select(EducationVisit)
        .where(EducationVisit.order_id == order.id)
        .order_by(EducationVisit.id)
    ).all()
    if visits:
        v = visits[-1]
        view.visit = (
            f"done {format_date(v.done_on)}: {v.outcome}"
            + (f" ({v.service_evidence})" if v.service_evidence else "")
            if v.done_on
            else f"booked for {format_date(v.booked_for)}"
            if v.booked_for
            else "to book"
        )
    transfer = session.scalars(
        select(Transfer).where(Transfer.subject_id == order.subject_id).order_by(Transfer.id.desc())
    ).first()
    if transfer is not None:
        view.transfer = (
            f"{transfer.direction} {'from' if transfer.direction == 'in' else 'to'} "
            f"{transfer.other_force}, started {format_date(transfer.started_on)}"
            + (f", accepted {format_date(transfer.accepted_on)}" if transfer.accepted_on else "")
            + ("; NEEDS A SEPARATE ORDER THERE" if transfer.needs_separate_order else "")
        )
    kinds = {c.kind for c in checklists if c.completed_on is None}
    out_open = transfer is not None and transfer.direction == "out" and not transfer.accepted_on
    view.steps = [
        s
        for s in next_steps(order, kinds, out_open, read_only, uow.clock.today())
        if can(actor, s.permission)
    ]
    return view


M, A, OG = Action.MANAGE_ORDER, Action.APPROVE_APPLICATION, Action.OVERRIDE_GATE
PRE_ACTIVE = frozenset(
    {OrderStatus.RECORDED, OrderStatus.AWAITING_ACTIVATION, OrderStatus.EDUCATED}
)


def next_steps(
    order: Order,
    open_checklists: set[ChecklistKind],
    transfer_out_open: bool,
    read_only: bool,
    today: date,
) -> list[Step]:
    """The steps the state machine allows from here, each with the permission it needs."""
    s = order.status
    if read_only or s is OrderStatus.TRANSFERRED_OUT:
        return []
    if s is OrderStatus.CLOSED:
        return [Step("propose", "Propose a new order", M)]
    steps: list[Step] = []
    if s in ENDED:
        steps.append(Step("propose", "Propose a new order", M))
    if s in (OrderStatus.PROPOSED, OrderStatus.DRAFTED):
        steps.append(
            Step(
                "draft",
                "Draft application" if s is OrderStatus.PROPOSED else "Redraft application",
                M,
            )
        )
    if s is OrderStatus.DRAFTED:
        steps += [Step("approve", "Approve", A), Step("return", "Return with comments", A)]
    if s is OrderStatus.APPROVED:
        steps += [Step("submit", "Submitted to CPS", M), Step("return", "Return with comments", A)]
    if s is OrderStatus.SUBMITTED:
        steps += [Step("grant", "Granted", M), Step("refuse", "Refused", M)]
    if ChecklistKind.SYSTEMS in open_checklists:
        steps.append(Step("systems", "Record on a system", M))
    if s in GRANTED_NOT_ENDED and s not in IN_FORCE and s is not OrderStatus.EDUCATED:
        steps += [
            Step("visit_book", "Book education visit", M),
            Step("visit", "Record education visit", M),
        ]
    if s in PRE_ACTIVE:
        steps.append(Step("activate", "Activate on release", M))
        if s is not OrderStatus.EDUCATED:
            steps.append(Step("override", "Activate (override gate)", OG))
    if (
        s in GRANTED_NOT_ENDED
        and order.commencement is Commencement.ON_RELEASE
        and order.activated_on is None
    ):
        steps.append(Step("release", "Release date changed", M))
    if ChecklistKind.TRANSFER_IN in open_checklists:
        steps.append(Step("pack_in", "Pack item received", M))
    if s in GRANTED_NOT_ENDED:
        steps += [Step("vary", "Variation", M), Step("pending", "Court event pending", M)]
    if s in IN_FORCE:
        steps.append(Step("extend", "Extension (s.22E)", M))
        if order.expires_on and order.expires_on < today:
            steps.insert(0, Step("expire", "Record expiry", M))
    if s in GRANTED_NOT_ENDED:
        steps.append(Step("discharge", "Discharged (s.18)", M))
        if transfer_out_open:
            steps += [Step("pack_out", "Pack item sent", M), Step("accept", "Transfer accepted", M)]
        else:
            steps.append(Step("transfer_out", "Transfer out", M))
    if s is OrderStatus.EXPIRED:
        steps += [
            Step("closure", "Closure step", M),
            Step("expiry_letter", "Confirmation of expiry", Action.GENERATE_LETTER),
            Step("close", "Close", M),
            Step("propose", "Propose a new order", M),
        ]
    return steps
