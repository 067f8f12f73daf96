"""The order card's view model: what it shows of an order, assembled from parts however they
were read (no queries), with the next steps the actor may take."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import ChecklistKind, ConditionCategory
from lom_bot.services.orders.common import order_snapshot
from lom_bot.services.orders.decision import elapsed_days
from lom_bot.services.orders.next_steps import Step, next_steps
from lom_bot.services.permissions import Actor, can
from lom_bot.store.tables import Order


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
