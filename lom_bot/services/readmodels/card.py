"""The subject card: what it shows of one subject, loaded in a fixed number of queries
whatever the subject's history (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
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
)
from lom_bot.services.cover import cover_note
from lom_bot.services.escalation import escalation_line, failures_by_subject
from lom_bot.services.orders.owed import owed_by
from lom_bot.services.orders.view import (
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
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.services.readmodels.card_facts import facts_statement, limited_facts_statement
from lom_bot.services.readmodels.card_lists import lists_statement
from lom_bot.services.readmodels.card_rows import (
    ALIAS,
    ASSOCIATE,
    BREACH,
    CONDITION,
    CONTACT,
    CORRECTED,
    EVENT,
    EVIDENCE,
    FOLLOW_UP,
    INTEL,
    RELEASE,
    SHARED,
    STEP,
    TASK,
    TASK_RESULT,
    VEHICLE,
)
from lom_bot.services.subjects import access_subject
from lom_bot.store import queries
from lom_bot.store.tables import Order, Subject
from lom_bot.store.uow import UnitOfWork


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
        card.order = s.scalars(limited_facts_statement(), params).first()
    else:
        row = s.execute(facts_statement(intel_allowed), params).one()
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
    lists = lists_statement(limited, intel_allowed and with_intel)
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
