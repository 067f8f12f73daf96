"""The weekly supervisor summary: caseload, compliance, breaches, overdue work, 12-week series.

Each figure is one grouped query (weeks are CASE buckets), so the cost does not grow with the
number of statements. Historical overdue counts are rebuilt from the records as they are now
(each subject's current risk level, custody and officer), which is what the data allows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.sql.elements import ColumnElement

from lom_bot.config import AppConfig
from lom_bot.domain.due import DueItem, DueKind, next_due
from lom_bot.domain.enums import (
    AssessmentOutcome,
    ContactKind,
    CustodyStatus,
    RiskLevel,
    TaskStatus,
)
from lom_bot.domain.workdays import add_working_days
from lom_bot.services import due_load as load
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due import LineKind
from lom_bot.services.due_horizons import HorizonLine, horizons
from lom_bot.services.due_lines import IN_FORCE
from lom_bot.store.tables import Assessment, BreachReport, Check, Contact, Order, Subject, Task
from lom_bot.store.uow import UnitOfWork

WEEKS = 12
CADENCE_KINDS = (DueKind.CONTACT, DueKind.HOME_VISIT, DueKind.CHECKS)


@dataclass
class Rate:
    due: int = 0
    done: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.due) if self.due else None


@dataclass
class Series:
    week_ends: list[date]
    contacts: list[int]
    checks: list[int]
    breaches: list[int]
    overdue: list[int]


@dataclass
class WeeklySummary:
    today: date
    week_start: date
    week_end: date
    caseload: dict[str, dict[str, int]]  # order state -> district -> count
    by_officer: dict[str, Rate]
    by_risk: dict[str, Rate]
    contacts_logged: int
    breaches_received: int
    breaches_assessed: dict[str, int]  # outcome -> count
    breaches_overdue: int  # waiting past the assessment target now
    overdue_by_officer: dict[str, int]
    upcoming: list[HorizonLine]
    series: Series
    officer_names: dict[int, str] = field(default_factory=dict)

    @property
    def overall(self) -> Rate:
        return Rate(
            sum(r.due for r in self.by_risk.values()), sum(r.done for r in self.by_risk.values())
        )


def week_starts(today: date) -> list[date]:
    """The first days of the 12 seven-day weeks ending yesterday, oldest first."""
    return [today - timedelta(days=7 * (WEEKS - k)) for k in range(WEEKS)]


def _bucket(column: Any, starts: list[date]) -> ColumnElement[int]:
    """-1 before the first week, k inside week k, WEEKS after the last."""
    whens = [(column < starts[0], -1)]
    whens += [(column < start + timedelta(days=7), k) for k, start in enumerate(starts)]
    return case(*whens, else_=WEEKS)


def build_weekly_summary(uow: UnitOfWork, today: date) -> WeeklySummary:
    """The week to yesterday, with 12 weeks of series (call inside `with uow`)."""
    s, config = uow.session, uow.config
    starts = week_starts(today)
    week_start, week_end = starts[-1], today - timedelta(days=1)
    people = load.subjects(s)
    orders = load.live_orders(s)
    officers = load.officers(s)
    names = {uid: o.name for uid, o in officers.items()}

    caseload: dict[str, dict[str, int]] = defaultdict(dict)
    for status, district, n in s.execute(
        select(Order.status, Subject.district, func.count(Order.id))
        .join(Subject, Subject.id == Order.subject_id)
        .group_by(Order.status, Subject.district)
    ):
        caseload[status.value][district] = n

    by_officer, by_risk, overdue_series = _cadence_figures(uow, people, orders, names, starts)
    for k, extra in enumerate(_overdue_breaches_and_tasks(uow, starts)):
        overdue_series[k] += extra

    contacts = _weekly_counts(uow, Contact.occurred_on, starts)
    checks = _weekly_counts(uow, Check.done_on, starts)
    breaches = _breaches_by_week(uow, starts)
    assessed = Counter[str]()
    tz = ZoneInfo(config.timezone)
    for outcome, decided_at in s.execute(
        select(Assessment.outcome, Assessment.decided_at).where(
            Assessment.decided_at >= _midnight(week_start, tz)
        )
    ):
        if decided_at.astimezone(tz).date() <= week_end:
            assessed[outcome.value if isinstance(outcome, AssessmentOutcome) else outcome] += 1

    digest = build_daily_digest(uow, today)
    overdue_by_officer = {g.officer.name: g.overdue for g in digest.groups if g.overdue}
    open_now = sum(1 for line in digest.lines if line.kind is LineKind.BREACH)
    ahead = horizons(uow, today)
    return WeeklySummary(
        today=today,
        week_start=week_start,
        week_end=week_end,
        caseload=dict(caseload),
        by_officer=by_officer,
        by_risk=by_risk,
        contacts_logged=contacts[-1],
        breaches_received=breaches[-1],
        breaches_assessed=dict(assessed.most_common()),
        breaches_overdue=open_now,
        overdue_by_officer=overdue_by_officer,
        upcoming=ahead.upcoming,
        series=Series(
            [start + timedelta(days=6) for start in starts],
            contacts,
            checks,
            breaches,
            overdue_series,
        ),
        officer_names=names,
    )


def _cadence_figures(
    uow: UnitOfWork,
    people: dict[int, load.SubjectRow],
    orders: dict[int, load.OrderRow],
    names: dict[int, str],
    starts: list[date],
) -> tuple[dict[str, Rate], dict[str, Rate], list[int]]:
    """Contacts and visits done against due last week (by officer, by risk level), and the
    contacts, visits and checks overdue at the end of each of the 12 weeks."""
    config = uow.config
    week_end = starts[-1] + timedelta(days=6)
    last = _last_done_by_week(uow, starts)
    by_officer: dict[str, Rate] = defaultdict(Rate)
    by_risk: dict[str, Rate] = defaultdict(Rate)
    overdue = [0] * WEEKS
    for subject_id, order in orders.items():
        subject = people[subject_id]
        activated = order.activated_on
        if order.status not in IN_FORCE or activated is None:
            continue
        if subject.custody is not CustodyStatus.IN_COMMUNITY:
            continue
        for kind in CADENCE_KINDS:
            weeks = last.get((subject_id, kind), {})
            for k, start in enumerate(starts):
                end = start + timedelta(days=6)
                if activated <= end:
                    item = _due(config, subject.risk, kind, _latest(weeks, k), activated)
                    overdue[k] += item.overdue_from <= end
            if kind is DueKind.CHECKS or activated > week_end:
                continue
            # Due during the last week (or already overdue going into it), and was it done?
            item = _due(config, subject.risk, kind, _latest(weeks, WEEKS - 2), activated)
            if item.due_on <= week_end:
                officer = names.get(subject.officer_id or -1, "No officer assigned")
                for rate in (by_officer[officer], by_risk[subject.risk.value]):
                    rate.due += 1
                    rate.done += (WEEKS - 1) in weeks
    risks = [r.value for r in RiskLevel]
    return (
        dict(sorted(by_officer.items())),
        {r: by_risk[r] for r in risks if r in by_risk},
        overdue,
    )


def _due(
    config: AppConfig, risk: RiskLevel, kind: DueKind, last: date | None, activated: date
) -> DueItem:
    """When the item fell (or falls) due after `last`; what was done before the order is ignored."""
    return next_due(
        config.cadence(risk),
        kind,
        last_done=last if last is not None and last >= activated else None,
        activated_on=activated,
        overdue_after_working_days=config.due.overdue_after_working_days,
    )


def _latest(weeks: dict[int, date], k: int) -> date | None:
    """The last date done up to the end of week k."""
    dates = [d for bucket, d in weeks.items() if bucket <= k]
    return max(dates) if dates else None


def _last_done_by_week(
    uow: UnitOfWork, starts: list[date]
) -> dict[tuple[int, DueKind], dict[int, date]]:
    """Per subject and cadence kind, the last date done within each week bucket."""
    out: dict[tuple[int, DueKind], dict[int, date]] = defaultdict(dict)

    def keep(subject_id: int, kind: DueKind, bucket: int, last: date) -> None:
        held = out[(subject_id, kind)].get(bucket)
        if bucket < WEEKS and (held is None or last > held):
            out[(subject_id, kind)][bucket] = last

    bucket = _bucket(Contact.occurred_on, starts)
    for subject_id, kind, b, last in uow.session.execute(
        select(Contact.subject_id, Contact.kind, bucket, func.max(Contact.occurred_on))
        .where(Contact.outcome.in_(load.ATTENDED))
        .group_by(Contact.subject_id, Contact.kind, bucket)
    ):
        keep(subject_id, DueKind.CONTACT, b, last)
        if kind is ContactKind.HOME_VISIT:
            keep(subject_id, DueKind.HOME_VISIT, b, last)
    bucket = _bucket(Check.done_on, starts)
    for subject_id, b, last in uow.session.execute(
        select(Check.subject_id, bucket, func.max(Check.done_on)).group_by(Check.subject_id, bucket)
    ):
        keep(subject_id, DueKind.CHECKS, b, last)
    return out


def _weekly_counts(uow: UnitOfWork, column: Any, starts: list[date]) -> list[int]:
    bucket = _bucket(column, starts)
    counts = [0] * WEEKS
    for b, n in uow.session.execute(
        select(bucket, func.count()).where(column >= starts[0]).group_by(bucket)
    ):
        if 0 <= b < WEEKS:
            counts[b] = n
    return counts


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _breaches_by_week(uow: UnitOfWork, starts: list[date]) -> list[int]:
    tz = ZoneInfo(uow.config.timezone)
    counts = [0] * WEEKS
    for (received,) in uow.session.execute(
        select(BreachReport.received_at).where(
            BreachReport.received_at >= _midnight(starts[0], tz), BreachReport.deleted.is_(False)
        )
    ):
        k = (received.astimezone(tz).date() - starts[0]).days // 7
        if 0 <= k < WEEKS:
            counts[k] += 1
    return counts


def _overdue_breaches_and_tasks(uow: UnitOfWork, starts: list[date]) -> list[int]:
    """Per week end: breach reports past their assessment target, and tasks past due."""
    tz = ZoneInfo(uow.config.timezone)
    days = uow.config.due.breach_assessment_working_days
    ends = [start + timedelta(days=6) for start in starts]
    counts = [0] * WEEKS
    horizon = _midnight(starts[0] - timedelta(days=90), tz)
    for received, decided in uow.session.execute(
        select(BreachReport.received_at, Assessment.decided_at)
        .outerjoin(Assessment, Assessment.breach_id == BreachReport.id)
        .where(BreachReport.deleted.is_(False))
        .where((BreachReport.received_at >= horizon) | Assessment.id.is_(None))
    ):
        target = add_working_days(received.astimezone(tz).date(), days)
        closed = decided.astimezone(tz).date() if decided else None
        for k, end in enumerate(ends):
            if target < end and (closed is None or closed > end):
                counts[k] += 1
    for due_on, done_on in uow.session.execute(
        select(Task.due_on, Task.done_on).where(
            Task.status != TaskStatus.CANCELLED,
            Task.due_on < ends[-1],
            (Task.done_on.is_(None)) | (Task.done_on >= starts[0]),
        )
    ):
        for k, end in enumerate(ends):
            if due_on < end and (done_on is None or done_on > end):
                counts[k] += 1
    return counts
