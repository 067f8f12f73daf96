"""Bulk loads for the due computations: one query per kind of record, whatever the caseload."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from lom_bot.domain.enums import (
    BreachStatus,
    CheckKind,
    ChecklistKind,
    ConditionCategory,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    DutyKind,
    FollowUpKind,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
    TaskStatus,
)
from lom_bot.domain.lifecycle import ENDED, IN_FORCE
from lom_bot.services.due import Officer
from lom_bot.store.holders import held_by, holder_column
from lom_bot.store.tables import (
    BreachReport,
    Check,
    Checklist,
    ChecklistStep,
    Condition,
    Contact,
    EducationVisit,
    FollowUp,
    Order,
    ReleaseDate,
    Subject,
    Task,
    User,
)

# A contact counts as done when the subject was seen; an absence (even an acceptable one)
# or no contact leaves it due, so the appointment is rearranged rather than forgotten.
ATTENDED = (ContactOutcome.COMPLIED, ContactOutcome.FAILED_TO_COMPLY)
OPEN_BREACH = (BreachStatus.NEW, BreachStatus.POSSIBLE, BreachStatus.NEED_INFO)


@dataclass(frozen=True)
class SubjectRow:
    id: int
    ref: str
    name: str
    district: str
    risk: RiskLevel
    custody: CustodyStatus
    officer_id: int | None


@dataclass(frozen=True)
class OrderRow:
    id: int
    subject_id: int
    ref: str
    status: OrderStatus
    starts_on: date | None
    activated_on: date | None
    expires_on: date | None
    education_override: str | None


Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class Scope:
    """Whose records to load: everyone's, or one officer's caseload (so `/lom due` for one
    officer reads that officer's subjects, not the whole force's history)."""

    officer_id: int | None = None
    day: date | None = None  # whose caseload on this day (cover counts); None: the owner's

    def on(self, query: Q, subject_id: Any) -> Q:
        if self.officer_id is None:
            return query
        mine = (
            held_by(self.day, self.officer_id)
            if self.day is not None
            else Subject.officer_id == self.officer_id
        )
        return query.where(subject_id.in_(select(Subject.id).where(mine)))

    def on_orders(self, query: Q, order_id: Any) -> Q:
        if self.officer_id is None:
            return query
        return query.where(order_id.in_(self.on(select(Order.id), Order.subject_id)))


EVERYONE = Scope()


def officers(session: Session) -> dict[int, Officer]:
    rows = session.execute(select(User.id, User.name, User.slack_id))
    return {uid: Officer(uid, name, slack) for uid, name, slack in rows}


def subjects(
    session: Session, scope: Scope = EVERYONE, day: date | None = None
) -> dict[int, SubjectRow]:
    """Subjects with the officer who holds each on `day` (cover counts; store/holders.py)."""
    on = day or scope.day
    query = select(
        Subject.id,
        Subject.ref,
        Subject.given_names,
        Subject.family_name,
        Subject.district,
        Subject.risk_level,
        Subject.custody_status,
        holder_column(on) if on is not None else Subject.officer_id,
    )
    rows = session.execute(scope.on(query, Subject.id))
    return {r[0]: SubjectRow(r[0], r[1], f"{r[2]} {r[3]}", r[4], r[5], r[6], r[7]) for r in rows}


ORDER_COLUMNS = (
    Order.id,
    Order.subject_id,
    Order.ref,
    Order.status,
    Order.starts_on,
    Order.activated_on,
    Order.expires_on,
    Order.education_override,
)


def live_orders(session: Session, scope: Scope = EVERYONE) -> dict[int, OrderRow]:
    """Each subject's live order (the newest that has not ended), by subject id."""
    query = select(*ORDER_COLUMNS).where(Order.status.not_in(list(ENDED))).order_by(Order.id)
    rows = session.execute(scope.on(query, Order.subject_id))
    orders: dict[int, OrderRow] = {}
    for r in rows:
        if not _keeps(orders.get(r[1]), r[3]):
            orders[r[1]] = OrderRow(*r)
    return orders


def _keeps(held: OrderRow | None, newer: OrderStatus) -> bool:
    """The newest live order wins, except that an order in force is kept over a newer one not
    yet active (a replacement): monitoring continues from the old until the new is active."""
    return held is not None and held.status in IN_FORCE and newer not in IN_FORCE


@dataclass(frozen=True)
class LastDone:
    """What was last done for an order's cadences, on or after its activation: an attended
    contact of any kind, an attended home visit, a compliance check of any kind."""

    contact: date | None
    home_visit: date | None
    check: date | None


NOTHING_DONE = LastDone(None, None, None)


