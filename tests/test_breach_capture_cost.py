"""Capturing one district message costs a fixed number of SQL statements, however much history
the subject has; the triage card's history and escalation prompt are read in those statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from lom_bot.domain.enums import AssessmentOutcome, BreachStatus, ContactKind, ContactOutcome
from lom_bot.runtime import Runtime
from lom_bot.services import breach_followup as follow
from lom_bot.services.breach_view import triage_view
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Assessment, BreachReport, Contact, Subject
from tests import test_breach_support as support
from tests.conftest import both_databases, counting
from tests.test_breach_support import say

# a demo database seeded once per session and copied per test (see test_breach_support)
db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

BUSY, QUIET = "LOM-0003", "LOM-0023"  # both in Leeds; the demo gives LOM-0023 no history
TODAY = date(2026, 11, 25)


def subject_id(rt: Runtime, ref: str) -> int:
    with rt.uow() as uow:
        return uow.session.scalars(select(Subject.id).where(Subject.ref == ref)).one()


def add_history(
    rt: Runtime,
    ref: str,
    decided_by: int,
    contacts: list[tuple[date, ContactOutcome]],
    reports: list[tuple[date, AssessmentOutcome | None]],
) -> None:
    """Contacts and earlier (possibly assessed) breach reports, written directly."""
    sid = subject_id(rt, ref)
    with rt.uow() as uow:
        for n, (on, outcome) in enumerate(contacts):
            uow.session.add(
                Contact(
                    subject_id=sid,
                    kind=ContactKind.HOME_VISIT,
                    occurred_on=on,
                    outcome=outcome,
                    recorded_at=uow.clock.now(),
                    request_key=f"history-{ref}-{n}",
                )
            )
        for n, (on, decision) in enumerate(reports):
            at = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
            report = BreachReport(
                ref=f"BR-H{sid:03d}{n:02d}",
                subject_id=sid,
                status=BreachStatus.ASSESSED if decision else BreachStatus.NEW,
                source="command",
                reporter_slack_id="U0LEEDS",
                text="Seen with a second phone",
                received_at=at,
            )
            uow.session.add(report)
            uow.session.flush()
            if decision is not None:
                uow.session.add(
                    Assessment(
                        breach_id=report.id,
                        outcome=decision,
                        rationale="Seen by two officers.",
                        excuse_accepted=False,
                        decided_by=decided_by,
                        decided_at=at + timedelta(hours=1),
                    )
                )
        uow.session.commit()


def capture_statements(rt: Runtime, ref: str, n: int) -> int:
    with counting(rt) as seen:
        result = say(
            rt,
            f"Seen {ref} driving a hire van on the ring road with two men",
            ts=f"1764064900.{n:06d}",
            event_id=f"EvCost{n}",
        )
    assert result is not None and result.created and result.subject_ref == ref
    return len(seen)


@both_databases
def test_capturing_a_message_costs_the_same_for_a_subject_with_a_long_history(
    demo: Runtime, officer: Actor
) -> None:
    busy = [(TODAY - timedelta(days=3 * n), ContactOutcome.COMPLIED) for n in range(1, 60)]
    busy += [
        (TODAY - timedelta(days=11 * n), ContactOutcome.UNACCEPTABLE_ABSENCE) for n in range(1, 9)
    ]
    decided = [AssessmentOutcome.FIRST_WARNING, AssessmentOutcome.NO_BREACH, None]
    add_history(
        demo,
        BUSY,
        officer.user_id,
        busy,
        [(TODAY - timedelta(days=9 * n), decided[n % 3]) for n in range(1, 25)],
    )
    say(demo, f"Seen {QUIET} at the car wash", ts="1764064900.000000")  # warm the directory
    quiet = capture_statements(demo, QUIET, 1)
    assert capture_statements(demo, BUSY, 2) == quiet
    # the dedupe check with the directory's stamp, the event id, the subject with its orders
    # and conditions, the report (its id first on PostgreSQL; its reference after it on
    # SQLite), contacts, reports, the outbox (one INSERT per message on SQLite), the audit
    # head, entries and new head; and SQLite's BEGIN IMMEDIATE; and the escalation rule's
    # failures (services/escalation.py: current order, contacts, checks, assessed reports)
    assert quiet == (17 if demo.engine.dialect.name == "sqlite" else 15)


def test_the_card_lists_the_latest_contacts_and_reports_newest_first(
    demo: Runtime, officer: Actor
) -> None:
    add_history(
        demo,
        QUIET,
        officer.user_id,
        [
            (date(2026, 11, 20), ContactOutcome.COMPLIED),
            (date(2026, 11, 18), ContactOutcome.UNACCEPTABLE_ABSENCE),
            (date(2026, 11, 10), ContactOutcome.COMPLIED),
            (date(2026, 11, 2), ContactOutcome.COMPLIED),
            (date(2026, 10, 28), ContactOutcome.COMPLIED),
            (date(2026, 10, 1), ContactOutcome.COMPLIED),  # the sixth: not shown
        ],
        [
            (date(2026, 11, 18), AssessmentOutcome.FIRST_WARNING),
            (date(2026, 11, 1), None),
        ],
    )
    result = say(demo, f"Seen {QUIET} with cash at the car wash")
    assert result is not None
    with demo.uow() as uow:
        view = triage_view(uow, uow.session.get_one(BreachReport, result.breach_id))
    sid = subject_id(demo, QUIET)
    assert view.history == (
        "20/11/2026 home visit: attended complied",
        "18/11/2026 home visit: unacceptable absence",
        f"18/11/2026 breach report BR-H{sid:03d}00: first warning letter",
        "10/11/2026 home visit: attended complied",
        "02/11/2026 home visit: attended complied",
        f"01/11/2026 breach report BR-H{sid:03d}01: new",
        "28/10/2026 home visit: attended complied",
    )


@both_databases
def test_the_card_prompts_escalation_exactly_as_the_assessment_does(
    demo: Runtime, officer: Actor
) -> None:
    """The card reads the failures in the escalation window with its history, in its own
    statements, and its decision with the assessment line; both share the wording
    (follow.escalation_wording), so the card's prompt equals follow.escalation_prompt's (which
    reads them apart) only when the card read the same failures, in the same order, and the same
    decision: before a decision and after each kind of decision."""
    add_history(
        demo,
        BUSY,
        officer.user_id,
        [
            (TODAY - timedelta(days=400), ContactOutcome.FAILED_TO_COMPLY),  # outside the window
            (TODAY - timedelta(days=90), ContactOutcome.FAILED_TO_COMPLY),
            (TODAY - timedelta(days=30), ContactOutcome.UNACCEPTABLE_ABSENCE),
        ],
        [
            (TODAY - timedelta(days=60), AssessmentOutcome.FIRST_WARNING),
            (TODAY - timedelta(days=45), AssessmentOutcome.NO_BREACH),
        ],
    )
    decisions = [
        None,
        (AssessmentOutcome.FIRST_WARNING, False),
        (AssessmentOutcome.FINAL_WARNING, True),
        (AssessmentOutcome.ADVICE, False),
        (AssessmentOutcome.NO_BREACH, False),
        (AssessmentOutcome.ARREST, False),
    ]
    prompts = set()
    for n, decision in enumerate(decisions):
        result = say(demo, f"Seen {BUSY} with a phone", ts=f"1764065000.{n:06d}")
        assert result is not None
        with demo.uow() as uow:
            report = uow.session.get_one(BreachReport, result.breach_id)
            if decision is not None:
                uow.session.add(
                    Assessment(
                        breach_id=report.id,
                        outcome=decision[0],
                        rationale="Seen by two officers.",
                        excuse_accepted=decision[1],
                        decided_by=officer.user_id,
                        decided_at=uow.clock.now(),
                    )
                )
                uow.session.flush()
            expected = follow.escalation_prompt(uow, report.subject_id or 0, report.id)
            assert triage_view(uow, report).escalation == expected
            uow.session.commit()
        prompts.add(expected)
    assert None in prompts and len(prompts) >= 3  # both kinds of prompt, and none
