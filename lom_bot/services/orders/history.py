"""Reading an order: what it said on any date, its history, and the next allowed steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import ChecklistKind, Commencement, ConditionCategory, OrderStatus
from lom_bot.domain.errors import NotFound
from lom_bot.domain.lifecycle import ENDED, GRANTED_NOT_ENDED, IN_FORCE
from lom_bot.services.orders.common import find_order, order_snapshot
from lom_bot.services.orders.decision import elapsed_days
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
    links: list[str] = field(default_factory=list)  # supersedes / superseded by, charges
    owed: list[str] = field(default_factory=list)  # what the order still waits for


def view_order(uow: UnitOfWork, actor: Actor, query: str) -> OrderView:
    """Everything the order card shows, with the next steps this actor may take."""
    with uow:
        require(actor, Action.VIEW_SUBJECT)
        subject, order = find_order(uow, actor, query, purpose="view order")
        view = build_view(uow, actor, subject.ref, subject.name, subject.read_only, order)
        uow.commit()
        return view


@dataclass(frozen=True, slots=True)
class ConditionFacts:
    """What a view shows of one condition (read as columns)."""

    number: int
    category: ConditionCategory
    wording: str
    starts_on: date | None
    ends_on: date | None
    duty_description: str | None
    watch_for: str | None


@dataclass(frozen=True, slots=True)
class VisitFacts:
    booked_for: date | None
    done_on: date | None
    outcome: str | None
    service_evidence: str | None


@dataclass(frozen=True, slots=True)
class TransferFacts:
    direction: str
    other_force: str
    started_on: date
    accepted_on: date | None
    needs_separate_order: bool


Checklists = list[tuple[ChecklistKind, date | None, list[tuple[str, date | None, str | None]]]]


@dataclass
class OrderParts:
    """What an order's view is made of besides the order, however the caller read it."""

    conditions: list[ConditionFacts]  # the active ones, by number
    history: list[HistoryRow]  # as recorded: a grant is entered after its proposal
    checklists: Checklists  # (kind, completed on, [(step, done on, reference)]), by id
    visit: VisitFacts | None  # the last education visit
    transfer: TransferFacts | None  # the subject's last transfer


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


def history_row(
    on: date, kind: str, status: str | None, note: str | None, by_id: int | None, by: str | None
) -> HistoryRow:
    """An event as the history shows it: by whom, or lom-bot when nobody recorded it."""
    return HistoryRow(on, kind, status, note, by if by_id else "lom-bot")


def add_checklist_step(
    checklists: Checklists,
    seen: set[int],
    checklist_id: int,
    kind: ChecklistKind,
    completed_on: date | None,
    step: str | None,
    done_on: date | None,
    reference: str | None,
) -> None:
    """Add one row of a checklist joined to its steps (a checklist without steps: no step)."""
    if checklist_id not in seen:
        seen.add(checklist_id)
        checklists.append((kind, completed_on, []))
    if step is not None:
        checklists[-1][2].append((step, done_on, reference))


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
    from lom_bot.services.orders.owed import owed_by  # it builds on this module's Step

    parts = load_parts(uow.session, order)
    view = assemble_view(actor, ref, name, read_only, order, parts, uow.clock.today())
    owes = owed_by(uow, order)
    view.links, view.owed = owes.links, owes.owed
    known = {s.key for s in view.steps}
    if not read_only:
        view.steps += [s for s in owes.steps if s.key not in known and can(actor, s.permission)]
    return view


def assemble_view(
    actor: Actor,
    ref: str,
    name: str,
    read_only: bool,
    order: Order,
    parts: OrderParts,
    today: date,
) -> OrderView:
    """The view of one order from its parts (no queries), with the steps this actor may take."""
    view = OrderView(
        subject_ref=ref,
        subject_name=name,
        read_only=read_only,
        order=order_snapshot(order, parts.conditions),
        issuing_force=order.issuing_force,
        grounds=order.grounds,
        decision_note=order.decision_note,
        days_to_decision=elapsed_days(order),
        proposed_on=order.proposed_at.date() if order.proposed_at else None,
        history=parts.history,
        checklists=[
            (
                kind.value,
                [(step, format_date(done) if done else None, refr) for step, done, refr in steps],
            )
            for kind, _, steps in parts.checklists
        ],
    )
    v = parts.visit
    if v is not None:
        view.visit = (
            f"done {format_date(v.done_on)}: {v.outcome}"
            + (f" ({v.service_evidence})" if v.service_evidence else "")
            if v.done_on
            else f"booked for {format_date(v.booked_for)}"
            if v.booked_for
            else "to book"
        )
    transfer = parts.transfer
    if transfer is not None:
        view.transfer = (
            f"{transfer.direction} {'from' if transfer.direction == 'in' else 'to'} "
            f"{transfer.other_force}, started {format_date(transfer.started_on)}"
            + (f", accepted {format_date(transfer.accepted_on)}" if transfer.accepted_on else "")
            + ("; NEEDS A SEPARATE ORDER THERE" if transfer.needs_separate_order else "")
        )
    kinds = {kind for kind, completed_on, _ in parts.checklists if completed_on is None}
    out_open = transfer is not None and transfer.direction == "out" and not transfer.accepted_on
    view.steps = [
        s for s in next_steps(order, kinds, out_open, read_only, today) if can(actor, s.permission)
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
            Step("visit_record", "Record education visit", M),
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
            steps += [
                Step("transfer_pack", "Make transfer pack", Action.EXPORT_SENSITIVE),
                Step("pack_out", "Pack item sent", M),
                Step("accept", "Transfer accepted", M),
            ]
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
