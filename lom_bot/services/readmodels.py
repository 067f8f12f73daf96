"""What the subject card, caseload list and App Home show, each loaded in a fixed number of
queries whatever the caseload size (no N+1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    ScalarSelect,
    Select,
    String,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    AuditAction,
    BreachStatus,
    ChecklistKind,
    ConditionCategory,
    ContactKind,
    ContactOutcome,
    FollowUpKind,
    HandlingCode,
    IntelGrade,
    ReleaseDateKind,
    SourceGrade,
    TaskKind,
    TaskResult,
    TaskStatus,
)
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.lifecycle import ENDED
from lom_bot.services.cover import cover_note
from lom_bot.services.escalation import escalation_line, failures_by_subject
from lom_bot.services.orders.history import (
    Checklists,
    ConditionFacts,
    HistoryRow,
    OrderParts,
    OrderView,
    TransferFacts,
    VisitFacts,
    add_checklist_step,
    assemble_view,
    history_row,
)
from lom_bot.services.orders.owed import owed_by
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.services.subjects import access_subject
from lom_bot.store import queries
from lom_bot.store.holders import cover_until_column, held_by, holder_column
from lom_bot.store.tables import (
    Alias,
    Associate,
    BreachReport,
    Checklist,
    ChecklistStep,
    Condition,
    Contact,
    Correction,
    Dissemination,
    EducationVisit,
    FollowUp,
    Intelligence,
    Order,
    OrderEvent,
    ReleaseDate,
    Subject,
    Task,
    Transfer,
    User,
    Vehicle,
)
from lom_bot.store.uow import UnitOfWork

LAST_CONTACTS = 3
LAST_INTEL = 3
LAST_TASK_RESULTS = 3


@dataclass(frozen=True, slots=True)
class CardContact:
    kind: ContactKind
    occurred_on: date
    outcome: ContactOutcome
    evidence_due_on: date | None
    id: int = 0
    corrected: bool = False


@dataclass(frozen=True, slots=True)
class CardTask:
    ref: str
    district: str
    kind: TaskKind
    due_on: date


@dataclass(frozen=True, slots=True)
class CardTaskResult:
    """What a district found when doing a task: part of the subject's history."""

    ref: str
    kind: TaskKind
    result: TaskResult
    seen: str
    for_lom: str | None
    done_on: date
    done_time: str | None


@dataclass(frozen=True, slots=True)
class CardBreach:
    ref: str
    status: BreachStatus


@dataclass(frozen=True, slots=True)
class CardFollowUp:
    kind: FollowUpKind
    due_on: date | None


@dataclass(frozen=True, slots=True)
class CardIntel:
    ref: str
    text: str
    source_grade: SourceGrade
    intel_grade: IntelGrade
    handling: HandlingCode
    handling_conditions: str | None


@dataclass
class Card:
    subject: Subject
    limited: bool  # a district officer's view: identity, description, conditions, tasks
    aliases: list[str] = field(default_factory=list)
    officer: str | None = None
    cover: str | None = None  # "covering for X until D" while the officer holds it as cover
    order: Order | None = None
    conditions: list[ConditionFacts] = field(default_factory=list)
    release: dict[ReleaseDateKind, date] = field(default_factory=dict)
    expected_release: date | None = None
    contacts: list[CardContact] = field(default_factory=list)
    evidence_awaited: list[CardContact] = field(default_factory=list)
    tasks: list[CardTask] = field(default_factory=list)
    task_results: list[CardTaskResult] = field(default_factory=list)
    # intelligence ref -> "ROCU 03/12/2026 (P): purpose", oldest first
    shared: dict[str, list[str]] = field(default_factory=dict)
    escalation: str | None = None  # the 2-in-12-months prompt (services/escalation.py)
    breaches: list[CardBreach] = field(default_factory=list)
    follow_ups: list[CardFollowUp] = field(default_factory=list)
    intel: list[CardIntel] = field(default_factory=list)
    intel_count: int = 0
    order_view: OrderView | None = None  # the order's recent history and open checklists
    corrected: set[tuple[str, str]] = field(default_factory=set)  # (record ref, field)
    vehicles: list[str] = field(default_factory=list)  # in use (removed ones are history)
    associates: list[str] = field(default_factory=list)  # not to associate with


