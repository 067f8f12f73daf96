"""Demo court history: past breaches of demo orders, assessed, charged and (mostly) sentenced.

Fictional, fixed cases (no randomness) so the sentencing report reads the same every time:
four courts, pleas and trials, custody, suspended sentences, community orders and fines, one
acquittal and one case still before the court. Each court outcome row takes its structured
fields from services/court_fields.py, the same derivation the recording service uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from lom_bot.domain.enums import AssessmentOutcome, AuditAction, BreachStatus, Role
from lom_bot.domain.lifecycle import ENDED, IN_FORCE
from lom_bot.domain.order_dates import in_force_on
from lom_bot.services.court_fields import S25_OFFENCE, court_columns
from lom_bot.store.tables import (
    Assessment,
    BreachReport,
    Condition,
    CourtOutcome,
    Order,
    Subject,
    User,
)
from lom_bot.store.uow import UnitOfWork

LEEDS_CC, BRADFORD_CC = "Leeds Crown Court", "Bradford Crown Court"
LEEDS_MC, KIRKLEES_MC = "Leeds Magistrates' Court", "Kirklees Magistrates' Court"


@dataclass(frozen=True)
class Case:
    days_ago: int  # when the breach was reported
    court: str
    plea: str  # guilty | not_guilty (then a trial)
    verdict: str | None = None  # after a not guilty plea
    sentence: dict[str, Any] | None = None  # the sentence detail, as the command parses it


CASES = (
    Case(520, LEEDS_CC, "guilty", sentence={"type": "custody", "months": 18, "new_order": True}),
    Case(480, BRADFORD_CC, "guilty", sentence={"type": "custody", "months": 12}),
    Case(
        450,
        LEEDS_MC,
        "guilty",
        sentence={"type": "suspended", "months": 6, "penalty": "120 hours unpaid work"},
    ),
    Case(
        430,
        LEEDS_CC,
        "not_guilty",
        "guilty",
        {"type": "custody", "months": 30, "new_order": True},
    ),
    Case(
        400,
        KIRKLEES_MC,
        "guilty",
        sentence={"type": "community_order", "penalty": "12 months, 150 hours unpaid work"},
    ),
    Case(380, BRADFORD_CC, "guilty", sentence={"type": "custody", "months": 8}),
    Case(350, LEEDS_MC, "guilty", sentence={"type": "fine", "amount": 600}),
    Case(320, LEEDS_CC, "guilty", sentence={"type": "custody", "months": 24, "new_order": True}),
    Case(
        300,
        BRADFORD_CC,
        "guilty",
        sentence={"type": "suspended", "months": 12, "penalty": "rehabilitation activity"},
    ),
    Case(270, KIRKLEES_MC, "guilty", sentence={"type": "custody", "months": 4}),
    Case(240, LEEDS_CC, "not_guilty", "guilty", {"type": "custody", "months": 20}),
    Case(
        210,
        LEEDS_MC,
        "guilty",
        sentence={"type": "community_order", "penalty": "100 hours unpaid work"},
    ),
    Case(190, BRADFORD_CC, "guilty", sentence={"type": "custody", "months": 16, "new_order": True}),
    Case(170, LEEDS_CC, "not_guilty", "not_guilty"),
    Case(160, LEEDS_CC, "guilty", sentence={"type": "suspended", "months": 18}),
    Case(150, KIRKLEES_MC, "guilty", sentence={"type": "fine", "amount": 400}),
    Case(130, BRADFORD_CC, "not_guilty", "guilty", {"type": "custody", "months": 10}),
    Case(100, LEEDS_CC, "not_guilty"),  # awaiting trial
)


def seed_court_history(uow: UnitOfWork) -> int:
    """Add the demo's past breaches and their court outcomes (inside the seed's unit of work);
    returns how many cases were added (none when no demo order was in force long enough)."""
    s, today = uow.session, uow.clock.today()
    decider = s.scalar(select(User.id).where(User.role == Role.LOM_OFFICER).order_by(User.id))
    if decider is None:
        return 0
    orders = list(
        s.execute(
            select(Order, Subject.ref, Subject.district)
            .join(Subject, Subject.id == Order.subject_id)
            .where(Order.activated_on.is_not(None))
            .where(Order.status.in_([*IN_FORCE, *ENDED]))
            .order_by(Order.id)
        )
    )
    added = 0
    for k, case in enumerate(CASES, start=1):
        seen = today - timedelta(days=case.days_ago)
        eligible = [(o, ref, district) for o, ref, district in orders if _in_force(o, seen)]
        if not eligible:
            continue
        order, ref, district = eligible[(k * 5) % len(eligible)]  # spread over subjects
        query = select(Condition).where(Condition.order_id == order.id)
        conditions = list(s.scalars(query.order_by(Condition.id)))
        condition = conditions[k % len(conditions)] if conditions else None
        _case(uow, k, case, order, ref, district, condition, seen, decider)
        added += 1
    uow.audit(
        "system",
        AuditAction.COLLECTION,
        "demo.court_history",
        detail={"cases": added},
        purpose="demo data",
    )
    return added


def _in_force(order: Order, on: date) -> bool:
    started = order.activated_on is not None and order.activated_on <= on
    return started and in_force_on(order.expires_on, on)


def _case(
    uow: UnitOfWork,
    k: int,
    case: Case,
    order: Order,
    subject_ref: str,
    district: str,
    condition: Condition | None,
    seen: date,
    decider: int,
) -> None:
    s = uow.session
    at = datetime.combine(seen, time(15, 10), uow.clock.tz)
    what = condition.category.value.replace("_", " ") if condition else "a condition"
    report = BreachReport(
        ref=f"BR-H{k:04d}",
        subject_id=order.subject_id,
        status=BreachStatus.ASSESSED,
        source="message",
        reporter_slack_id="U0LEEDS",
        district=district,
        text=f"Demo: {subject_ref} seen in breach of the {what} condition (fictional).",
        condition_id=condition.id if condition else None,
        received_at=at,
    )
    s.add(report)
    s.flush()
    s.add(
        Assessment(
            breach_id=report.id,
            outcome=AssessmentOutcome.CPS_FILE,
            rationale="Demo: breach evidenced by two officers; file to the CPS.",
            decided_by=decider,
            decided_at=at + timedelta(days=1),
        )
    )
    events: list[tuple[str, int, dict[str, Any]]] = [
        ("charge", 14, {"offence": S25_OFFENCE}),
        ("plea", 35, {"plea": case.plea}),
    ]
    if case.verdict:
        events.append(("verdict", 60, {"verdict": case.verdict}))
    if case.sentence:
        events.append(("sentence", 75, dict(case.sentence)))
    earlier: list[CourtOutcome] = []
    for kind, after, detail in events:
        row = CourtOutcome(
            breach_id=report.id,
            kind=kind,
            detail=detail,
            on=min(seen + timedelta(days=after), uow.clock.today()),
            court=case.court,
            recorded_by=decider,
            **court_columns(kind, detail, earlier),
        )
        s.add(row)
        s.flush()
        earlier.append(row)
