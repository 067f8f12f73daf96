"""The daily due digest and the districts' task lists, for the scheduled posts and on demand.

Each build loads every kind of record in one bulk query and works in Python, so the number of
statements is fixed whatever the caseload (tests/test_digest_queries.py counts them).

Approximated from what the data holds: a monthly reporting duty counts as met by a check of a
matching kind (financial, telecoms...) in the month it fell due; duties "within N days of an
event" are not listed, because no record says when such an event (a new phone) happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lom_bot.domain.enums import AuditAction, RiskLevel, TaskKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.workdays import next_working_day
from lom_bot.services import due_lines as rules
from lom_bot.services import due_load as load
from lom_bot.services import due_owed as owing
from lom_bot.services import due_records as records
from lom_bot.services.due import Digest, DueLine, LineKind, State, group_lines
from lom_bot.services.due_horizons import Horizons, horizons
from lom_bot.services.escalation import escalation_line, failures_by_subject
from lom_bot.services.notifications import late_notifications, recent_notifications
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.task_post import ADDRESS_KINDS
from lom_bot.store.uow import UnitOfWork

__all__ = [
    "DistrictTask",
    "Horizons",
    "build_daily_digest",
    "build_district_tasks",
    "district_tasks_for",
    "due_for",
    "horizons",
    "upcoming_for",
]


def build_daily_digest(
    uow: UnitOfWork,
    today: date,
    scope: load.Scope = load.EVERYONE,
    *,
    held_on: date | None = None,
) -> Digest:
    """Everything due or overdue on `today`, grouped by the officer holding each subject on
    `held_on` (default: `today`; call inside `with uow`); with a scope, only one officer's
    caseload is read."""
    s, config = uow.session, uow.config
    people = load.subjects(s, scope, held_on or today)
    orders, done = load.live_orders_and_last_done(s, today, scope)
    checks = load.recent_checks(s, today, rules.duty_evidence_since(today), scope)
    notified = recent_notifications(s, rules.duty_evidence_since(today))
    duties = load.monthly_duties(s, scope)
    visits = load.education_visits(s, scope)
    releases = load.release_history(s, scope)
    cadences = {risk: config.cadence(risk) for risk in RiskLevel}
    owed = owing.load_owed(s, {order.id for order in orders.values()}, scope)
    lines: list[DueLine | None] = []
    for subject_id, order in orders.items():
        subject = people[subject_id]
        cadence = cadences[subject.risk]
        last = done.get(subject_id, load.NOTHING_DONE)
        lines += rules.cadence_lines(config, cadence, today, subject, order, last)
        recent = checks.get(subject_id, {})
        lines += rules.duty_lines(
            config,
            today,
            subject,
            order,
            duties.get(order.id, []),
            recent,
            notified.get(subject_id, {}),
        )
        release = rules.planned_release(releases.get(subject_id, []))
        lines.append(rules.education_line(today, subject, order, visits.get(order.id), release))
        lines.append(rules.expiry_line(today, subject, order))
        arrived = owed.transferred_in.get(subject_id)
        visit = visits.get(order.id)
        lines.append(owing.visit_chase_line(config, today, subject, order, visit, arrived))
        for row in (order, *owed.others.get(subject_id, [])):
            if row is not order:  # a replacement waiting to be active: its own visit and release
                lines.append(rules.education_line(today, subject, row, visits.get(row.id), release))
            lines.append(owing.release_missing_line(today, subject, row, release))
            lines += owing.charge_lines(today, subject, row, owed.charges.get(row.id, []))
            if row.id in owed.questions:
                lines.append(owing.question_line(today, subject, row, owed.questions[row.id]))
    began = {sid: o.activated_on or o.starts_on for sid, o in orders.items()}
    failed = failures_by_subject(s, config, today, list(orders), order_starts=began)
    for subject_id, found in failed.items():  # the same rule as the triage card and the card
        prompt = escalation_line(config, found)
        if prompt and subject_id in people:
            lines.append(
                rules.line_for(
                    people[subject_id],
                    kind=LineKind.ESCALATION,
                    state=State.DUE,
                    due_on=found[-1].on,
                    what=prompt,
                )
            )
    late = late_notifications(s, today, config.due.duty_overdue_days, people.keys())
    for subject_id, what, due_by in late:  # a reporting duty met late is itself a failure
        lines.append(
            rules.line_for(
                people[subject_id],
                kind=LineKind.DUTY,
                state=State.OVERDUE,
                due_on=due_by,
                what=what,
            )
        )
    for report in load.open_breaches(s, scope):
        reported = people.get(report.subject_id) if report.subject_id else None
        lines.append(records.breach_line(config, today, report, reported))
    for item in load.open_follow_ups(s, scope):
        lines.append(records.follow_up_line(config, today, item, people.get(item.subject_id)))
    for task in load.open_tasks(s, today - timedelta(days=1), scope):
        lines.append(records.task_line(today, task, people.get(task.subject_id)))
    for checklist in load.open_checklists(s, scope):
        lines.append(
            records.checklist_line(config, today, checklist, people.get(checklist.subject_id))
        )
    return group_lines([line for line in lines if line], load.officers(s), today)


@dataclass(frozen=True)
class DistrictTask:
    """A task as a district sees it: references, and an address only where a curfew check or
    home visit needs one (blocks show it only where detail may go)."""

    ref: str
    subject_ref: str
    kind: TaskKind
    due_on: date
    overdue: bool
    address: str | None = None


ALL_OPEN = date.max


def build_district_tasks(
    uow: UnitOfWork, today: date, due_by: date | None = None
) -> dict[str, list[DistrictTask]]:
    """Each configured district's open tasks due by the day before the next working day, so
    a task due at a weekend or on a bank holiday is posted on the working day before it
    (call inside `with uow`)."""
    if due_by is None:
        due_by = next_working_day(today) - timedelta(days=1)
    out: dict[str, list[DistrictTask]] = {d.name: [] for d in uow.config.districts}
    for task in load.open_tasks(uow.session, due_by):
        if task.district in out:
            address = task.address if task.kind in ADDRESS_KINDS else None
            out[task.district].append(
                DistrictTask(
                    task.ref, task.subject_ref, task.kind, task.due_on, task.due_on < today, address
                )
            )
    return out


def due_for(uow: UnitOfWork, actor: Actor, *, team: bool = False) -> Digest:
    """`/lom due`: the officer's own lines, or the whole team's; consultation is audited."""
    with uow:
        require(actor, Action.VIEW_DUE)
        if team:
            digest = build_daily_digest(uow, uow.clock.today())
        else:
            mine = load.Scope(officer_id=actor.user_id, day=uow.clock.today())
            digest = build_daily_digest(uow, uow.clock.today(), mine).only(actor.user_id)
        _audit_consulted(uow, actor, [line.subject_ref for line in digest.lines], "due list")
        uow.commit()
        return digest


def district_tasks_for(uow: UnitOfWork, actor: Actor) -> tuple[str, list[DistrictTask]]:
    """A district officer's own district's open tasks, whatever their due date."""
    with uow:
        require(actor, Action.COMPLETE_TASK)
        if not actor.district:
            raise InvalidInput("You have no district set. Ask a LOM admin to set it.")
        tasks = build_district_tasks(uow, uow.clock.today(), ALL_OPEN).get(actor.district, [])
        return actor.district, tasks


def _audit_consulted(uow: UnitOfWork, actor: Actor, refs: list[str | None], purpose: str) -> None:
    for ref in dict.fromkeys(r for r in refs if r):
        uow.audit(
            actor.slack_id,
            AuditAction.CONSULTATION,
            "due.viewed",
            subject_ref=ref,
            purpose=purpose,
        )


def upcoming_for(uow: UnitOfWork, actor: Actor, *, within_days: int | None = None) -> Horizons:
    """`/lom upcoming`: releases and expiries ahead (optionally only the next N days)."""
    with uow:
        require(actor, Action.VIEW_DUE)
        ahead = horizons(uow, uow.clock.today())
        if within_days is not None:
            ahead.upcoming = [x for x in ahead.upcoming if x.days <= within_days]
        _audit_consulted(uow, actor, [x.subject_ref for x in ahead.upcoming], "upcoming list")
        uow.commit()
        return ahead
