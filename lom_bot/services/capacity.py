"""Each officer's workload this week against their configured capacity, and what will slip.

The week's load is everything the daily digest would list on the week's last day if nothing
were done before then (what is overdue now, and what falls due during the week), for the
subjects each officer holds today (cover counts). An officer who works their list in the
digest's order (highest risk first) reaches the first `capacity` items; the rest will slip.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, RiskLevel, Role
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due import KIND_ORDER, DueLine, LineKind, Officer
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.classification import Classification
from lom_bot.store.tables import User
from lom_bot.store.uow import UnitOfWork

DAYS = 7
RISKS = (RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)
NO_RISK = "no subject"


def risk_name(line: DueLine) -> str:
    return line.risk.value if line.risk else NO_RISK


@dataclass
class OfficerLoad:
    officer: Officer
    capacity: int
    lines: list[DueLine] = field(default_factory=list)  # in the digest's order: risk first

    @property
    def items(self) -> int:
        return len(self.lines)

    @property
    def over(self) -> int:
        return max(0, self.items - self.capacity)

    @property
    def slipping(self) -> list[DueLine]:
        return self.lines[self.capacity :]

    def by_risk(self) -> dict[str, int]:
        counts = Counter(risk_name(line) for line in self.lines)
        return {r: counts[r] for r in [*(x.value for x in RISKS), NO_RISK] if counts[r]}

    def by_kind(self) -> dict[LineKind, int]:
        counts = Counter(line.kind for line in self.lines)
        return dict(sorted(counts.items(), key=lambda kv: KIND_ORDER[kv[0]]))


@dataclass
class CapacityWeek:
    start: date
    end: date
    loads: list[OfficerLoad]
    unassigned: list[DueLine]

    @property
    def slipping(self) -> list[tuple[OfficerLoad, DueLine]]:
        """Everything that will slip, across the team, highest risk (then oldest) first."""
        out = [(load, line) for load in self.loads for line in load.slipping]
        return sorted(out, key=lambda pair: pair[1].sort_key())


def build_capacity(uow: UnitOfWork, today: date) -> CapacityWeek:
    """The week from `today`: each LOM officer's load and capacity (call inside `with uow`)."""
    end = today + timedelta(days=DAYS - 1)
    digest = build_daily_digest(uow, end, held_on=today)
    by_officer = {g.officer.user_id: g for g in digest.groups}
    people = uow.session.execute(
        select(User.id, User.name, User.slack_id)
        .where(User.role.in_([Role.LOM_OFFICER, Role.LOM_SUPERVISOR]), User.active.is_(True))
        .order_by(User.name)
    )
    loads = []
    for uid, name, slack_id in people:
        group = by_officer.get(uid)
        capacity = uow.config.capacity.of(slack_id)
        loads.append(
            OfficerLoad(Officer(uid, name, slack_id), capacity, group.lines if group else [])
        )
    unassigned = by_officer[None].lines if None in by_officer else []
    return CapacityWeek(today, end, loads, unassigned)


def capacity_for(uow: UnitOfWork, actor: Actor) -> CapacityWeek:
    """`/lom stats capacity`: this week's load for supervisors; the chart goes to their DM."""
    with uow:
        require(actor, Action.VIEW_STATS)
        week = build_capacity(uow, uow.clock.today())
        for ref in dict.fromkeys(line.subject_ref for _, line in week.slipping):
            if ref:
                uow.audit(
                    actor.slack_id,
                    AuditAction.CONSULTATION,
                    "stats.capacity_viewed",
                    subject_ref=ref,
                    purpose="supervisor capacity view",
                )
        uow.send(
            "upload",
            actor.slack_id,
            chart_payload(week),
            actor=actor.slack_id,
            classification=Classification.REFERENCE,  # counts per officer only
            purpose="capacity chart",
        )
        uow.commit()
    return week


def chart_payload(week: CapacityWeek) -> dict[str, str]:
    from lom_bot.services.capacity_chart import capacity_chart

    return {
        "content": base64.b64encode(capacity_chart(week)).decode("ascii"),
        "filename": f"lom-capacity-{week.start.isoformat()}.png",
        "title": f"Workload against capacity, {format_date(week.start)} to {format_date(week.end)}",
    }
