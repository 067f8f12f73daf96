"""What the triage post shows about a report: the subject's card summary, the conditions it may
touch, recent history, escalation prompt, replies, edits and the decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from lom_bot.blocks.common import escape
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import BreachStatus
from lom_bot.domain.workdays import add_working_days
from lom_bot.services import breach_followup as follow
from lom_bot.services.breach_clues import ConditionInfo, conditions_touched
from lom_bot.services.breach_court import describe_court
from lom_bot.services.breach_model import (
    OUTCOME_LABELS,
    AssessmentLine,
    ConditionLine,
    OpenFollowUp,
    SubjectSummary,
    TriageView,
)
from lom_bot.store import queries
from lom_bot.store.tables import (
    Assessment,
    BreachEdit,
    BreachReport,
    Contact,
    CourtOutcome,
    FollowUp,
    Subject,
    User,
)
from lom_bot.store.uow import UnitOfWork

HISTORY = 5


def _local(uow: UnitOfWork, report_at: datetime) -> str:
    return report_at.astimezone(uow.clock.tz).strftime("%d/%m/%Y %H:%M")


def _user_name(uow: UnitOfWork, user_id: int | None) -> str:
    user = uow.session.get(User, user_id) if user_id is not None else None
    return user.name if user else "unassigned"


def subject_summary(uow: UnitOfWork, subject: Subject) -> SubjectSummary:
    order = queries.current_order(uow.session, subject.id)
    if order is None:
        order_text = "no order"
    else:
        expires = f", expires {format_date(order.expires_on)}" if order.expires_on else ""
        order_text = f"{order.ref} {order.status.value.replace('_', ' ')}{expires}"
    return SubjectSummary(
        subject.ref,
        subject.name,
        subject.district,
        subject.risk_level.value.replace("_", " "),
        subject.custody_status.value.replace("_", " "),
        order_text,
        _user_name(uow, subject.officer_id),
    )


def _conditions(uow: UnitOfWork, subject: Subject, text: str) -> list[ConditionLine]:
    order = queries.current_order(uow.session, subject.id)
    if order is None:
        return []
    live = [c for c in queries.with_conditions(uow.session, order.id).conditions if c.active]
    touched = set(
        conditions_touched(
            text, [ConditionInfo(c.id, c.number, c.category, c.watch_for) for c in live]
        )
    )
    return [
        ConditionLine(c.number, c.category.value.replace("_", " "), c.wording, c.id in touched)
        for c in live
    ]


def touched_condition_id(uow: UnitOfWork, subject_id: int, text: str) -> int | None:
    """The first condition the report's words point at, stored on the report."""
    order = queries.current_order(uow.session, subject_id)
    if order is None:
        return None
    live = [c for c in queries.with_conditions(uow.session, order.id).conditions if c.active]
    ids = conditions_touched(
        text, [ConditionInfo(c.id, c.number, c.category, c.watch_for) for c in live]
    )
    return ids[0] if ids else None


def _history(uow: UnitOfWork, subject_id: int, exclude: int) -> list[str]:
    """The latest contacts and breach reports together, newest first."""
    session = uow.session
    dated: list[tuple[date, str]] = []
    contacts = session.scalars(
        select(Contact)
        .where(Contact.subject_id == subject_id)
        .order_by(Contact.occurred_on.desc(), Contact.id.desc())
        .limit(HISTORY)
    )
    for c in contacts:
        what = f"{c.kind.value.replace('_', ' ')}: {c.outcome.value.replace('_', ' ')}"
        dated.append((c.occurred_on, f"{format_date(c.occurred_on)} {what}"))
    reports = session.execute(
        select(BreachReport, Assessment)
        .outerjoin(Assessment, Assessment.breach_id == BreachReport.id)
        .where(BreachReport.subject_id == subject_id, BreachReport.id != exclude)
        .order_by(BreachReport.received_at.desc())
        .limit(HISTORY)
    )
    for report, assessment in reports:
        state = (
            OUTCOME_LABELS[assessment.outcome].lower()
            if assessment
            else report.status.value.replace("_", " ")
        )
        on = report.received_at.astimezone(uow.clock.tz).date()
        dated.append((on, f"{format_date(on)} breach report {report.ref}: {state}"))
    dated.sort(key=lambda pair: pair[0], reverse=True)
    return [line for _, line in dated[: HISTORY + 2]]


def triage_view(uow: UnitOfWork, report: BreachReport) -> TriageView:
    """Gather what the triage post shows, in a handful of queries."""
    session = uow.session
    subject = session.get(Subject, report.subject_id) if report.subject_id else None
    summary: SubjectSummary | None = None
    conditions: list[ConditionLine] = []
    history: list[str] = []
    escalation: str | None = None
    if subject is not None:
        summary = subject_summary(uow, subject)
        conditions = _conditions(uow, subject, report.text)
        history = _history(uow, subject.id, report.id)
        escalation = follow.escalation_prompt(uow, subject.id, report.id)
    candidates: list[tuple[str, str]] = []
    if report.status is BreachStatus.POSSIBLE and report.candidates:
        rows = session.scalars(select(Subject).where(Subject.ref.in_(report.candidates)))
        found = {s.ref: s for s in rows}
        candidates = [
            (ref, f"{ref} {found[ref].name} ({found[ref].district})")
            for ref in report.candidates
            if ref in found
        ]
    edits = list(
        session.scalars(
            select(BreachEdit).where(BreachEdit.breach_id == report.id).order_by(BreachEdit.id)
        )
    )
    replies = tuple(
        f"<@{e.by_slack_id}> {_local(uow, e.at)[11:]}: {escape(e.text)}"
        for e in edits
        if e.kind == "reply"
    )
    questions = [e.text for e in edits if e.kind == "question"]
    assessment = session.scalars(
        select(Assessment).where(Assessment.breach_id == report.id)
    ).one_or_none()
    line = None
    if assessment is not None:
        follow_ups = _follow_ups(uow, report.id)
        line = AssessmentLine(
            assessment.outcome,
            _user_name(uow, assessment.decided_by),
            _local(uow, assessment.decided_at),
            assessment.rationale,
            assessment.excuse_accepted,
            tuple(follow.describe(f) for f in follow_ups),
            tuple(
                OpenFollowUp(f.id, follow.DONE_LABELS[f.kind], f.kind in follow.LETTERS)
                for f in follow_ups
                if f.done_on is None
            ),
        )
    court = tuple(
        describe_court(c)
        for c in session.scalars(
            select(CourtOutcome)
            .where(CourtOutcome.breach_id == report.id)
            .order_by(CourtOutcome.id)
        )
    )
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
        text=report.text,
        seen_at=report.seen_at,
        seen_where=report.seen_where,
        match_reason=_reason(report),
        subject=summary,
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
    )


def _reason(report: BreachReport) -> str | None:
    if report.status is not BreachStatus.POSSIBLE:
        return None
    if report.match_score is None:
        return None
    return f"score {report.match_score}" if report.match_score else "no name recognised"


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
