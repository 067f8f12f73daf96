"""Helpers for the digest and schedule tests: small hand-made records and a scalable caseload.

No tests here; other test modules import these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_sdk.models.blocks import Block

from lom_bot.domain.enums import (
    BreachStatus,
    CheckKind,
    ChecklistKind,
    CheckResult,
    ConditionCategory,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    DutyKind,
    FollowUpKind,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
)
from lom_bot.store.tables import (
    BreachReport,
    Check,
    Checklist,
    ChecklistStep,
    Condition,
    Contact,
    EducationVisit,
    FollowUp,
    Order,
    ReleaseDate,
    Subject,
    Task,
    User,
)
from lom_bot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def officer_id(uow: UnitOfWork, slack_id: str = "U0OFF1") -> int:
    from sqlalchemy import select

    return uow.session.scalars(select(User.id).where(User.slack_id == slack_id)).one()


def add_subject(
    uow: UnitOfWork,
    n: int,
    *,
    risk: RiskLevel = RiskLevel.HIGH,
    custody: CustodyStatus = CustodyStatus.IN_COMMUNITY,
    district: str = "Leeds",
    officer: int | None = None,
    status: OrderStatus = OrderStatus.ACTIVE,
    activated: date | None = date(2026, 6, 1),
    expires: date | None = None,
) -> tuple[Subject, Order]:
    """A subject and their order; flushed so ids are set."""
    subject = Subject(
        ref=f"LOM-{n:04d}",
        given_names="Test",
        family_name=f"Fictional{n}",
        district=district,
        risk_level=risk,
        custody_status=custody,
        officer_id=officer,
    )
    uow.session.add(subject)
    uow.session.flush()
    order = Order(
        ref=f"SCPO-{n:04d}",
        subject_id=subject.id,
        status=status,
        activated_on=activated if status in (OrderStatus.ACTIVE, OrderStatus.EXPIRING) else None,
        expires_on=expires,
    )
    uow.session.add(order)
    uow.session.flush()
    return subject, order


def add_contact(
    uow: UnitOfWork,
    subject: Subject,
    on: date,
    *,
    kind: ContactKind = ContactKind.CALL,
    outcome: ContactOutcome = ContactOutcome.COMPLIED,
) -> None:
    uow.session.add(
        Contact(subject_id=subject.id, kind=kind, occurred_on=on, outcome=outcome, recorded_at=NOW)
    )


def add_check(uow: UnitOfWork, subject: Subject, on: date, kind: CheckKind) -> None:
    uow.session.add(
        Check(
            subject_id=subject.id,
            kind=kind,
            done_on=on,
            result=CheckResult.NO_CONCERNS,
            recorded_at=NOW,
        )
    )


def add_monthly_duty(uow: UnitOfWork, order: Order, day: int = 5) -> None:
    uow.session.add(
        Condition(
            order_id=order.id,
            number=1,
            category=ConditionCategory.FINANCIAL,
            wording="Bank statements monthly.",
            duty=DutyKind.MONTHLY_BY_DAY,
            duty_days=day,
            duty_description=f"bank statements monthly by the {day}th",
        )
    )


def parse_blocks(blocks: list[dict[str, Any]]) -> None:
    """Every block through slack_sdk's models, which raise on limits they know."""
    assert len(blocks) <= 50
    for block in Block.parse_all(blocks):
        block.validate_json()


def make_caseload(uow: UnitOfWork, size: int, today: date, *, first: int = 1) -> None:
    """`size` subjects (numbered from `first`) with every kind of record the digest reads."""
    officers = [officer_id(uow, s) for s in ("U0OFF1", "U0OFF2", "U0SUPER")]
    risks = list(RiskLevel)
    for n in range(first, first + size):
        pre = n % 5 == 0
        subject, order = add_subject(
            uow,
            n,
            risk=risks[n % 4],
            custody=CustodyStatus.IN_CUSTODY if pre else CustodyStatus.IN_COMMUNITY,
            district=["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"][n % 5],
            officer=officers[n % 3],
            status=OrderStatus.AWAITING_ACTIVATION if pre else OrderStatus.ACTIVE,
            activated=today - timedelta(days=100 + n),
            expires=today + timedelta(days=30 + n) if not pre else None,
        )
        if pre:
            uow.session.add(
                ReleaseDate(
                    subject_id=subject.id,
                    kind=ReleaseDateKind.CRD,
                    on=today + timedelta(days=n % 40),
                    recorded_at=NOW - timedelta(days=3),
                )
            )
            if n % 10 == 0:
                uow.session.add(EducationVisit(order_id=order.id, done_on=today))
            continue
        add_monthly_duty(uow, order)
        for k in range(3):
            add_contact(
                uow,
                subject,
                today - timedelta(days=7 + 11 * k + n % 9),
                kind=ContactKind.HOME_VISIT if k == 1 else ContactKind.CALL,
            )
        add_check(uow, subject, today - timedelta(days=n % 60), CheckKind.FINANCIAL)
        if n % 3 == 0:
            uow.session.add(
                BreachReport(
                    ref=f"BR-{n:05d}",
                    subject_id=subject.id,
                    status=BreachStatus.NEW,
                    source="message",
                    reporter_slack_id="U0LEEDS",
                    district=subject.district,
                    text="Seen (test).",
                    received_at=NOW - timedelta(days=n % 6),
                )
            )
            uow.session.add(
                FollowUp(
                    subject_id=subject.id,
                    kind=FollowUpKind.WARNING_LETTER if n % 2 else FollowUpKind.CPS_FILE,
                    due_on=today - timedelta(days=n % 3),
                )
            )
        if n % 4 == 0:
            uow.session.add(
                Task(
                    ref=f"T-{n:05d}",
                    subject_id=subject.id,
                    district=subject.district,
                    kind=TaskKind.CURFEW_CHECK,
                    due_on=today - timedelta(days=n % 3),
                )
            )
        if n % 7 == 0:
            checklist = Checklist(
                kind=ChecklistKind.SYSTEMS,
                order_id=order.id,
                subject_id=subject.id,
                opened_on=today - timedelta(days=9),
            )
            uow.session.add(checklist)
            uow.session.flush()
            for name in ("PNC", "ViSOR"):
                uow.session.add(ChecklistStep(checklist_id=checklist.id, name=name))
