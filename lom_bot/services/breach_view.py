"""What the triage post shows about a report: the subject's card summary, the conditions it may
touch, recent history, escalation prompt, replies, edits and the decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, and_, bindparam, select

from lom_bot.blocks.common import escape
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import BreachStatus
from lom_bot.domain.lifecycle import ENDED
from lom_bot.domain.order_dates import runs_to
from lom_bot.domain.workdays import add_working_days
from lom_bot.services import breach_followup as follow
from lom_bot.services.breach_clues import ConditionInfo, conditions_touched
from lom_bot.services.breach_court import describe_court
from lom_bot.services.breach_mentions import with_names
from lom_bot.services.breach_model import (
    OUTCOME_LABELS,
    AssessmentLine,
    ConditionLine,
    OpenFollowUp,
    SubjectSummary,
    TriageView,
)
from lom_bot.services.breach_sighting import sighting_line
from lom_bot.services.escalation import Failure, failures_by_subject
from lom_bot.store.holders import holder_column
from lom_bot.store.tables import (
    Assessment,
    BreachEdit,
    BreachReport,
    Condition,
    Contact,
    CourtOutcome,
    FollowUp,
    Order,
    Subject,
    User,
)
from lom_bot.store.uow import UnitOfWork

HISTORY = 5


def _local(uow: UnitOfWork, report_at: datetime) -> str:
    return report_at.astimezone(uow.clock.tz).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class SubjectFacts:
    """What a report's card shows about its subject, read once per report: the summary and the
    live conditions of the current order (by number), each with its wording."""

    id: int
    summary: SubjectSummary
    conditions: tuple[tuple[ConditionInfo, str], ...] = ()

    def touched(self, text: str) -> list[int]:
        """Ids of the conditions the words point at, in condition order."""
        return conditions_touched(text, [info for info, _ in self.conditions])


# The statements below are built once, with bind parameters: building them per report costs
# more CPU than running them.
_FACTS = (
    select(
        Subject.ref,
        Subject.given_names,
        Subject.family_name,
        Subject.district,
        Subject.risk_level,
        Subject.custody_status,
        User.name,
        Order.id,
        Order.ref,
        Order.status,
        Order.expires_on,
        Condition.id,
        Condition.number,
        Condition.category,
        Condition.watch_for,
        Condition.wording,
    )
    .select_from(Subject)
    .outerjoin(User, User.id == holder_column(bindparam("today", type_=Date)))
    .outerjoin(Order, Order.subject_id == Subject.id)
    .outerjoin(Condition, and_(Condition.order_id == Order.id, Condition.active))
    .where(Subject.id == bindparam("subject_id"))
    .order_by(Order.id.desc(), Condition.number, Condition.id)
)


def subject_facts(uow: UnitOfWork, subject_id: int) -> SubjectFacts | None:
    """The subject, its LOM officer, its orders and their live conditions, in one statement."""
    params = {"subject_id": subject_id, "today": uow.clock.today()}
    rows = uow.session.execute(_FACTS, params).all()
    if not rows:
        return None
    first = rows[0]
    # the live order, or the latest one when none is live (as queries.current_order)
    order_ids = list(dict.fromkeys(r[7] for r in rows if r[7] is not None))
    status = {r[7]: r[9] for r in rows}
    live = [o for o in order_ids if status[o] not in ENDED]
    chosen = live or order_ids
    current = chosen[0] if chosen else None
    if current is None:
        order_text = "no order"
    else:
        row = next(r for r in rows if r[7] == current)
        expires = f", {runs_to(row[10])}" if row[10] else ""
        order_text = f"{row[8]} {row[9].value.replace('_', ' ')}{expires}"
    summary = SubjectSummary(
        first[0],
        f"{first[1]} {first[2]}",
        first[3],
        first[4].value.replace("_", " "),
        first[5].value.replace("_", " "),
        order_text,
        first[6] if first[6] is not None else "unassigned",
    )
    conditions = tuple(
        (ConditionInfo(r[11], r[12], r[13], r[14]), r[15])
        for r in rows
        if r[7] == current and r[11] is not None
    )
    return SubjectFacts(subject_id, summary, conditions)


def _conditions(facts: SubjectFacts, text: str) -> list[ConditionLine]:
    touched = set(facts.touched(text))
    return [
        ConditionLine(
            info.number, info.category.value.replace("_", " "), wording, info.id in touched
        )
        for info, wording in facts.conditions
    ]


def touched_condition_id(uow: UnitOfWork, subject_id: int, text: str) -> int | None:
    """The first condition the report's words point at, stored on the report."""
    facts = subject_facts(uow, subject_id)
    ids = facts.touched(text) if facts else []
    return ids[0] if ids else None


