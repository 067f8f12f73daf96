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

from sqlalchemy import and_, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from lom_bot.domain.due import Cadence, DueItem, DueKind, next_due
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
    # What orders still owe (release dates, s.22E disposals, which order governs), until done.
    owed: list[str] = field(default_factory=list)

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
    people = load.subjects(s, day=today)
    orders, before = load.live_orders_and_last_done(s, starts[0] - timedelta(days=1))
    officers = load.officers(s)
    names = {uid: o.name for uid, o in officers.items()}

    caseload: dict[str, dict[str, int]] = defaultdict(dict)
    for status, district, n in s.execute(
        select(Order.status, Subject.district, func.count(Order.id))
        .join(Subject, Subject.id == Order.subject_id)
        .group_by(Order.status, Subject.district)
    ):
        caseload[status.value][district] = n

    by_officer, by_risk, overdue_series = _cadence_figures(
        uow, people, orders, before, names, starts
    )
    for k, extra in enumerate(_overdue_breaches_and_tasks(uow, starts)):
        overdue_series[k] += extra

    contacts = _weekly_counts(uow, Contact.occurred_on, Contact.subject_id, starts)
    checks = _weekly_counts(uow, Check.done_on, Check.subject_id, starts)
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
        owed=[
            f"{line.subject_ref}: {line.what}"
            for line in digest.lines
            if line.kind is LineKind.ORDER_OWED
        ],
    )


def _cadence_figures(
    uow: UnitOfWork,
    people: dict[int, load.SubjectRow],
    orders: dict[int, load.OrderRow],
    before: dict[int, load.LastDone],
    names: dict[int, str],
    starts: list[date],
) -> tuple[dict[str, Rate], dict[str, Rate], list[int]]:
    """Contacts and visits done against due last week (by officer, by risk level), and the
    contacts, visits and checks overdue at the end of each of the 12 weeks; `before`: what was
    last done before the first week."""
    config = uow.config
    cadences = {risk: config.cadence(risk) for risk in RiskLevel}
    overdue_days = config.due.overdue_after_working_days
    ends = [start + timedelta(days=6) for start in starts]
    week_end = ends[-1]
    in_weeks = _done_by_week(uow, starts)
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
        prior = before.get(subject_id, load.NOTHING_DONE)
        weeks = in_weeks.get(subject_id, {})
        for kind in CADENCE_KINDS:
            latest = _latest(_prior(prior, kind), weeks.get(kind, NONE_BY_WEEK))
            items = _due_by_week(overdue_days, cadences[subject.risk], kind, latest, activated)
            for k, end in enumerate(ends):
                if activated <= end:
                    overdue[k] += items[k].overdue_from <= end
            if kind is DueKind.CHECKS or activated > week_end:
                continue
            # Due during the last week (or already overdue going into it), and was it done?
            if items[WEEKS - 2].due_on <= week_end:
                officer = names.get(subject.officer_id or -1, "No officer assigned")
                last = latest[WEEKS - 1]
                for rate in (by_officer[officer], by_risk[subject.risk.value]):
                    rate.due += 1
                    rate.done += last is not None and last >= starts[-1]
    risks = [r.value for r in RiskLevel]
    return (
        dict(sorted(by_officer.items())),
        {r: by_risk[r] for r in risks if r in by_risk},
        overdue,
    )


def _prior(done: load.LastDone, kind: DueKind) -> date | None:
    return {
        DueKind.CONTACT: done.contact,
        DueKind.HOME_VISIT: done.home_visit,
        DueKind.CHECKS: done.check,
    }[kind]


def _latest(prior: date | None, weeks: list[date | None]) -> list[date | None]:
    """The last date done up to the end of each week: within the weeks, else before them."""
    return [prior if last is None else last for last in weeks]


def _due_by_week(
    overdue_after_working_days: int,
    cadence: Cadence,
    kind: DueKind,
    latest: list[date | None],
    activated: date,
) -> list[DueItem]:
    """When the item fell (or falls) due after the last time done by the end of each week;
    what was done before the order is ignored. Computed once per distinct last date."""
    items: dict[date | None, DueItem] = {}
    out = []
    for last in latest:
        if last not in items:
            items[last] = next_due(
                cadence,
                kind,
                last_done=last if last is not None and last >= activated else None,
                activated_on=activated,
                overdue_after_working_days=overdue_after_working_days,
            )
        out.append(items[last])
    return out


NONE_BY_WEEK: list[date | None] = [None] * WEEKS


def _done_by_week(
    uow: UnitOfWork, starts: list[date]
) -> dict[int, dict[DueKind, list[date | None]]]:
    """Per subject with an order in force and cadence kind, the last date done within the 12
    weeks up to the end of each week (None before the first): one row per subject, from a
    range of the (subject_id, date) index each."""
    ends = [start + timedelta(days=7) for start in starts]  # exclusive

    def by_week(day: Any, *extra: ColumnElement[bool]) -> list[Any]:
        return [func.max(case((and_(day < end, *extra), day))) for end in ends]

    out: dict[int, dict[DueKind, list[date | None]]] = defaultdict(dict)
    home = Contact.kind == ContactKind.HOME_VISIT
    for subject_id, *weeks in uow.session.execute(
        select(
            Contact.subject_id, *by_week(Contact.occurred_on), *by_week(Contact.occurred_on, home)
        )
        .where(
            load.has_order_in_force(Contact.subject_id),
            Contact.outcome.in_(load.ATTENDED),
            Contact.occurred_on >= starts[0],
            Contact.occurred_on < ends[-1],
        )
        .group_by(Contact.subject_id)
    ):
        out[subject_id][DueKind.CONTACT] = weeks[:WEEKS]
        out[subject_id][DueKind.HOME_VISIT] = weeks[WEEKS:]
    for subject_id, *weeks in uow.session.execute(
        select(Check.subject_id, *by_week(Check.done_on))
        .where(
            load.has_order_in_force(Check.subject_id),
            Check.done_on >= starts[0],
            Check.done_on < ends[-1],
        )
        .group_by(Check.subject_id)
    ):
        out[subject_id][DueKind.CHECKS] = weeks
    return out


def _weekly_counts(uow: UnitOfWork, column: Any, subject_id: Any, starts: list[date]) -> list[int]:
    """Records dated in each week. Every record has a subject, so the records of every subject
    are counted: a range of the (subject_id, date) index per subject, where a date alone
    (which has no index) would scan the whole table."""
    bucket = _bucket(column, starts)
    counts = [0] * WEEKS
    window = (column >= starts[0], column < starts[-1] + timedelta(days=7))
    every_subject = subject_id.in_(select(Subject.id))
    for b, n in uow.session.execute(
        select(bucket, func.count()).where(every_subject, *window).group_by(bucket)
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
