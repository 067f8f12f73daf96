"""From bulk-loaded rows to due lines: the rules of DOMAIN.md "What is due", in plain Python."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from lom_bot.config import AppConfig
from lom_bot.domain.dates import add_months, format_date
from lom_bot.domain.due import DueKind, next_due
from lom_bot.domain.enums import (
    CheckKind,
    ChecklistKind,
    ConditionCategory,
    CustodyStatus,
    FollowUpKind,
    OrderStatus,
    ReleaseDateKind,
)
from lom_bot.domain.workdays import add_working_days, working_days_between
from lom_bot.services.due import DueLine, LineKind, State
from lom_bot.services.due_load import (
    BreachRow,
    ChecklistRow,
    DutyRow,
    FollowUpRow,
    OrderRow,
    SubjectRow,
    TaskRow,
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
CHECKLIST_LABEL = {
    ChecklistKind.SYSTEMS: "Systems checklist",
    ChecklistKind.TRANSFER_IN: "Transfer-in pack",
    ChecklistKind.TRANSFER_OUT: "Transfer-out pack",
    ChecklistKind.CLOSURE: "Closure checklist",
}
FOLLOW_UP_LABEL = {
    FollowUpKind.INTERVIEW: "interview under caution",
    FollowUpKind.ARREST: "arrest",
    FollowUpKind.RECALL_REFERRAL: "recall referral to probation",
}


def _line(subject: SubjectRow | None, **kw: object) -> DueLine:
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
    today: date,
    subject: SubjectRow,
    order: OrderRow,
    contacts: tuple[date | None, date | None],
    checks: dict[CheckKind, date],
) -> list[DueLine]:
    """Contacts, home visits and compliance checks by risk level, for an order in force."""
    if order.status not in IN_FORCE or order.activated_on is None:
        return []
    if subject.custody is not CustodyStatus.IN_COMMUNITY:
        return []  # recalled or in custody: monitored through the prison, not at home
    cadence = config.cadence(subject.risk)
    last_any, last_home = contacts
    last_check = max(checks.values()) if checks else None
    out = []
    for kind, line_kind, last in (
        (DueKind.CONTACT, LineKind.CONTACT, last_any),
        (DueKind.HOME_VISIT, LineKind.HOME_VISIT, last_home),
        (DueKind.CHECKS, LineKind.CHECKS, last_check),
    ):
        # Only what was done under this order counts towards its cadence.
        since = last if last is not None and last >= order.activated_on else None
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
        every = cadence.interval(kind, order.activated_on, since or order.activated_on)
        out.append(
            _line(
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
) -> list[DueLine]:
    """Monthly reporting duties (by the Nth) not yet evidenced for the month they fell due."""
    if order.status not in IN_FORCE:
        return []
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
        overdue = today >= due_on + timedelta(days=config.due.duty_overdue_days)
        what = duty.description or f"condition {duty.number} duty by the {duty.day}th"
        if overdue:
            what += ": overdue, consider a warning letter"
        out.append(
            _line(
                subject,
                kind=LineKind.DUTY,
                state=State.OVERDUE if overdue else State.DUE,
                due_on=due_on,
                what=f"{what} (condition {duty.number})",
                ref=order.ref,
            )
        )
    return out


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
    return _line(
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
    return _line(
        subject,
        kind=LineKind.EXPIRY,
        state=State.OVERDUE,
        due_on=order.expires_on,
        what=f"{order.ref} expired {format_date(order.expires_on)}: record it and open closure",
        ref=order.ref,
    )


def breach_line(
    config: AppConfig, today: date, report: BreachRow, subject: SubjectRow | None
) -> DueLine | None:
    """A report still waiting for assessment past the target (2 working days by default)."""
    received = report.received_at.astimezone(ZoneInfo(config.timezone)).date()
    target = add_working_days(received, config.due.breach_assessment_working_days)
    if today <= target:
        return None
    waited = working_days_between(received, today)
    status = {"possible": "subject to confirm", "need_info": "more information asked"}.get(
        report.status.value, "waiting for assessment"
    )
    district = report.district or (subject.district if subject else None)
    return _line(
        subject,
        kind=LineKind.BREACH,
        state=State.OVERDUE,
        due_on=target,
        what=f"{report.ref} from {district or 'unknown district'}, received "
        f"{format_date(received)}: {status} ({waited} working days)",
        ref=report.ref,
        district=district,
    )


def follow_up_line(
    config: AppConfig, today: date, item: FollowUpRow, subject: SubjectRow | None
) -> DueLine | None:
    """Warning letter responses due, CPS files near their target, other follow-ups due."""
    about = f" ({item.breach_ref})" if item.breach_ref else ""
    owner = item.owner_id or (subject.officer_id if subject else None)
    if item.kind in (FollowUpKind.WARNING_LETTER, FollowUpKind.FINAL_WARNING_LETTER):
        if item.due_on > today:
            return None
        final = "final " if item.kind is FollowUpKind.FINAL_WARNING_LETTER else ""
        past = item.due_on < today
        what = f"{final}warning letter response {'was ' if past else ''}due "
        what += f"{format_date(item.due_on)}{about}"
        if past:
            what += ": consider escalation"
        kind, state = LineKind.WARNING_LETTER, State.OVERDUE if past else State.DUE
    elif item.kind is FollowUpKind.CPS_FILE:
        near = config.due.cps_file_near_target_working_days
        if item.due_on >= today and working_days_between(today, item.due_on) > near:
            return None
        left = working_days_between(today, item.due_on)
        when = f"{left} working days left" if item.due_on >= today else "target passed"
        what = f"CPS file target {format_date(item.due_on)}{about}: {when}"
        kind, state = LineKind.CPS_FILE, State.OVERDUE if item.due_on < today else State.DUE
    else:
        if item.due_on > today:
            return None
        label = FOLLOW_UP_LABEL.get(item.kind, item.kind.value.replace("_", " "))
        what = f"{label} due {format_date(item.due_on)}{about}"
        kind, state = LineKind.FOLLOW_UP, State.OVERDUE if item.due_on < today else State.DUE
    return _line(
        subject,
        kind=kind,
        state=state,
        due_on=item.due_on,
        what=what,
        ref=item.breach_ref,
        officer_id=owner,
    )


def task_line(today: date, task: TaskRow, subject: SubjectRow | None) -> DueLine | None:
    if task.due_on >= today:
        return None
    late = (today - task.due_on).days
    return _line(
        subject,
        kind=LineKind.TASK,
        state=State.OVERDUE,
        due_on=task.due_on,
        what=f"{task.ref} {task.kind.value.replace('_', ' ')} for {task.district}, due "
        f"{format_date(task.due_on)} ({late} days late)",
        ref=task.ref,
        district=task.district,
    )


def checklist_line(
    config: AppConfig, today: date, checklist: ChecklistRow, subject: SubjectRow | None
) -> DueLine:
    overdue_from = add_working_days(checklist.opened_on, config.due.overdue_after_working_days)
    steps = ", ".join(checklist.outstanding)
    label = CHECKLIST_LABEL.get(checklist.kind, "Checklist")
    of = f" for {checklist.order_ref}" if checklist.order_ref else ""
    return _line(
        subject,
        kind=LineKind.CHECKLIST,
        state=State.OVERDUE if today >= overdue_from else State.DUE,
        due_on=checklist.opened_on,
        what=f"{label}{of} opened {format_date(checklist.opened_on)}: "
        f"{len(checklist.outstanding)} outstanding ({steps})",
        ref=checklist.order_ref,
    )


def planned_release(history: list[tuple[ReleaseDateKind, date, datetime]]) -> date | None:
    """The expected release from a subject's recorded dates (newest of each kind wins)."""
    newest: dict[ReleaseDateKind, date] = {}
    for kind, on, _ in history:
        newest[kind] = on
    return expected_release(newest)
