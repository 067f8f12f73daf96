"""Court outcomes a court record can rely on: a charge not before the order or the breach, a
sentence within the s.25 maximum, one sentence per charge unless an appeal varies it, and a
custody sentence putting the subject in custody so community work pauses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.court_rules import breach_date, check_charge_date, check_sentence_term
from lom_bot.domain.enums import AssessmentOutcome, CustodyStatus
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due import LineKind
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, BreachReport, CourtOutcome, Subject
from tests.test_breach_assessment import decide, reported
from tests.test_breach_support import db_url, seeded_template  # noqa: F401  (fixtures)
from tests.test_breach_support import demo as demo
from tests.test_handlers_dispatch import context


def count(rt: Runtime) -> int:
    with rt.uow() as uow:
        return uow.session.scalar(select(func.count(CourtOutcome.id))) or 0


def subject_of(rt: Runtime, breach_ref: str) -> Subject:
    with rt.uow() as uow:
        report = uow.session.scalars(
            select(BreachReport).where(BreachReport.ref == breach_ref)
        ).one()
        return uow.session.get_one(Subject, report.subject_id)


def charged(rt: Runtime, officer: Actor) -> str:
    ref = decide(rt, officer, reported(rt), AssessmentOutcome.CPS_FILE).ref
    ctx = context(rt, officer)
    for text in (f"breach court {ref} charge s.25 SCA 2007", f"breach court {ref} plea guilty"):
        assert dispatch(ctx, text).text.startswith(":scales:"), text
    return str(ref)


def test_the_rules_in_the_domain() -> None:
    with pytest.raises(InvalidInput, match="before the order was made"):
        check_charge_date(date(2020, 1, 1), breach_on=None, order_made=date(2021, 1, 1))
    with pytest.raises(InvalidInput, match="before the breach"):
        check_charge_date(date(2026, 1, 1), breach_on=date(2026, 2, 1), order_made=None)
    check_charge_date(date(2026, 3, 1), breach_on=date(2026, 2, 1), order_made=date(2021, 1, 1))
    with pytest.raises(InvalidInput, match=r"exceeds the maximum for a s\.25 offence"):
        check_sentence_term("s.25", "custody", 72)
    check_sentence_term("s.25", "custody", 60)
    check_sentence_term(None, "custody", 72)  # another offence: its own maximum, not checked here
    with pytest.raises(InvalidInput, match="suspended sentence is at most 24 months"):
        check_sentence_term("s.25", "suspended", 30)
    check_sentence_term("s.25", "community_order", 150)  # hours, not a term
    assert breach_date("seen 03/11/2026 at 14:00") == date(2026, 11, 3)
    assert breach_date("yesterday 14:00") is None


def test_a_charge_dated_before_the_order_was_made_is_refused(demo: Runtime, officer: Actor) -> None:
    ref = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE).ref
    before = count(demo)
    reply = dispatch(context(demo, officer), f"breach court {ref} charge s.25 on 01/01/2015")
    assert "before the order was made" in reply.text and count(demo) == before


def test_a_72_month_sentence_for_s25_is_refused_and_writes_nothing(
    demo: Runtime, officer: Actor
) -> None:
    ref = charged(demo, officer)
    before = count(demo)
    reply = dispatch(context(demo, officer), f"breach court {ref} sentence custody 72")
    assert "exceeds the maximum for a s.25 offence" in reply.text and count(demo) == before


def test_a_second_sentence_for_one_charge_needs_an_appeal(demo: Runtime, officer: Actor) -> None:
    ref = charged(demo, officer)
    ctx = context(demo, officer)
    assert dispatch(ctx, f"breach court {ref} sentence suspended 12").text.startswith(":scales:")
    before = count(demo)
    again = dispatch(ctx, f"breach court {ref} sentence custody 12")
    assert "already has its sentence" in again.text and count(demo) == before
    appealed = dispatch(ctx, f"breach court {ref} sentence custody 6 appeal").text
    assert appealed.startswith(":scales:") and "on appeal" in appealed


def test_a_custody_sentence_puts_the_subject_in_custody_and_pauses_community_work(
    demo: Runtime, officer: Actor
) -> None:
    ref = charged(demo, officer)
    assert subject_of(demo, ref).custody_status is CustodyStatus.IN_COMMUNITY
    community = {LineKind.CONTACT, LineKind.HOME_VISIT, LineKind.CHECKS, LineKind.DUTY}
    with demo.uow() as uow:
        lines = build_daily_digest(uow, demo.clock.today()).lines
    mine = subject_of(demo, ref).ref
    assert [x for x in lines if x.subject_ref == mine and x.kind in community]  # due before
    reply = dispatch(context(demo, officer), f"breach court {ref} sentence custody 18")
    assert "is now recorded as in custody" in reply.text and "pause" in reply.text
    subject = subject_of(demo, ref)
    assert subject.custody_status is CustodyStatus.IN_CUSTODY
    with demo.uow() as uow:
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "subject.custody_status")
        ).all()
    assert audit
    with demo.uow() as uow:
        lines = build_daily_digest(uow, demo.clock.today()).lines
    assert not [x for x in lines if x.subject_ref == subject.ref and x.kind in community]
