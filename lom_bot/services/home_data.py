"""What an App Home shows, loaded in a fixed number of queries.

What is due comes from the daily digest (services/digest.py), so the Home, `/lom due` and
the morning post agree; breach reports have their own section, so they are not repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction, BreachStatus, CustodyStatus
from lom_bot.services.digest import ALL_OPEN, DistrictTask, build_daily_digest, build_district_tasks
from lom_bot.services.due import DueLine, LineKind
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.supervisor_queue import SupervisorQueue, awaiting_supervisor
from lom_bot.store import queries
from lom_bot.store.holders import held_by
from lom_bot.store.tables import BreachReport, Condition, Subject
from lom_bot.store.uow import UnitOfWork

RELEASE_DAYS = 30


@dataclass
class OfficerHome:
    subjects: list[Subject]
    due: list[DueLine] = field(default_factory=list)
    breaches: list[tuple[BreachReport, str | None]] = field(default_factory=list)
    releases: list[tuple[Subject, date]] = field(default_factory=list)
    queue: SupervisorQueue | None = None  # supervisors only: what awaits them


@dataclass
class DistrictHome:
    district: str
    subjects: list[tuple[Subject, list[Condition]]]  # only those with an order in force
    tasks: list[DistrictTask] = field(default_factory=list)  # every open one, any due date
    today: date | None = None


def officer_home(uow: UnitOfWork, actor: Actor) -> OfficerHome:
    """My caseload with what is due, open breach reports and releases in the next 30 days."""
    require(actor, Action.VIEW_DUE)
    s, today = uow.session, uow.clock.today()
    subjects = list(
        s.scalars(select(Subject).where(held_by(today, actor.user_id)).order_by(Subject.ref))
    )
    ids = [x.id for x in subjects]
    home = OfficerHome(subjects)
    digest = build_daily_digest(uow, today).only(actor.user_id)
    home.due = [line for line in digest.lines if line.kind is not LineKind.BREACH]
    names = {x.id: x.ref for x in subjects}
    home.breaches = [
        (b, names.get(b.subject_id or 0))
        for b in s.scalars(
            select(BreachReport)
            .where(BreachReport.subject_id.in_(ids))
            .where(BreachReport.status != BreachStatus.ASSESSED, BreachReport.deleted.is_(False))
            .order_by(BreachReport.received_at)
        )
    ]
    releases = queries.release_dates(s, ids)
    horizon = today + timedelta(days=RELEASE_DAYS)
    for subject in subjects:
        when = queries.expected_release(releases.get(subject.id, {}))
        if subject.custody_status is CustodyStatus.IN_CUSTODY and when and today <= when <= horizon:
            home.releases.append((subject, when))
    home.releases.sort(key=lambda pair: pair[1])
    home.queue = awaiting_supervisor(uow, actor)
    _audited(uow, actor, len(subjects))
    return home


def district_home(uow: UnitOfWork, actor: Actor) -> DistrictHome:
    """A district officer's district subjects with the conditions to watch for, nothing more."""
    require(actor, Action.VIEW_SUBJECT_LIMITED)
    district = actor.district or ""
    s = uow.session
    subjects = list(
        s.scalars(
            select(Subject)
            .where(Subject.district == district)
            .where(Subject.custody_status == CustodyStatus.IN_COMMUNITY)
            .order_by(Subject.ref)
        )
    )
    orders = queries.current_orders(s, [x.id for x in subjects])
    live = {o.id: sid for sid, o in orders.items() if o.status in queries.IN_FORCE_STATES}
    conditions: dict[int, list[Condition]] = {}
    for c in s.scalars(
        select(Condition)
        .where(Condition.order_id.in_(live), Condition.active.is_(True))
        .order_by(Condition.order_id, Condition.number)
    ):
        conditions.setdefault(live[c.order_id], []).append(c)
    on_order = [x for x in subjects if x.id in live.values()]  # expired or transferred: not
    tasks = build_district_tasks(uow, uow.clock.today(), ALL_OPEN).get(district, [])
    _audited(uow, actor, len(on_order))
    return DistrictHome(
        district, [(x, conditions.get(x.id, [])) for x in on_order], tasks, uow.clock.today()
    )


def _audited(uow: UnitOfWork, actor: Actor, count: int) -> None:
    uow.audit(
        actor.slack_id,
        AuditAction.CONSULTATION,
        "home.viewed",
        purpose="App Home",
        detail={"subjects": count},
    )
