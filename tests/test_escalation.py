"""Escalation on contacts and checks: two unacceptable failures in 12 months within the current
order prompt escalation on the card and in /lom due (one rule, shared with breach triage)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from lom_bot.domain.enums import CheckKind, CheckResult, ContactKind, ContactOutcome
from lom_bot.domain.escalation import window_start
from lom_bot.runtime import Runtime
from lom_bot.services.breach_followup import failures
from lom_bot.services.digest import due_for
from lom_bot.services.due import LineKind
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.records import LogCheck, LogContact, log_check, log_contact
from lom_bot.store.tables import Check, Contact, Order, Subject
from tests.conftest import TODAY

REF = "LOM-0001"  # the demo's: active from 16/09/2026, held by DC Olu Officer, one failure


@pytest.fixture
def demo(demo: Runtime, officer: Actor) -> Runtime:
    """The demo with REF's failures set to one known missed call in its order (whatever the
    seed drew): its failing contacts complied, its concern checks none."""
    with demo.uow() as uow:
        subject_id = uow.session.query(Subject.id).filter(Subject.ref == REF).scalar()
        uow.session.execute(
            update(Contact)
            .where(
                Contact.subject_id == subject_id,
                Contact.outcome.in_(
                    [ContactOutcome.UNACCEPTABLE_ABSENCE, ContactOutcome.FAILED_TO_COMPLY]
                ),
            )
            .values(outcome=ContactOutcome.COMPLIED)
        )
        uow.session.execute(
            update(Check)
            .where(Check.subject_id == subject_id, Check.result == CheckResult.CONCERN)
            .values(result=CheckResult.NO_CONCERNS)
        )
        uow.commit()
    _missed(demo, officer, TODAY - timedelta(days=20))
    return demo


def _missed(rt: Runtime, officer: Actor, on: date) -> None:
    log_contact(
        rt.uow(),
        officer,
        LogContact(REF, ContactKind.CALL, ContactOutcome.UNACCEPTABLE_ABSENCE, on),
    )


def _card_prompt(rt: Runtime, officer: Actor) -> str | None:
    with rt.uow() as uow:
        return load_card(uow, officer, REF, with_intel=False).escalation


def test_the_window_starts_at_the_later_of_twelve_months_and_the_order() -> None:
    assert window_start(TODAY, 12, None) == date(2025, 11, 25)
    assert window_start(TODAY, 12, date(2026, 3, 1)) == date(2026, 3, 1)
    assert window_start(TODAY, 12, date(2020, 3, 1)) == date(2025, 11, 25)


def test_two_missed_contacts_prompt_escalation_on_the_card_and_in_the_due_list(
    demo: Runtime, officer: Actor
) -> None:
    assert _card_prompt(demo, officer) is None  # one is not enough
    _missed(demo, officer, date(2026, 8, 1))  # before the order began: breached nothing
    assert _card_prompt(demo, officer) is None
    _missed(demo, officer, TODAY - timedelta(days=3))
    prompt = _card_prompt(demo, officer)
    assert prompt is not None and "2 unacceptable failures" in prompt
    due = due_for(demo.uow(), officer)
    lines = [x for x in due.lines if x.kind is LineKind.ESCALATION and x.subject_ref == REF]
    assert len(lines) == 1 and "beyond letters" in lines[0].what


def test_a_concern_check_counts_and_a_failure_before_the_order_began_does_not(
    demo: Runtime, officer: Actor
) -> None:
    with demo.uow() as uow:
        uow.session.execute(
            update(Order)
            .where(Order.subject_id == Subject.id, Subject.ref == REF)
            .values(activated_on=TODAY - timedelta(days=5), starts_on=TODAY - timedelta(days=5))
        )
        uow.commit()
        subject_id = uow.session.query(Subject.id).filter(Subject.ref == REF).scalar()
    _missed(demo, officer, TODAY - timedelta(days=30))  # before this order: breached nothing
    log_check(
        demo.uow(),
        officer,
        LogCheck(REF, CheckKind.ANPR, CheckResult.CONCERN, TODAY - timedelta(days=2), "Hull"),
    )
    with demo.uow() as uow:
        found = failures(uow, subject_id)
    assert [f.what for f in found] == [f"{(TODAY - timedelta(days=2)):%d/%m/%Y} anpr check concern"]
    assert _card_prompt(demo, officer) is None