def live_orders_and_last_done(
    session: Session, through: date, scope: Scope = EVERYONE
) -> tuple[dict[int, OrderRow], dict[int, LastDone]]:
    """Each subject's live order as `live_orders`, and for an order in force, what was last
    done from its activation to `through` (by subject id; absent when nothing was).

    One correlated max per order in force and cadence walks the subject's rows of the
    (subject_id, date) index from `through` back to the activation, and no further; orders
    not in force (about a third at national scale) are not looked up at all."""
    cadenced = Order.status.in_(list(IN_FORCE)) & Order.activated_on.is_not(None)

    def since_activation(day: Any, subject_id: Any, *extra: Any) -> Any:
        last = (
            select(func.max(day))
            .where(
                subject_id == Order.subject_id, day <= through, day >= Order.activated_on, *extra
            )
            .scalar_subquery()
        )
        return case((cadenced, last))

    attended = Contact.outcome.in_(ATTENDED)
    query = (
        select(
            *ORDER_COLUMNS,
            since_activation(Contact.occurred_on, Contact.subject_id, attended),
            since_activation(
                Contact.occurred_on,
                Contact.subject_id,
                attended,
                Contact.kind == ContactKind.HOME_VISIT,
            ),
            since_activation(Check.done_on, Check.subject_id),
        )
        .where(Order.status.not_in(list(ENDED)))
        .order_by(Order.id)
    )
    orders: dict[int, OrderRow] = {}
    done: dict[int, LastDone] = {}
    for *order, contact, home_visit, check in session.execute(scope.on(query, Order.subject_id)):
        row = OrderRow(*order)
        if _keeps(orders.get(row.subject_id), row.status):
            continue
        orders[row.subject_id] = row
        if contact or home_visit or check:
            done[row.subject_id] = LastDone(contact, home_visit, check)
        else:
            done.pop(row.subject_id, None)
    return orders, done


def has_order_in_force(subject_id: Any) -> Any:
    """The condition that a record's subject has an order in force."""
    return subject_id.in_(select(Order.subject_id).where(Order.status.in_(list(IN_FORCE))))


def recent_checks(
    session: Session, today: date, since: date, scope: Scope = EVERYONE
) -> dict[int, dict[CheckKind, date]]:
    """The last check of each kind done from `since` to today, per subject with an order in
    force (or in the scope): a range of the (subject_id, done_on) index per subject, not the
    whole history."""
    query = (
        select(Check.subject_id, Check.kind, func.max(Check.done_on))
        .where(Check.done_on >= since, Check.done_on <= today)
        .group_by(Check.subject_id, Check.kind)
    )
    if scope.officer_id is None:  # one officer's subjects are fewer than those in force
        query = query.where(has_order_in_force(Check.subject_id))
    rows = session.execute(scope.on(query, Check.subject_id))
    out: dict[int, dict[CheckKind, date]] = defaultdict(dict)
    for subject_id, kind, last in rows:
        out[subject_id][kind] = last
    return out


@dataclass(frozen=True)
class DutyRow:
    order_id: int
    number: int
    category: ConditionCategory
    day: int
    description: str | None
    starts_on: date | None
    ends_on: date | None


def monthly_duties(session: Session, scope: Scope = EVERYONE) -> dict[int, list[DutyRow]]:
    """Active 'monthly by the Nth' duties, by order id."""
    query = select(
        Condition.order_id,
        Condition.number,
        Condition.category,
        Condition.duty_days,
        Condition.duty_description,
        Condition.starts_on,
        Condition.ends_on,
    ).where(
        Condition.duty == DutyKind.MONTHLY_BY_DAY,
        Condition.active.is_(True),
        Condition.duty_days.is_not(None),
    )
    rows = session.execute(scope.on_orders(query, Condition.order_id))
    out: dict[int, list[DutyRow]] = defaultdict(list)
    for order_id, number, category, day, description, starts_on, ends_on in rows:
        out[order_id].append(
            DutyRow(order_id, number, category, day or 1, description, starts_on, ends_on)
        )
    return out


def education_visits(
    session: Session, scope: Scope = EVERYONE
) -> dict[int, tuple[date | None, date | None]]:
    """(last visit done, latest booking) per order."""
    query = select(
        EducationVisit.order_id,
        func.max(EducationVisit.done_on),
        func.max(EducationVisit.booked_for),
    ).group_by(EducationVisit.order_id)
    rows = session.execute(scope.on_orders(query, EducationVisit.order_id))
    return {order_id: (done, booked) for order_id, done, booked in rows}


