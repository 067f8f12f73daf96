"""Shared setup for the transfer pack tests: a rich record at one force, a second force's bot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import AppConfig, Settings, load_app_config
from lom_bot.domain.clock import FixedClock
from lom_bot.domain.enums import (
    AssessmentOutcome,
    BreachStatus,
    ConditionCategory,
    DutyKind,
    FollowUpKind,
    HandlingCode,
    IntelGrade,
    OrderStatus,
    ReleaseDateKind,
    SourceGrade,
)
from lom_bot.store.tables import (
    Alias,
    Assessment,
    Associate,
    Base,
    BreachEdit,
    BreachReport,
    Condition,
    CourtOutcome,
    Dissemination,
    Document,
    EducationVisit,
    FollowUp,
    Intelligence,
    Order,
    OrderEvent,
    ReleaseDate,
    Subject,
    User,
)

ROOT = Path(__file__).resolve().parents[1]
RECEIVING = "Greater Manchester Police"
UTC_NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def receiving(tmp_path: Path, sqlite_template: Path, clock: FixedClock) -> Iterator[Runtime]:
    """A second lom-bot: another force (examples/receiving-force.yaml), another database."""
    import shutil

    path = tmp_path / "receiving.sqlite3"
    shutil.copy(sqlite_template, path)
    config = load_app_config(ROOT / "examples" / "receiving-force.yaml")
    settings = Settings(
        database_url=f"sqlite:///{path}", lom_config=ROOT / "examples" / "receiving-force.yaml"
    )
    rt = build_runtime(settings, config=config, clock=clock, migrate=False)
    yield rt
    rt.close()


def receiving_config() -> AppConfig:
    return load_app_config(ROOT / "examples" / "receiving-force.yaml")


def enrich(rt: Runtime) -> str:
    """The first subject with an active order, given one of every kind of record the pack
    carries (a handling-C item that must be withheld among them); returns its reference."""
    with rt.sessions() as s:
        order = s.scalars(
            select(Order).where(Order.status == OrderStatus.ACTIVE).order_by(Order.id)
        ).first()
        assert order is not None
        subject = s.get_one(Subject, order.subject_id)
        officer = s.scalars(select(User.id).where(User.slack_id == "U0OFF1")).one()
        _order_history(s, order, officer)
        s.add(Alias(subject_id=subject.id, name="Transfer Testcase"))
        s.add(Associate(subject_id=subject.id, name="Wayne Associate", notes="co-defendant"))
        s.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=ReleaseDateKind.LED,
                on=date(2029, 3, 1),
                recorded_at=UTC_NOON,
                recorded_by=officer,
            )
        )
        shared = Intelligence(
            ref="INT-90001",
            subject_id=subject.id,
            text="Seen driving a grey Audi A3 near Leeds station.",
            source_grade=SourceGrade.RELIABLE,
            intel_grade=IntelGrade.INDIRECT_CORROBORATED,
            handling=HandlingCode.MAY_SHARE,
            breach_opportunity=True,
            recorded_by=officer,
            recorded_at=UTC_NOON,
            review_on=date(2032, 11, 20),
        )
        kept = Intelligence(
            ref="INT-90002",
            subject_id=subject.id,
            text="Covert source: meeting planned at the Fictional Arms.",
            source_grade=SourceGrade.UNTESTED,
            intel_grade=IntelGrade.INDIRECT,
            handling=HandlingCode.CONDITIONS,
            handling_conditions="Not outside West Yorkshire without the DI's consent.",
            recorded_by=officer,
            recorded_at=UTC_NOON,
        )
        s.add_all([shared, kept])
        s.flush()
        s.add(
            Dissemination(
                intelligence_id=shared.id,
                recipient="ROCU",
                shared_on=date(2026, 11, 21),
                shared_by=officer,
            )
        )
        condition = s.scalars(select(Condition).where(Condition.order_id == order.id)).first()
        breach = BreachReport(
            ref="BR-90001",
            subject_id=subject.id,
            status=BreachStatus.ASSESSED,
            source="message",
            reporter_slack_id="U0LEEDS",
            channel_id="C0LEEDS",
            message_ts="1764000000.000100",
            district="Leeds",
            text="Saw him with two phones outside the bookies.",
            seen_at="yesterday 14:00",
            seen_where="Briggate",
            condition_id=condition.id if condition else None,
            match_score=97,
            match_reason="PNC ID in the message",
            received_at=UTC_NOON,
        )
        s.add(breach)
        s.flush()
        s.add(
            BreachEdit(
                breach_id=breach.id,
                kind="reply",
                text="He ran off.",
                by_slack_id="U0LEEDS",
                at=UTC_NOON,
            )
        )
        s.add(
            Assessment(
                breach_id=breach.id,
                outcome=AssessmentOutcome.FIRST_WARNING,
                rationale="First failure; phone seen but not seized.",
                decided_by=officer,
                decided_at=UTC_NOON + timedelta(hours=3),
            )
        )
        follow_up = FollowUp(
            breach_id=breach.id,
            subject_id=subject.id,
            kind=FollowUpKind.WARNING_LETTER,
            due_on=date(2026, 11, 28),
            done_on=date(2026, 11, 22),
            owner_id=officer,
            note="served by hand",
        )
        s.add(follow_up)
        s.flush()
        charge = CourtOutcome(
            breach_id=breach.id,
            kind="charge",
            detail={"offence": "s.25 SCA 2007", "charged_on": "2026-11-23"},
            on=date(2026, 11, 23),
            court="Leeds Magistrates' Court",
            recorded_by=officer,
            offence="Failing to comply with an SCPO",
            section="s.25",
        )
        s.add(charge)
        s.flush()
        s.add(
            CourtOutcome(
                breach_id=breach.id,
                kind="sentence",
                detail={"disposal": "custody", "months": 8},
                on=date(2026, 11, 24),
                court="Leeds Crown Court",
                recorded_by=officer,
                charge_id=charge.id,
                offence="Failing to comply with an SCPO",
                section="s.25",
                plea="guilty",
                disposal="custody",
                custody_months=8,
                penalty="and a victim surcharge",
                new_order=False,
            )
        )
        s.add(
            Document(
                subject_id=subject.id,
                kind="warning_letter",
                filename=f"{subject.ref}-warning-letter-2026-11-22.docx",
                content=b"PK\x03\x04 a letter's bytes \x00\xff",
                follow_up_id=follow_up.id,
                created_by=officer,
                created_at=UTC_NOON,
            )
        )
        s.commit()
        ref = subject.ref
    # a pack goes with a transfer out under way (the sending side's checklist)
    from lom_bot.services import orders as o
    from tests.conftest import actor_for

    o.transfer_out(rt.uow(), actor_for(rt, "U0SUPER"), o.TransferOut(ref, RECEIVING))
    return ref


def _order_history(s: Session, order: Order, officer: int) -> None:
    """A variation (version 2 with an ended condition), a visit, and their recorded events."""
    number = (
        s.scalar(select(func.max(Condition.number)).where(Condition.order_id == order.id)) or 0
    ) + 1
    s.add(
        Condition(
            order_id=order.id,
            number=number,
            category=ConditionCategory.TRAVEL,
            wording=(
                "Not to travel outside the United Kingdom without 7 days' written notice "
                "to the police."
            ),
            duty=DutyKind.NONE,
            active=False,
            ends_on=date(2026, 10, 1),
        )
    )
    s.add(
        EducationVisit(
            order_id=order.id,
            booked_for=date(2026, 9, 1),
            done_on=date(2026, 9, 2),
            outcome="acknowledged",
            acknowledged=[1, 2],
            service_evidence="in person at HMP Leeds",
            officer_id=officer,
        )
    )
    order.version = 2
    s.add(
        OrderEvent(
            order_id=order.id,
            kind="varied_s17",
            status_from="active",
            status_to="active",
            effective_on=date(2026, 10, 1),
            note="Travel condition removed on variation",
            snapshot={"ref": order.ref, "status": "active", "version": 2, "conditions": []},
            recorded_by=officer,
            recorded_at=UTC_NOON - timedelta(days=50),
        )
    )


def table_counts(rt: Runtime) -> dict[str, int]:
    """Rows in every table but the audit log's: a refusal or a dry run changes none of them."""
    with rt.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
            # refusals are audited; seen_events holds request keys (replay protection), which
            # every click records whatever it then does
            if t.name not in ("audit_log", "audit_head", "seen_events")
        }


def columns(model: type[Base], exclude: set[str]) -> list[str]:
    return [c.key for c in inspect(model).columns if c.key not in exclude]


def as_dicts(rows: Any, model: type[Base], exclude: set[str]) -> list[dict[str, Any]]:
    keys = columns(model, exclude)
    return [{k: getattr(r, k) for k in keys} for r in rows]