def load_card(uow: UnitOfWork, actor: Actor, query: str, *, with_intel: bool) -> Card:
    """The card for one subject the actor may see; the look-up is audited (caller commits).

    Three statements whatever the subject's history: the subject; its current order with the
    officer's name, the intelligence count and the order's last visit and transfer; and every
    list the card shows, each kind of record a branch of one UNION ALL."""
    limited = not can(actor, Action.VIEW_SUBJECT)
    require(actor, Action.VIEW_SUBJECT_LIMITED if limited else Action.VIEW_SUBJECT)
    subject = access_subject(uow, actor, query, purpose="view subject card")
    s = uow.session
    card = Card(subject, limited)
    intel_allowed = not limited and can(actor, Action.VIEW_INTEL)
    params: dict[str, object] = {"subject_id": subject.id, "today": uow.clock.today()}
    visit: VisitFacts | None = None
    transfer: TransferFacts | None = None
    if limited:
        card.order = s.scalars(_limited_facts(), params).first()
    else:
        row = s.execute(_facts(intel_allowed), params).one()
        card.order, card.officer, card.intel_count = row[0], row[1], row[2] or 0
        if row.cover_until is not None and row.holder_id != subject.officer_id:
            card.cover = cover_note(row.owner_name, row.cover_until)
        if row.v_id is not None:  # the visit's columns follow its id, then the transfer's
            visit = VisitFacts(*row[4:8])
        if row.t_id is not None:
            transfer = TransferFacts(*row[9:14])
    params["order_id"] = card.order.id if card.order is not None else None
    if limited:
        params["district"] = actor.district or ""
    conditions: list[ConditionFacts] = card.conditions
    history: list[HistoryRow] = []
    checklists: Checklists = []
    seen_checklists: set[int] = set()
    release = card.release
    lists = _lists(limited, intel_allowed and with_intel)
    for tag, n, a, b, c, d, e, f, x, y in s.execute(lists, params):
        if tag == ALIAS:
            card.aliases.append(a)
        elif tag == CONDITION:
            conditions.append(ConditionFacts(n, ConditionCategory(a), b, x, y, c, d))
        elif tag == TASK:
            card.tasks.append(CardTask(a, b, TaskKind(c), x))
        elif tag == EVENT:
            history.append(history_row(x, a, b, c, n, d))
        elif tag == STEP:
            add_checklist_step(checklists, seen_checklists, n, ChecklistKind(a), y, b, x, c)
        elif tag in (CONTACT, EVIDENCE):
            contact = CardContact(ContactKind(a), x, ContactOutcome(b), y, n, c is not None)
            (card.contacts if tag == CONTACT else card.evidence_awaited).append(contact)
        elif tag == BREACH:
            card.breaches.append(CardBreach(a, BreachStatus(b)))
        elif tag == FOLLOW_UP:
            card.follow_ups.append(CardFollowUp(FollowUpKind(a), x))
        elif tag == RELEASE:
            release[ReleaseDateKind(a)] = x  # oldest first: the newest of each kind stays
        elif tag == CORRECTED:
            card.corrected.add((a, b))
        elif tag == VEHICLE:
            card.vehicles.append(f"{a} ({b})" if b else a)
        elif tag == ASSOCIATE:
            card.associates.append(a)
        elif tag == TASK_RESULT:
            result = TaskResult(b) if b else TaskResult.DONE
            card.task_results.append(CardTaskResult(a, TaskKind(e), result, c or "", d, x, f))
        elif tag == SHARED:
            said = f"{b} {format_date(x)} ({c})" + (f": {d}" if d else "")
            card.shared.setdefault(a, []).append(said)
        elif tag == INTEL:
            grades = SourceGrade(d), IntelGrade(e), HandlingCode(f)
            card.intel.append(CardIntel(a, b, *grades, c))
    if limited:
        return card
    today = uow.clock.today()
    order = card.order
    began = {subject.id: (order.activated_on or order.starts_on) if order is not None else None}
    found = failures_by_subject(s, uow.config, today, [subject.id], order_starts=began)
    card.escalation = escalation_line(uow.config, found.get(subject.id, []))
    card.expected_release = queries.expected_release(release)
    if card.order is not None:
        parts = OrderParts(conditions, history, checklists, visit, transfer)
        name, read_only = subject.name, subject.read_only
        today = uow.clock.today()
        card.order_view = assemble_view(
            actor, subject.ref, name, read_only, card.order, parts, today
        )
        # the same Link and Still owed lines as the order card (a few reads, only with an order)
        owes = owed_by(uow, card.order)
        card.order_view.links, card.order_view.owed = owes.links, owes.owed
    return card


