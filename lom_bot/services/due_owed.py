"""Due lines for what an order still owes: a release date for an order waiting for one, the
education visit after a gate override or a transfer in, an s.22E charge's disposal, and a
supervisor's decision on which of two live orders governs. Loaded in fixed bulk queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lom_bot.config import AppConfig
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.lifecycle import ENDED, IN_FORCE
from lom_bot.domain.workdays import add_working_days
from lom_bot.services.due import DueLine, LineKind, State
from lom_bot.services.due_lines import line_for
from lom_bot.services.due_load import EVERYONE, ORDER_COLUMNS, OrderRow, Scope, SubjectRow
from lom_bot.store.tables import Order, OrderCharge, Transfer

AWAITING = frozenset(
    {
        OrderStatus.GRANTED,
        OrderStatus.RECORDED,
        OrderStatus.AWAITING_ACTIVATION,
        OrderStatus.EDUCATED,
    }
)


@dataclass
class Owed:
    """What the digest needs beyond the monitored order of each subject."""

    others: dict[int, list[OrderRow]] = field(default_factory=dict)  # by subject id
    charges: dict[int, list[tuple[str, date]]] = field(default_factory=dict)  # by order id
    transferred_in: dict[int, date] = field(default_factory=dict)  # by subject id
    questions: dict[int, str] = field(default_factory=dict)  # by order id


def load_owed(session: Session, picked: set[int], scope: Scope = EVERYONE) -> Owed:
    """Three statements, whatever the caseload."""
    owed = Owed()
    query = select(*ORDER_COLUMNS, Order.governs_question).where(Order.status.not_in(list(ENDED)))
    for r in session.execute(scope.on(query, Order.subject_id)):
        row, question = OrderRow(*r[:-1]), r[-1]
        if question:
            owed.questions[row.id] = question
        if row.id not in picked:
            owed.others.setdefault(row.subject_id, []).append(row)
    charges = select(OrderCharge.order_id, OrderCharge.offence, OrderCharge.charged_on).where(
        OrderCharge.disposed_on.is_(None)
    )
    for order_id, offence, charged_on in session.execute(
        scope.on_orders(charges, OrderCharge.order_id)
    ):
        owed.charges.setdefault(order_id, []).append((offence, charged_on))
    arrivals = (
        select(Transfer.subject_id, func.max(Transfer.started_on))
        .where(Transfer.direction == "in")
        .group_by(Transfer.subject_id)
    )
    owed.transferred_in = dict(session.execute(scope.on(arrivals, Transfer.subject_id)).all())
    return owed


def release_missing_line(
    today: date, subject: SubjectRow, order: OrderRow, release: date | None
) -> DueLine | None:
    """An order waiting for release with no release date held appears in no horizon: say so."""
    if order.status not in AWAITING or order.starts_on is not None or release is not None:
        return None
    return line_for(
        subject,
        kind=LineKind.ORDER_OWED,
        state=State.DUE,
        due_on=today,
        what=f"{order.ref} awaits activation on release but no release date is held: record "
        f"one (`/lom order {subject.ref} release kind=crd date=...`)",
        ref=order.ref,
    )


def visit_chase_line(
    config: AppConfig,
    today: date,
    subject: SubjectRow,
    order: OrderRow,
    visit: tuple[date | None, date | None] | None,
    arrived: date | None,
) -> DueLine | None:
    """An order in force without its education visit (the gate overridden, or a transfer in)."""
    done, booked = visit or (None, None)
    if order.status not in IN_FORCE or done is not None or order.activated_on is None:
        return None
    if not (order.education_override or arrived):
        return None
    since = max(order.activated_on, arrived or order.activated_on)
    due = add_working_days(since, config.due.education_visit_after_activation_working_days)
    why = "transferred in" if arrived and arrived >= order.activated_on else "gate overridden"
    what = f"{order.ref} education visit still owed ({why}; due by {format_date(due)})"
    if booked is not None and booked >= today:
        what += f", booked for {format_date(booked)}"
    return line_for(
        subject,
        kind=LineKind.EDUCATION_VISIT,
        state=State.OVERDUE if today > due else State.DUE,
        due_on=due,
        what=what,
        ref=order.ref,
    )


def charge_lines(
    today: date, subject: SubjectRow, order: OrderRow, charges: list[tuple[str, date]]
) -> list[DueLine]:
    """An s.22E charge awaiting disposal: overdue once the order is held only by it."""
    held = order.expires_on is not None and order.expires_on < today
    return [
        line_for(
            subject,
            kind=LineKind.ORDER_OWED,
            state=State.OVERDUE if held else State.DUE,
            due_on=order.expires_on or today,
            what=f"{order.ref}: record the disposal of the s.22E charge ({offence}, charged "
            f"{format_date(charged_on)})"
            + ("; the order is held in force only by it" if held else ""),
            ref=order.ref,
        )
        for offence, charged_on in charges
    ]


def question_line(today: date, subject: SubjectRow, order: OrderRow, question: str) -> DueLine:
    return line_for(
        subject,
        kind=LineKind.ORDER_OWED,
        state=State.OVERDUE,
        due_on=today,
        what=f"{order.ref}: a supervisor decides {question}",
        ref=order.ref,
    )
