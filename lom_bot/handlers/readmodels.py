"""What the subject card, caseload list and App Home show, each loaded in a fixed number of
queries whatever the caseload size (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from lom_bot.domain.enums import (
    AuditAction,
    BreachStatus,
    ContactOutcome,
    ReleaseDateKind,
    TaskStatus,
)
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.orders.history import OrderView, subject_order_view
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.services.subjects import access_subject
from lom_bot.store import queries
from lom_bot.store.tables import (
    Alias,
    BreachReport,
    Condition,
    Contact,
    FollowUp,
    Intelligence,
    Order,
    Subject,
    Task,
    User,
)
from lom_bot.store.uow import UnitOfWork

LAST_CONTACTS = 3
LAST_INTEL = 3


@dataclass
class Card:
    subject: Subject
    limited: bool  # a district officer's view: identity, description, conditions, tasks
    aliases: list[str] = field(default_factory=list)
    officer: str | None = None
    order: Order | None = None
    conditions: list[Condition] = field(default_factory=list)
    release: dict[ReleaseDateKind, date] = field(default_factory=dict)
    expected_release: date | None = None
    contacts: list[Contact] = field(default_factory=list)
    evidence_awaited: list[Contact] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    breaches: list[BreachReport] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    intel: list[Intelligence] = field(default_factory=list)
    intel_count: int = 0
    order_view: OrderView | None = None  # the order's recent history and open checklists


def load_card(uow: UnitOfWork, actor: Actor, query: str, *, with_intel: bool) -> Card:
    """The card for one subject the actor may see; the look-up is audited (caller commits)."""
    limited = not can(actor, Action.VIEW_SUBJECT)
    require(actor, Action.VIEW_SUBJECT_LIMITED if limited else Action.VIEW_SUBJECT)
    subject = access_subject(uow, actor, query, purpose="view subject card")
    s = uow.session
    card = Card(subject, limited)
    card.aliases = list(s.scalars(select(Alias.name).where(Alias.subject_id == subject.id)))
    card.order = queries.current_order(s, subject.id)
    if card.order is not None:
        card.conditions = list(
            s.scalars(
                select(Condition)
                .where(Condition.order_id == card.order.id, Condition.active.is_(True))
                .order_by(Condition.number)
            )
        )
    open_tasks = select(Task).where(Task.subject_id == subject.id, Task.status == TaskStatus.OPEN)
    if limited:
        open_tasks = open_tasks.where(Task.district == (actor.district or ""))
    card.tasks = list(s.scalars(open_tasks.order_by(Task.due_on)))
    if limited:
        return card
    card.order_view = subject_order_view(uow, actor, subject)
    if subject.officer_id is not None:
        card.officer = s.scalars(select(User.name).where(User.id == subject.officer_id)).first()
    card.release = queries.release_dates(s, [subject.id]).get(subject.id, {})
    card.expected_release = queries.expected_release(card.release)
    contacts = select(Contact).where(Contact.subject_id == subject.id)
    card.contacts = list(
        s.scalars(contacts.order_by(Contact.occurred_on.desc(), Contact.id.desc()).limit(3))
    )
    card.evidence_awaited = list(
        s.scalars(contacts.where(Contact.outcome == ContactOutcome.AWAITING_EVIDENCE))
    )
    card.breaches = list(
        s.scalars(
            select(BreachReport)
            .where(BreachReport.subject_id == subject.id)
            .where(BreachReport.status != BreachStatus.ASSESSED, BreachReport.deleted.is_(False))
            .order_by(BreachReport.received_at)
        )
    )
    card.follow_ups = list(
        s.scalars(
            select(FollowUp)
            .where(FollowUp.subject_id == subject.id, FollowUp.done_on.is_(None))
            .order_by(FollowUp.due_on)
        )
    )
    if can(actor, Action.VIEW_INTEL):
        card.intel_count = (
            s.scalar(
                select(func.count(Intelligence.id)).where(Intelligence.subject_id == subject.id)
            )
            or 0
        )
        if with_intel:
            card.intel = list(
                s.scalars(
                    select(Intelligence)
                    .where(Intelligence.subject_id == subject.id)
                    .order_by(Intelligence.recorded_at.desc())
                    .limit(LAST_INTEL)
                )
            )
    return card


@dataclass
class CaseloadRow:
    subject: Subject
    order: Order | None
    release: date | None
    officer: str | None


@dataclass
class Caseload:
    title: str
    rows: list[CaseloadRow]
    limited: bool = False  # a district officer's list: no risk, officer or dates


def load_caseload(uow: UnitOfWork, actor: Actor, scope: str) -> Caseload:
    """`mine` (default), `all`, or a district's subjects; district officers see only theirs."""
    require(actor, Action.LIST_CASELOAD)
    query = select(Subject).order_by(Subject.ref)
    word = scope.strip().lower()
    if actor.is_district:
        district = actor.district or ""
        title = f"{district} subjects"
        query = query.where(Subject.district == district)
    elif word in ("", "mine", "me", "my"):
        title = "Your caseload"
        query = query.where(Subject.officer_id == actor.user_id)
    elif word in ("all", "team", "everyone"):
        title = "All subjects"
    else:
        chosen = uow.config.district(word)
        if chosen is None:
            known = ", ".join(d.name for d in uow.config.districts)
            raise InvalidInput(
                f"'{scope[:40]}' is not a district; use mine, all or one of {known}.",
                field="scope",
                example="/lom subjects Leeds",
            )
        title = f"{chosen.name} subjects"
        query = query.where(Subject.district == chosen.name)
    subjects = list(uow.session.scalars(query))
    ids = [s.id for s in subjects]
    orders = queries.current_orders(uow.session, ids)
    releases = queries.release_dates(uow.session, ids)
    officer_ids = {s.officer_id for s in subjects if s.officer_id is not None}
    names: dict[int, str] = {
        user_id: name
        for user_id, name in uow.session.execute(
            select(User.id, User.name).where(User.id.in_(officer_ids))
        )
    }
    rows = [
        CaseloadRow(
            s,
            orders.get(s.id),
            queries.expected_release(releases.get(s.id, {})),
            names.get(s.officer_id) if s.officer_id is not None else None,
        )
        for s in subjects
    ]
    uow.audit(
        actor.slack_id,
        AuditAction.CONSULTATION,
        "caseload.listed",
        purpose="caseload list",
        detail={"scope": title, "subjects": len(rows)},
    )
    return Caseload(title, rows, limited=actor.is_district)