# -- the card's statements, built once -------------------------------------------------------

_SUBJECT = bindparam("subject_id", type_=Integer)
_ORDER = bindparam("order_id", type_=Integer)


def _current_order_id() -> ScalarSelect[int]:
    """queries.current_order in SQL: the newest live order, else the newest."""
    o = aliased(Order)
    ended = case((o.status.in_(sorted(ENDED)), 1), else_=0)
    return (
        select(o.id)
        .where(o.subject_id == _SUBJECT)
        .order_by(ended, o.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@cache
def _limited_facts() -> Select[Order]:
    return select(Order).where(Order.id == _current_order_id())


@cache
def _facts(intel: bool) -> Select[Any]:
    """The current order (or none), the officer's name, how much intelligence there is, and
    the order's last education visit and the subject's last transfer."""
    visit, transfer, owner = aliased(EducationVisit), aliased(Transfer), aliased(User)
    last_visit = select(func.max(EducationVisit.id)).where(EducationVisit.order_id == Order.id)
    last_transfer = select(func.max(Transfer.id)).where(Transfer.subject_id == _SUBJECT)
    intel_count = (
        select(func.count(Intelligence.id)).where(Intelligence.subject_id == _SUBJECT)
        if intel
        else select(literal(0))
    )
    return (
        select(
            Order,
            User.name,
            intel_count.scalar_subquery(),
            visit.id.label("v_id"),
            visit.booked_for,
            visit.done_on,
            visit.outcome,
            visit.service_evidence,
            transfer.id.label("t_id"),
            transfer.direction,
            transfer.other_force,
            transfer.started_on,
            transfer.accepted_on,
            transfer.needs_separate_order,
            User.id.label("holder_id"),  # with the cover's end and the subject's own officer
            cover_until_column(bindparam("today", type_=Date)).label("cover_until"),
            owner.name.label("owner_name"),
        )
        .select_from(Subject)
        .outerjoin(Order, Order.id == _current_order_id())
        .outerjoin(User, User.id == holder_column(bindparam("today", type_=Date)))
        .outerjoin(owner, owner.id == Subject.officer_id)
        .outerjoin(visit, visit.id == last_visit.scalar_subquery())
        .outerjoin(transfer, transfer.id == last_transfer.scalar_subquery())
        .where(Subject.id == _SUBJECT)
    )


(
    ALIAS,
    CONDITION,
    TASK,
    EVENT,
    STEP,
    CONTACT,
    EVIDENCE,
    BREACH,
    FOLLOW_UP,
    RELEASE,
    INTEL,
    CORRECTED,
    VEHICLE,
    ASSOCIATE,
    TASK_RESULT,
    SHARED,
) = range(16)
_TEXTS = ("a", "b", "c", "d", "e", "f")
_DATES = ("x", "y")


def _branch(
    tag: int,
    order: Sequence[Any],
    columns: dict[str, Any],
    where: Sequence[Any] = (),
    *,
    join: tuple[Any, Any] | None = None,
    source: Any = None,
    pos: Any = None,
) -> Select[Any]:
    """One kind of record in the lists' shared columns: tag, position (by `order`, or `pos`
    when the source numbered its rows), a number, six texts and two dates (texts and enums
    as strings, the rest NULL)."""

    def typed(name: str, kind: Any) -> ColumnElement[Any]:
        value = columns.get(name)
        return type_coerce(null() if value is None else value, kind).label(name)

    query = select(
        literal_column(str(tag), Integer).label("tag"),
        (func.row_number().over(order_by=list(order)) if pos is None else pos).label("pos"),
        typed("n", Integer),
        *(typed(name, String) for name in _TEXTS),
        *(typed(name, Date) for name in _DATES),
    )
    if source is not None:
        query = query.select_from(source)
    if join is not None:
        query = query.outerjoin(*join)
    return query.where(*where)


def _latest(
    tag: int, order: Sequence[Any], columns: dict[str, Any], where: Any, limit: int
) -> Select[Any]:
    """The first `limit` rows in `order`, numbered in the same scan (so ties come out as a
    plain ORDER BY ... LIMIT gives them)."""
    first = (
        select(func.row_number().over(order_by=list(order)).label("pos"), *columns.values())
        .where(where)
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    picked = {k: first.c[column.key] for k, column in columns.items()}
    return _branch(tag, (), picked, source=first, pos=first.c.pos)


@cache
def _lists(limited: bool, intel: bool) -> Select[Any]:
    """Every list the card shows in one statement, ordered by kind then position."""
    subject = _SUBJECT
    tasks = [Task.subject_id == subject, Task.status == TaskStatus.OPEN]
    if limited:
        tasks.append(Task.district == bindparam("district", type_=String))
    branches = [
        _branch(ALIAS, [Alias.id], {"a": Alias.name}, [Alias.subject_id == subject]),
        _branch(
            CONDITION,
            [Condition.number, Condition.id],
            {
                "n": Condition.number,
                "a": Condition.category,
                "b": Condition.wording,
                "c": Condition.duty_description,
                "d": Condition.watch_for,
                "x": Condition.starts_on,
                "y": Condition.ends_on,
            },
            [Condition.order_id == _ORDER, Condition.active.is_(True)],
        ),
        _branch(
            TASK,
            [Task.due_on, Task.id],
            {"a": Task.ref, "b": Task.district, "c": Task.kind, "x": Task.due_on},
            tasks,
        ),
    ]
    if not limited:
        contact = {
            "n": Contact.id,
            "a": Contact.kind,
            "b": Contact.outcome,
            "c": case(
                (Contact.corrected_at.is_not(None), literal("corrected")), else_=null()
            ).label("corrected"),
            "x": Contact.occurred_on,
            "y": Contact.evidence_due_on,
        }
        branches += [
            _branch(
                EVENT,
                [OrderEvent.id],
                {
                    "n": OrderEvent.recorded_by,
                    "a": OrderEvent.kind,
                    "b": OrderEvent.status_to,
                    "c": OrderEvent.note,
                    "d": User.name,
                    "x": OrderEvent.effective_on,
                },
                [OrderEvent.order_id == _ORDER],
                join=(User, User.id == OrderEvent.recorded_by),
                source=OrderEvent,
            ),
            _branch(
                STEP,
                [Checklist.id, ChecklistStep.id],
                {
                    "n": Checklist.id,
                    "a": Checklist.kind,
                    "b": ChecklistStep.name,
                    "c": ChecklistStep.reference,
                    "x": ChecklistStep.done_on,
                    "y": Checklist.completed_on,
                },
                [Checklist.order_id == _ORDER],
                join=(ChecklistStep, ChecklistStep.checklist_id == Checklist.id),
                source=Checklist,
            ),
            _latest(
                CONTACT,
                [Contact.occurred_on.desc(), Contact.id.desc()],
                contact,
                Contact.subject_id == subject,
                LAST_CONTACTS,
            ),
            _branch(
                EVIDENCE,
                [Contact.id],
                contact,
                [
                    Contact.subject_id == subject,
                    Contact.outcome == ContactOutcome.AWAITING_EVIDENCE,
                ],
            ),
            _branch(
                BREACH,
                [BreachReport.received_at, BreachReport.id],
                {"a": BreachReport.ref, "b": BreachReport.status},
                [
                    BreachReport.subject_id == subject,
                    BreachReport.status != BreachStatus.ASSESSED,
                    BreachReport.deleted.is_(False),
                ],
            ),
            _branch(
                FOLLOW_UP,
                [FollowUp.due_on, FollowUp.id],
                {"a": FollowUp.kind, "x": FollowUp.due_on},
                [FollowUp.subject_id == subject, FollowUp.done_on.is_(None)],
            ),
            _branch(
                VEHICLE,
                [Vehicle.id],
                {"a": Vehicle.registration, "b": Vehicle.description},
                [Vehicle.subject_id == subject, Vehicle.removed_at.is_(None)],
            ),
            _branch(
                ASSOCIATE,
                [Associate.id],
                {"a": Associate.name},
                [Associate.subject_id == subject],
            ),
            _branch(
                CORRECTED,
                [Correction.id],
                {"a": Correction.record_ref, "b": Correction.field},
                [Correction.subject_id == subject, Correction.correction.is_(True)],
            ),
            _latest(
                TASK_RESULT,
                [Task.done_on.desc(), Task.id.desc()],
                {
                    "a": Task.ref,
                    "b": Task.result,
                    "c": Task.outcome,
                    "d": Task.for_lom,
                    "e": Task.kind,
                    "f": Task.done_time,
                    "x": Task.done_on,
                },
                (Task.subject_id == subject) & (Task.status == TaskStatus.DONE),
                LAST_TASK_RESULTS,
            ),
            _branch(
                RELEASE,
                [ReleaseDate.recorded_at, ReleaseDate.id],
                {"a": ReleaseDate.kind, "x": ReleaseDate.on},
                [ReleaseDate.subject_id == subject],
            ),
        ]
    if intel:
        branches.append(
            _latest(
                INTEL,
                [Intelligence.recorded_at.desc()],
                {
                    "a": Intelligence.ref,
                    "b": Intelligence.text,
                    "c": Intelligence.handling_conditions,
                    "d": Intelligence.source_grade,
                    "e": Intelligence.intel_grade,
                    "f": Intelligence.handling,
                },
                Intelligence.subject_id == subject,
                LAST_INTEL,
            )
        )
        branches.append(
            _branch(
                SHARED,
                [Dissemination.shared_on, Dissemination.id],
                {
                    "a": Intelligence.ref,
                    "b": Dissemination.recipient,
                    "c": Dissemination.handling,
                    "d": Dissemination.purpose,
                    "x": Dissemination.shared_on,
                },
                [Intelligence.subject_id == subject],
                join=(Intelligence, Intelligence.id == Dissemination.intelligence_id),
                source=Dissemination,
            )
        )
    lists = union_all(*branches).subquery()
    return select(
        lists.c.tag, lists.c.n, *(lists.c[t] for t in _TEXTS), *(lists.c[d] for d in _DATES)
    ).order_by(lists.c.tag, lists.c.pos)


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
        query = query.where(held_by(uow.clock.today(), actor.user_id))
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
    held = list(uow.session.execute(query.add_columns(holder_column(uow.clock.today()))))
    subjects = [s for s, _ in held]
    holder = {s.id: officer_id for s, officer_id in held}
    ids = [s.id for s in subjects]
    orders = queries.current_orders(uow.session, ids)
    releases = queries.release_dates(uow.session, ids)
    officer_ids = {o for o in holder.values() if o is not None}
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
            names.get(holder[s.id]) if holder[s.id] is not None else None,
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
