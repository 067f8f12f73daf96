"""From bulk-loaded rows to due lines: the rules of DOMAIN.md "What is due", in plain Python."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from lom_bot.config import AppConfig
from lom_bot.domain.dates import add_months, format_date
from lom_bot.domain.due import Cadence, DueKind, latest_start_due_by, next_due
from lom_bot.domain.enums import (
    CheckKind,
    ConditionCategory,
    CustodyStatus,
    OrderStatus,
    ReleaseDateKind,
)
from lom_bot.domain.order_dates import expired_at
from lom_bot.services.due import DueLine, LineKind, State
from lom_bot.services.due_load import (
    DutyRow,
    LastDone,
    OrderRow,
    SubjectRow,
)
from lom_bot.store.queries import expected_release

IN_FORCE = (OrderStatus.ACTIVE, OrderStatus.EXPIRING)
BEFORE_ACTIVATION = (OrderStatus.GRANTED, OrderStatus.RECORDED, OrderStatus.AWAITING_ACTIVATION)
# How far ahead of an expected release an education visit is flagged (DOMAIN: "before
# release where possible"); app.yaml has no setting for it yet.
EDUCATION_LEAD_DAYS = 30
# A monthly duty is taken as met by a check of a matching kind done in the month it fell due
# (the data has no "statement received" record of its own).
DUTY_EVIDENCE: dict[ConditionCategory, frozenset[CheckKind]] = {
    ConditionCategory.FINANCIAL: frozenset({CheckKind.FINANCIAL}),
    ConditionCategory.COMMUNICATIONS: frozenset({CheckKind.TELECOMS}),
    ConditionCategory.ITEMS_VEHICLES: frozenset({CheckKind.ANPR, CheckKind.PNC}),
}


def line_for(subject: SubjectRow | None, **kw: object) -> DueLine:
    """A line about a subject: their reference, name, risk, district and officer filled in."""
    if subject is not None:
        kw.setdefault("officer_id", subject.officer_id)
        kw.update(
            subject_ref=subject.ref,
            subject_name=subject.name,
            risk=subject.risk,
            district=subject.district,
        )
    return DueLine(**kw)  # type: ignore[arg-type]


def cadence_lines(
    config: AppConfig,
    cadence: Cadence,
    today: date,
    subject: SubjectRow,
    order: OrderRow,
    done: LastDone,
) -> list[DueLine]:
    """Contacts, home visits and compliance checks at the subject's risk level's cadence, for
    an order in force."""
    if order.status not in IN_FORCE or order.activated_on is None:
        return []
    if subject.custody is not CustodyStatus.IN_COMMUNITY:
        return []  # recalled or in custody: monitored through the prison, not at home
    out = []
    for kind, line_kind, last in (
        (DueKind.CONTACT, LineKind.CONTACT, done.contact),
        (DueKind.HOME_VISIT, LineKind.HOME_VISIT, done.home_visit),
        (DueKind.CHECKS, LineKind.CHECKS, done.check),
    ):
        # Only what was done under this order counts towards its cadence.
        since = last if last is not None and last >= order.activated_on else None
        start = since or order.activated_on
        every = cadence.interval(kind, order.activated_on, start)
        if start > latest_start_due_by(every, today):
            continue  # not due yet, as on most days for most subjects
        item = next_due(
            cadence,
            kind,
            last_done=since,
            activated_on=order.activated_on,
            overdue_after_working_days=config.due.overdue_after_working_days,
        )
        state = item.state(today)
        if state is None:
            continue
        out.append(
            line_for(
                subject,
                kind=line_kind,
                state=State(state),
                due_on=item.due_on,
                what=f"every {_interval_words(str(every))}",
                last_done=since,
                ref=order.ref,
            )
        )
    return out


def _interval_words(text: str) -> str:
    amount, unit = int(text[:-1]), text[-1]
    word = {"d": "day", "w": "week", "m": "month"}[unit]
    return f"{amount} {word}s" if amount != 1 else word


def duty_lines(
    config: AppConfig,
    today: date,
    subject: SubjectRow,
    order: OrderRow,
    duties: list[DutyRow],
    checks: dict[CheckKind, date],
    notified: dict[ConditionCategory, date] | None = None,
) -> list[DueLine]:
    """Monthly reporting duties (by the Nth) not yet evidenced for the month they fell due.

    `checks`: the last check of each kind done since `duty_evidence_since(today)` at least;
    `notified`: the last notification answering each kind of condition, since then too (the
    subject's own notification marks the duty done)."""
    if order.status not in IN_FORCE:
        return []
    if subject.custody is not CustodyStatus.IN_COMMUNITY:
        return []  # in custody or recalled: duties in the community pause with the contacts
    out = []
    for duty in duties:
        due_on = _last_monthly(today, duty.day)
        starts = duty.starts_on or order.activated_on
        if starts is None or starts > due_on or (duty.ends_on and duty.ends_on < due_on):
            continue
        evidence = DUTY_EVIDENCE.get(duty.category, frozenset({CheckKind.OTHER}))
        month_start = due_on.replace(day=1)
        if any(checks.get(kind, date.min) >= month_start for kind in evidence):
            continue
        if (notified or {}).get(duty.category, date.min) >= month_start:
            continue
        overdue = today >= due_on + timedelta(days=config.due.duty_overdue_days)
        what = duty.description or f"condition {duty.number} duty by the {duty.day}th"
        if overdue:
            what += ": overdue, consider a warning letter"
        out.append(
            line_for(
                subject,
                kind=LineKind.DUTY,
                state=State.OVERDUE if overdue else State.DUE,
                due_on=due_on,
                what=f"{what} (condition {duty.number})",
                ref=order.ref,
            )
        )
    return out


def duty_evidence_since(today: date) -> date:
    """The earliest day a check can evidence a duty listed today: a listed duty fell due this
    month or last, and only a check in that month counts."""
    return add_months(today.replace(day=1), -1)


@lru_cache(maxsize=64)  # pure; asked once per duty, for at most 31 days of the month
def _last_monthly(today: date, day: int) -> date:
    """The latest 'Nth of the month' on or before today (the month's last day if shorter)."""
    this_month = _nth(today.year, today.month, day)
    if this_month <= today:
        return this_month
    previous = add_months(today.replace(day=1), -1)
    return _nth(previous.year, previous.month, day)


def _nth(year: int, month: int, day: int) -> date:
    last = (add_months(date(year, month, 1), 1) - timedelta(days=1)).day
    return date(year, month, min(max(day, 1), last))


def education_line(
    today: date,
    subject: SubjectRow,
    order: OrderRow,
    visit: tuple[date | None, date | None] | None,
    release: date | None,
) -> DueLine | None:
    """An order waiting for release whose subject is out soon and has had no education visit."""
    if order.status not in BEFORE_ACTIVATION or order.education_override:
        return None
    done, booked = visit or (None, None)
    if done is not None:
        return None
    release = release or order.starts_on
    if release is None or release > today + timedelta(days=EDUCATION_LEAD_DAYS):
        return None
    days = (release - today).days
    when = f"release {format_date(release)} ({days} days)" if days >= 0 else "release date passed"
    what = f"education visit before {when}"
    if booked is not None and booked >= today:
        what += f", booked for {format_date(booked)}"
    return line_for(
        subject,
        kind=LineKind.EDUCATION_VISIT,
        state=State.OVERDUE if release <= today else State.DUE,
        due_on=release,
        what=what,
        ref=order.ref,
    )


def expiry_line(today: date, subject: SubjectRow, order: OrderRow) -> DueLine | None:
    """An order still shown as in force after its expiry date: record the expiry, close it."""
    if order.status not in IN_FORCE or order.expires_on is None or order.expires_on >= today:
        return None
    return line_for(
        subject,
        kind=LineKind.EXPIRY,
        state=State.OVERDUE,
        due_on=order.expires_on,
        what=f"{order.ref} {expired_at(order.expires_on)}: record it and open closure",
        ref=order.ref,
    )


def planned_release(history: list[tuple[ReleaseDateKind, date, datetime]]) -> date | None:
    """The expected release from a subject's recorded dates (newest of each kind wins)."""
    newest: dict[ReleaseDateKind, date] = {}
    for kind, on, _ in history:
        newest[kind] = on
    return expected_release(newest)