@dataclass(frozen=True)
class _Record:
    """The subject's recent contacts and breach reports (one statement per kind of record), and
    its unacceptable failures in the escalation window by the one rule (services/escalation.py)."""

    history: list[str]
    failures: list[Failure]


# Only the latest few of each: the failures that count are read by failures_by_subject, so these
# no longer fetch them as well.
_CONTACTS = (
    select(Contact.occurred_on, Contact.kind, Contact.outcome, Contact.id)
    .where(Contact.subject_id == bindparam("subject_id"))
    .order_by(Contact.occurred_on.desc(), Contact.id.desc())
    .limit(HISTORY)
)
_REPORTS = (
    select(
        BreachReport.received_at,
        BreachReport.id,
        BreachReport.ref,
        BreachReport.status,
        Assessment.outcome,
    )
    .outerjoin(Assessment, Assessment.breach_id == BreachReport.id)
    .where(
        BreachReport.subject_id == bindparam("subject_id"),
        BreachReport.id != bindparam("exclude"),
    )
    .order_by(BreachReport.received_at.desc(), BreachReport.id.desc())
    .limit(HISTORY)
)


def _records(uow: UnitOfWork, subject_id: int, exclude: int) -> _Record:
    session, tz = uow.session, uow.clock.tz
    contacts = session.execute(_CONTACTS, {"subject_id": subject_id}).all()
    reports = session.execute(_REPORTS, {"subject_id": subject_id, "exclude": exclude}).all()

    # newest first, contacts before reports on the same day (as the card always listed them)
    dated: list[tuple[date, str]] = []
    for c in sorted(contacts, key=lambda c: (c[0], c[3]), reverse=True):
        what = f"{c.kind.value.replace('_', ' ')}: {c.outcome.value.replace('_', ' ')}"
        dated.append((c.occurred_on, f"{format_date(c.occurred_on)} {what}"))
    for r in sorted(reports, key=lambda r: (r[0], r[1]), reverse=True):
        state = OUTCOME_LABELS[r.outcome].lower() if r.outcome else r.status.value.replace("_", " ")
        on = r.received_at.astimezone(tz).date()
        dated.append((on, f"{format_date(on)} breach report {r.ref}: {state}"))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    # the failures that count, by the one rule every route reads (services/escalation.py)
    found = failures_by_subject(
        session, uow.config, uow.clock.today(), [subject_id], exclude_breach=exclude
    ).get(subject_id, [])
    return _Record([line for _, line in dated[: HISTORY + 2]], found)