def release_history(
    session: Session,
    scope: Scope = EVERYONE,
) -> dict[int, list[tuple[ReleaseDateKind, date, datetime]]]:
    """Every recorded release date of subjects in custody, oldest first, by subject."""
    query = (
        select(ReleaseDate.subject_id, ReleaseDate.kind, ReleaseDate.on, ReleaseDate.recorded_at)
        .join(Subject, Subject.id == ReleaseDate.subject_id)
        .where(Subject.custody_status.in_([CustodyStatus.IN_CUSTODY, CustodyStatus.RECALLED]))
        .order_by(ReleaseDate.recorded_at, ReleaseDate.id)
    )
    rows = session.execute(scope.on(query, ReleaseDate.subject_id))
    out: dict[int, list[tuple[ReleaseDateKind, date, datetime]]] = defaultdict(list)
    for subject_id, kind, on, at in rows:
        out[subject_id].append((kind, on, at))
    return out


@dataclass(frozen=True)
class BreachRow:
    id: int
    ref: str
    subject_id: int | None
    status: BreachStatus
    district: str | None
    received_at: datetime


def open_breaches(session: Session, scope: Scope = EVERYONE) -> list[BreachRow]:
    query = (
        select(
            BreachReport.id,
            BreachReport.ref,
            BreachReport.subject_id,
            BreachReport.status,
            BreachReport.district,
            BreachReport.received_at,
        )
        .where(BreachReport.status.in_(OPEN_BREACH), BreachReport.deleted.is_(False))
        .order_by(BreachReport.received_at)
    )
    rows = session.execute(scope.on(query, BreachReport.subject_id))
    return [BreachRow(*r) for r in rows]


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    subject_id: int
    kind: FollowUpKind
    due_on: date
    owner_id: int | None
    breach_ref: str | None
    note: str | None


def open_follow_ups(session: Session, scope: Scope = EVERYONE) -> list[FollowUpRow]:
    query = (
        select(
            FollowUp.id,
            FollowUp.subject_id,
            FollowUp.kind,
            FollowUp.due_on,
            FollowUp.owner_id,
            BreachReport.ref,
            FollowUp.note,
        )
        .outerjoin(BreachReport, BreachReport.id == FollowUp.breach_id)
        .where(FollowUp.done_on.is_(None), FollowUp.due_on.is_not(None))
        .order_by(FollowUp.due_on)
    )
    rows = session.execute(scope.on(query, FollowUp.subject_id))
    return [
        FollowUpRow(fid, subject_id, kind, due_on, owner_id, breach_ref, note)
        for fid, subject_id, kind, due_on, owner_id, breach_ref, note in rows
        if due_on is not None
    ]


@dataclass(frozen=True)
class TaskRow:
    ref: str
    subject_id: int
    subject_ref: str
    district: str
    kind: TaskKind
    due_on: date
    address: str | None = None  # the subject's, for a district's own list (a curfew check)


def open_tasks(session: Session, due_by: date, scope: Scope = EVERYONE) -> list[TaskRow]:
    """Open tasks due on or before a date, with the subject's reference."""
    query = (
        select(
            Task.ref,
            Task.subject_id,
            Subject.ref,
            Task.district,
            Task.kind,
            Task.due_on,
            Subject.address,
        )
        .join(Subject, Subject.id == Task.subject_id)
        .where(Task.status == TaskStatus.OPEN, Task.due_on <= due_by)
        .order_by(Task.due_on, Task.ref)
    )
    rows = session.execute(scope.on(query, Task.subject_id))
    return [TaskRow(*r) for r in rows]


@dataclass
class ChecklistRow:
    id: int
    kind: ChecklistKind
    subject_id: int
    order_ref: str | None
    opened_on: date
    outstanding: list[str]


def open_checklists(session: Session, scope: Scope = EVERYONE) -> list[ChecklistRow]:
    """Checklists not completed, with the names of their outstanding steps."""
    query = (
        select(
            Checklist.id,
            Checklist.kind,
            Checklist.subject_id,
            Order.ref,
            Checklist.opened_on,
            ChecklistStep.name,
        )
        .join(ChecklistStep, ChecklistStep.checklist_id == Checklist.id)
        .outerjoin(Order, Order.id == Checklist.order_id)
        .where(Checklist.completed_on.is_(None), ChecklistStep.done_on.is_(None))
        .order_by(Checklist.id, ChecklistStep.id)
    )
    rows = session.execute(scope.on(query, Checklist.subject_id))
    out: dict[int, ChecklistRow] = {}
    for cid, kind, subject_id, order_ref, opened_on, step in rows:
        out.setdefault(cid, ChecklistRow(cid, kind, subject_id, order_ref, opened_on, []))
        out[cid].outstanding.append(step)
    return list(out.values())
