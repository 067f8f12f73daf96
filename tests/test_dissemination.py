"""Dissemination records for intelligence (recipient from app.yaml, date, handling, purpose),
shown on the card and audited as a disclosure; a concern check raised as a possible breach."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import CheckKind, CheckResult, HandlingCode, IntelGrade, SourceGrade
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotAuthorised, NotFound
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.handlers.registry import CommandContext
from lom_bot.runtime import Runtime
from lom_bot.services.check_breach import raise_breach_from_check
from lom_bot.services.corrections import record_ref
from lom_bot.services.dissemination import ShareIntel, record_dissemination
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.records import LogCheck, log_check
from lom_bot.store.tables import (
    AuditEntry,
    BreachReport,
    Check,
    Dissemination,
    Intelligence,
    OutboxMessage,
    Subject,
)
from tests.conftest import TODAY

INTEL = "INT-D0013"


@pytest.fixture
def demo(demo: Runtime) -> Runtime:
    """The demo with the shareable intelligence item these tests use (the seed draws which
    subjects have one)."""
    with demo.uow() as uow:
        if uow.session.scalar(select(Intelligence.id).where(Intelligence.ref == INTEL)) is None:
            subject = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0013")).one()
            uow.session.add(
                Intelligence(
                    ref=INTEL,
                    subject_id=subject.id,
                    text="Reported to be using a second phone (test).",
                    source_grade=list(SourceGrade)[1],
                    intel_grade=list(IntelGrade)[1],
                    handling=HandlingCode.MAY_SHARE,
                    recorded_at=datetime(2026, 11, 5, 11, tzinfo=UTC),
                    review_on=date(2032, 11, 25),
                )
            )
            uow.commit()
    return demo


def _counts(rt: Runtime) -> dict[str, int]:
    with rt.uow() as uow:
        return {
            t.__name__: int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (AuditEntry, Dissemination, BreachReport, OutboxMessage)
        }


def test_a_dissemination_is_recorded_shown_on_the_card_and_audited_as_a_disclosure(
    demo: Runtime, officer: Actor
) -> None:
    shared = record_dissemination(
        demo.uow(), officer, ShareIntel(INTEL, "rocu", TODAY, "to corroborate the network")
    )
    assert (shared.recipient, shared.handling) == ("ROCU", "P")
    with demo.uow() as uow:
        row = uow.session.scalars(select(Dissemination)).all()[-1]
        entry = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "intel.disseminated")
        ).one()
        card = load_card(uow, officer, "LOM-0013", with_intel=True)
    assert (row.recipient, row.handling, row.purpose) == ("ROCU", "P", "to corroborate the network")
    assert entry.action == "disclosure" and entry.detail["recipient"] == "ROCU"
    assert entry.purpose == "to corroborate the network"
    assert any("ROCU" in s for s in card.shared[INTEL])


@pytest.mark.parametrize(
    ("cmd", "error"),
    [
        (ShareIntel("INT-99999", "ROCU", TODAY, "x"), NotFound),
        (ShareIntel(INTEL, "Interpol", TODAY, "x"), InvalidInput),
        (ShareIntel(INTEL, "ROCU", date(2026, 12, 25), "x"), InvalidInput),
        (ShareIntel(INTEL, "ROCU", date(2001, 1, 1), "x"), InvalidInput),
        (ShareIntel(INTEL, "ROCU", TODAY, "  "), InvalidInput),
        (ShareIntel(INTEL, "ROCU", TODAY, "x", handling="Z"), InvalidInput),
    ],
)
def test_bad_disseminations_are_refused_and_nothing_is_written(
    demo: Runtime, officer: Actor, cmd: ShareIntel, error: type[Exception]
) -> None:
    before = _counts(demo)
    with pytest.raises(error):
        record_dissemination(demo.uow(), officer, cmd)
    assert _counts(demo) == before


def test_the_same_dissemination_twice_is_refused(demo: Runtime, officer: Actor) -> None:
    record_dissemination(demo.uow(), officer, ShareIntel(INTEL, "NCA", TODAY, "x"))
    before = _counts(demo)
    with pytest.raises(AlreadyDone):
        record_dissemination(demo.uow(), officer, ShareIntel(INTEL, "NCA", TODAY, "again"))
    assert _counts(demo) == before


def test_a_district_officer_may_not_record_sharing_and_only_the_refusal_is_audited(
    demo: Runtime, leeds_officer: Actor
) -> None:
    before = _counts(demo)
    with pytest.raises(NotAuthorised):
        record_dissemination(demo.uow(), leeds_officer, ShareIntel(INTEL, "NCA", TODAY, "x"))
    assert _counts(demo) == {**before, "AuditEntry": before["AuditEntry"] + 1}


def test_the_share_command_reads_a_district_a_date_and_the_purpose(
    demo: Runtime, officer: Actor
) -> None:
    ctx = CommandContext(demo, officer, "U0OFF1", "C0LOMTEAM", None, None, True)  # type: ignore[arg-type]
    reply = dispatch(ctx, f"intel share {INTEL} Leeds 25/11/2026 briefing for passing attention")
    assert "Leeds district" in reply.text and "25/11/2026" in reply.text


def _concern(rt: Runtime, officer: Actor, result: CheckResult = CheckResult.CONCERN) -> str:
    logged = log_check(
        rt.uow(),
        officer,
        LogCheck("LOM-0013", CheckKind.ANPR, result, TODAY, "YX19 ABC at Hull docks 03:10"),
    )
    return record_ref("check", logged.record_id)


def test_a_concern_check_is_raised_as_a_possible_breach_linked_both_ways(
    demo: Runtime, officer: Actor
) -> None:
    ref = _concern(demo, officer)
    breach = raise_breach_from_check(demo.uow(), officer, ref)
    with demo.uow() as uow:
        report = uow.session.scalars(select(BreachReport).where(BreachReport.ref == breach)).one()
        check = uow.session.scalars(select(Check).order_by(Check.id.desc())).first()
        triage = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == "C0TRIAGE")
        ).all()
    assert check is not None and check.breach_id == report.id
    assert report.source == "check" and ref in report.text and "Hull docks" in report.text
    assert triage
    before = _counts(demo)
    with pytest.raises(AlreadyDone):
        raise_breach_from_check(demo.uow(), officer, ref)
    assert _counts(demo) == before


def test_a_check_with_no_concerns_is_not_raised(demo: Runtime, officer: Actor) -> None:
    ref = _concern(demo, officer, CheckResult.NO_CONCERNS)
    before = _counts(demo)
    with pytest.raises(InvalidInput):
        raise_breach_from_check(demo.uow(), officer, ref)
    with pytest.raises(NotFound):
        raise_breach_from_check(demo.uow(), officer, "CHK-99999")
    assert _counts(demo) == before


def test_a_concern_checks_confirmation_offers_the_button(demo: Runtime, officer: Actor) -> None:
    from tests.test_task_results import valid_blocks

    ctx = CommandContext(demo, officer, "U0OFF1", "C0LOMTEAM", None, None, True)  # type: ignore[arg-type]
    reply = dispatch(ctx, "check LOM-0013 anpr concern today YX19 ABC at Hull docks")
    assert reply.blocks is not None
    button = valid_blocks(reply.blocks)[-1]["elements"][0]
    assert button["text"]["text"] == "Raise as possible breach"
    assert button["value"].startswith("check breach CHK-")