def triage_view(
    uow: UnitOfWork,
    report: BreachReport,
    *,
    new: bool = False,
    facts: SubjectFacts | None = None,
) -> TriageView:
    """Gather what the triage post shows, in a handful of statements.

    `new`: the report was created in this transaction, so nothing (reply, edit, decision, court
    outcome) can refer to it yet. `facts`: the subject's, when the caller already read them."""
    session = uow.session
    if facts is None and report.subject_id is not None:
        facts = subject_facts(uow, report.subject_id)
    conditions: list[ConditionLine] = []
    history: list[str] = []
    failures: list[Failure] = []
    if facts is not None:
        conditions = _conditions(facts, report.text)
        records = _records(uow, facts.id, report.id)
        history, failures = records.history, records.failures
    candidates: list[tuple[str, str]] = []
    if report.status is BreachStatus.POSSIBLE and report.candidates:
        rows = session.execute(
            select(Subject.ref, Subject.given_names, Subject.family_name, Subject.district).where(
                Subject.ref.in_(report.candidates)
            )
        )
        found = {
            ref: f"{ref} {given} {family} ({district})" for ref, given, family, district in rows
        }
        candidates = [(ref, found[ref]) for ref in report.candidates if ref in found]
    edits: list[BreachEdit] = []
    line = None
    court: tuple[str, ...] = ()
    if not new:
        edits = list(
            session.scalars(
                select(BreachEdit).where(BreachEdit.breach_id == report.id).order_by(BreachEdit.id)
            )
        )
        line = _assessment_line(uow, report.id)
        court = tuple(
            describe_court(c)
            for c in session.scalars(
                select(CourtOutcome)
                .where(CourtOutcome.breach_id == report.id)
                .order_by(CourtOutcome.id)
            )
        )
    said = [e for e in edits if e.kind == "reply"]
    text, *reply_texts = with_names(uow, [report.text, *(e.text for e in said)])
    replies = tuple(
        f"<@{e.by_slack_id}> {_local(uow, e.at)[11:]}: {escape(words)}"
        for e, words in zip(said, reply_texts, strict=True)
    )
    questions = [e.text for e in edits if e.kind == "question"]
    escalation = None
    if facts is not None:
        decided = (line.outcome, line.excuse_accepted) if line else None
        escalation = follow.escalation_wording(uow.config.due, failures, decided)
    return TriageView(
        breach_id=report.id,
        ref=report.ref,
        status=report.status,
        source=report.source,
        reporter=report.reporter_slack_id,
        channel_id=report.channel_id,
        district=report.district,
        permalink=report.permalink,
        received=_local(uow, report.received_at),
        text=text,
        seen_at=report.seen_at,
        seen_where=report.seen_where,
        match_reason=_reason(report),
        subject=facts.summary if facts else None,
        conditions=tuple(conditions),
        history=tuple(history),
        candidates=tuple(candidates),
        escalation=escalation,
        edits=sum(e.kind == "edit" for e in edits),
        deleted=report.deleted,
        replies=replies,
        question=questions[-1] if questions else None,
        assessment=line,
        court=court,
        assess_by=None if line else format_date(_assess_by(uow, report)),
        sighting=None if new else sighting_line(uow, report),
        rematched=next((e.text for e in reversed(edits) if e.kind == "rematch"), None),
    )


def _assessment_line(uow: UnitOfWork, breach_id: int) -> AssessmentLine | None:
    """The decision, who made it, and the follow-ups it set going."""
    decision = uow.session.execute(
        select(
            Assessment.outcome,
            User.name,
            Assessment.decided_at,
            Assessment.rationale,
            Assessment.excuse_accepted,
        )
        .outerjoin(User, User.id == Assessment.decided_by)
        .where(Assessment.breach_id == breach_id)
    ).one_or_none()
    if decision is None:
        return None
    outcome, by, at, rationale, excuse_accepted = decision
    follow_ups = _follow_ups(uow, breach_id)
    return AssessmentLine(
        outcome,
        by if by is not None else "unassigned",
        _local(uow, at),
        rationale,
        excuse_accepted,
        tuple(follow.describe(f) for f in follow_ups),
        tuple(
            OpenFollowUp(f.id, follow.DONE_LABELS[f.kind], f.kind in follow.LETTERS)
            for f in follow_ups
            if f.done_on is None
        ),
    )


def _reason(report: BreachReport) -> str | None:
    """Why a person must choose the subject, in words ("surname shared by 2 subjects")."""
    if report.status is not BreachStatus.POSSIBLE:
        return None
    if report.match_reason:
        return report.match_reason
    if report.match_score is None:
        return None
    return "a name spelt differently" if report.match_score else "no name recognised"


def _follow_ups(uow: UnitOfWork, breach_id: int) -> list[FollowUp]:
    return list(
        uow.session.scalars(
            select(FollowUp).where(FollowUp.breach_id == breach_id).order_by(FollowUp.id)
        )
    )


def _assess_by(uow: UnitOfWork, report: BreachReport) -> date:
    """Breach reports are assessed within N working days of arriving (app.yaml due rules)."""
    arrived = report.received_at.astimezone(uow.clock.tz).date()
    return add_working_days(arrived, uow.config.due.breach_assessment_working_days)
