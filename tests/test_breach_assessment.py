"""Assessing breach reports: the decision, its follow-ups, escalation prompts, court outcomes,
and two officers deciding at once (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lom_bot.domain.enums import (
    AssessmentOutcome,
    BreachStatus,
    ContactKind,
    ContactOutcome,
    FollowUpKind,
    TaskKind,
)
from lom_bot.domain.errors import AlreadyDone, DomainError, GateClosed, InvalidInput, NotAuthorised
from lom_bot.domain.workdays import add_working_days
from lom_bot.runtime import Runtime
from lom_bot.services.breach_assess import AssessBreach, assess_breach
from lom_bot.services.breach_court import RecordCourtOutcome, record_court_outcome
from lom_bot.services.breach_followup import failures
from lom_bot.services.breach_view import triage_view
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.tables import Assessment, BreachReport, FollowUp, Task
from tests import test_breach_support as support
from tests.conftest import actor_for, both_databases
from tests.test_breach_support import LEEDS, TRIAGE, outbox, report_row, say, valid_blocks

# a demo database seeded once per session and copied per test (see test_breach_support)
db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

TODAY = date(2026, 11, 25)
SIGHTING = "Seen Shaun Madeup driving a white hire van on the ring road, two men with him"


def reported(rt: Runtime, text: str = SIGHTING, ts: str = "1764064800.000100") -> int:
    result = say(rt, text, ts)
    assert result is not None
    return result.breach_id


def decide(rt: Runtime, actor: Actor, breach: int, outcome: AssessmentOutcome, **kw: object):  # type: ignore[no-untyped-def]
    cmd = AssessBreach(
        breach,
        outcome,
        str(kw.get("rationale", "Seen by two officers.")),
        bool(kw.get("excuse", False)),
    )
    return assess_breach(rt.uow(), actor, cmd)


def follow_ups(rt: Runtime) -> list[FollowUp]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(FollowUp).order_by(FollowUp.id)))


def test_an_assessment_is_recorded_and_the_triage_post_and_reporter_are_updated(
    demo: Runtime, officer: Actor
) -> None:
    breach = reported(demo)
    result = decide(demo, officer, breach, AssessmentOutcome.FIRST_WARNING)
    report = report_row(demo, result.ref)
    assert report.status is BreachStatus.ASSESSED
    with demo.uow() as uow:
        a = uow.session.scalars(select(Assessment).where(Assessment.breach_id == breach)).one()
    assert (a.outcome, a.decided_by, a.excuse_accepted) == (
        AssessmentOutcome.FIRST_WARNING,
        officer.user_id,
        False,
    )
    update = [m for m in outbox(demo, TRIAGE) if m.method == "update"][-1]
    blocks = valid_blocks(update.payload["blocks"])
    shown = str(blocks)
    assert "First warning letter" in shown and officer.name in shown
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert ids == ["breach_prepare_letter", "breach_follow_up_done"]  # no outcome buttons now
    told = outbox(demo, LEEDS)[-1]
    assert told.payload["thread_ts"] == "1764064800.000100"
    assert "assessed" in told.payload["text"] and "warning" not in told.payload["text"].lower()


def test_a_warning_letter_gets_its_response_date(demo: Runtime, officer: Actor) -> None:
    decide(demo, officer, reported(demo), AssessmentOutcome.FIRST_WARNING)
    [f] = follow_ups(demo)
    assert (f.kind, f.due_on) == (FollowUpKind.WARNING_LETTER, TODAY + timedelta(days=7))


@pytest.mark.parametrize(
    ("outcome", "kind", "due", "task"),
    [
        (
            AssessmentOutcome.FINAL_WARNING,
            FollowUpKind.FINAL_WARNING_LETTER,
            TODAY + timedelta(7),
            False,
        ),
        (AssessmentOutcome.INTERVIEW, FollowUpKind.INTERVIEW, add_working_days(TODAY, 5), True),
        (AssessmentOutcome.ARREST, FollowUpKind.ARREST, TODAY, True),
        (AssessmentOutcome.CPS_FILE, FollowUpKind.CPS_FILE, add_working_days(TODAY, 10), False),
        (AssessmentOutcome.RECALL_REFERRAL, FollowUpKind.RECALL_REFERRAL, TODAY, False),
    ],
)
def test_each_outcome_creates_what_it_implies(
    demo: Runtime,
    officer: Actor,
    outcome: AssessmentOutcome,
    kind: FollowUpKind,
    due: date,
    task: bool,
) -> None:
    result = decide(demo, officer, reported(demo), outcome)
    [f] = follow_ups(demo)
    assert (f.kind, f.due_on) == (kind, due)
    with demo.uow() as uow:
        tasks = list(uow.session.scalars(select(Task).where(Task.breach_id.is_not(None))))
    assert len(tasks) == (1 if task else 0)
    if task:
        assert (tasks[0].district, tasks[0].kind, tasks[0].due_on) == ("Leeds", TaskKind.OTHER, due)
        assert any("Task T-" in line for line in result.follow_ups)


@pytest.mark.parametrize("outcome", [AssessmentOutcome.NO_BREACH, AssessmentOutcome.ADVICE])
def test_no_breach_and_advice_create_no_follow_up(
    demo: Runtime, officer: Actor, outcome: AssessmentOutcome
) -> None:
    decide(demo, officer, reported(demo), outcome, excuse=True)
    assert follow_ups(demo) == []


def test_the_second_decision_is_refused_naming_who_decided(demo: Runtime, officer: Actor) -> None:
    breach = reported(demo)
    decide(demo, officer, breach, AssessmentOutcome.ADVICE)
    other = actor_for(demo, "U0OFF2")
    with pytest.raises(AlreadyDone) as err:
        decide(demo, other, breach, AssessmentOutcome.ARREST)
    assert officer.name in err.value.message and "advice" in err.value.message
    assert len(follow_ups(demo)) == 0


def test_a_reasonable_excuse_rules_out_enforcement(demo: Runtime, officer: Actor) -> None:
    with pytest.raises(InvalidInput) as err:
        decide(demo, officer, reported(demo), AssessmentOutcome.FIRST_WARNING, excuse=True)
    assert "reasonable excuse" in err.value.message


def test_a_rationale_is_required(demo: Runtime, officer: Actor) -> None:
    with pytest.raises(InvalidInput) as err:
        decide(demo, officer, reported(demo), AssessmentOutcome.ADVICE, rationale="  ")
    assert err.value.field == "rationale"


def test_a_report_without_a_subject_can_only_be_closed_as_no_breach(
    demo: Runtime, officer: Actor
) -> None:
    breach = reported(demo, "Shaun seen driving a hire van")
    with pytest.raises(InvalidInput):
        decide(demo, officer, breach, AssessmentOutcome.ADVICE)
    assert (
        decide(demo, officer, breach, AssessmentOutcome.NO_BREACH).outcome
        is AssessmentOutcome.NO_BREACH
    )


def test_a_district_officer_may_not_assess(demo: Runtime, leeds_officer: Actor) -> None:
    with pytest.raises(NotAuthorised):
        decide(demo, leeds_officer, reported(demo), AssessmentOutcome.ADVICE)


def test_an_unknown_report_is_named(demo: Runtime, officer: Actor) -> None:
    with pytest.raises(DomainError) as err:
        assess_breach(demo.uow(), officer, AssessBreach("BR-99999", AssessmentOutcome.ADVICE, "x"))
    assert "BR-99999" in err.value.message


def _failed_contact(rt: Runtime, actor: Actor, on: date) -> None:
    log_contact(
        rt.uow(),
        actor,
        LogContact("LOM-0003", ContactKind.HOME_VISIT, ContactOutcome.UNACCEPTABLE_ABSENCE, on),
    )


def test_a_second_failure_within_twelve_months_prompts_escalation_beyond_letters(
    demo: Runtime, officer: Actor
) -> None:
    breach = reported(demo)
    ref = f"BR-{breach:05d}"
    subject_id = report_row(demo, ref).subject_id or 0
    with demo.uow() as uow:
        earlier = len(failures(uow, subject_id, exclude=breach))
        before = triage_view(uow, uow.session.get(BreachReport, breach)).escalation
    assert (before is not None) == (earlier + 1 >= 2)  # this report would be failure earlier+1
    _failed_contact(demo, officer, TODAY - timedelta(days=40))
    with demo.uow() as uow:
        prompt = triage_view(uow, uow.session.get(BreachReport, breach)).escalation
    assert prompt is not None and f"{earlier + 1} unacceptable failure" in prompt
    assert "beyond letters" in prompt and "prompt, not a decision" in prompt
    result = decide(demo, officer, breach, AssessmentOutcome.FIRST_WARNING)
    assert result.escalation is not None and "beyond letters" in result.escalation
    assert report_row(demo, result.ref).status is BreachStatus.ASSESSED  # a prompt, not a block


def test_escalation_beyond_letters_is_not_prompted_after_an_escalated_decision(
    demo: Runtime, officer: Actor
) -> None:
    _failed_contact(demo, officer, TODAY - timedelta(days=40))
    result = decide(demo, officer, reported(demo), AssessmentOutcome.INTERVIEW)
    assert result.escalation is None


def test_failures_older_than_the_window_do_not_prompt(demo: Runtime, officer: Actor) -> None:
    subject_id = report_row(demo, f"BR-{reported(demo):05d}").subject_id
    assert subject_id is not None
    with demo.uow() as uow:
        old = len(failures(uow, subject_id))
    _failed_contact(demo, officer, TODAY - timedelta(days=400))
    with demo.uow() as uow:
        assert len(failures(uow, subject_id)) == old
    _failed_contact(demo, officer, TODAY - timedelta(days=10))  # inside the window and order
    with demo.uow() as uow:
        assert len(failures(uow, subject_id)) == old + 1


def test_court_outcomes_are_recorded_in_order_against_the_breach(
    demo: Runtime, officer: Actor
) -> None:
    result = decide(demo, officer, reported(demo), AssessmentOutcome.CPS_FILE)

    def court(kind: str, **detail: object) -> str:
        return record_court_outcome(
            demo.uow(),
            officer,
            RecordCourtOutcome(result.ref, kind, TODAY, "Leeds Crown Court", dict(detail)),
        )

    with pytest.raises(GateClosed):
        court("plea", plea="guilty")
    court("charge", offence="s.25 Serious Crime Act 2007")
    with pytest.raises(GateClosed):
        court("sentence", type="custody", months=18)
    court("plea", plea="guilty")
    with pytest.raises(InvalidInput):
        court("sentence", type="custody")
    text = court("sentence", type="custody", months=18)
    assert "18 months" in text and "Leeds Crown Court" in text
    update = [m for m in outbox(demo, TRIAGE) if m.method == "update"][-1]
    assert "18 months" in str(valid_blocks(update.payload["blocks"]))


def test_court_outcomes_need_a_breach_and_a_past_date(demo: Runtime, officer: Actor) -> None:
    no = decide(demo, officer, reported(demo), AssessmentOutcome.NO_BREACH)
    with pytest.raises(GateClosed):
        record_court_outcome(demo.uow(), officer, RecordCourtOutcome(no.ref, "charge", TODAY))
    yes = decide(demo, officer, reported(demo, ts="1764064800.000999"), AssessmentOutcome.ARREST)
    with pytest.raises(InvalidInput):
        record_court_outcome(
            demo.uow(), officer, RecordCourtOutcome(yes.ref, "charge", TODAY + timedelta(days=1))
        )
    with pytest.raises(InvalidInput):
        record_court_outcome(demo.uow(), officer, RecordCourtOutcome(yes.ref, "appeal", TODAY))


@both_databases
def test_two_officers_deciding_at_once_the_first_wins_and_the_second_is_told(
    runtime: Runtime,
) -> None:
    from lom_bot.demo.seed import seed_demo

    seed_demo(runtime.uow())
    breach = reported(runtime)
    officers = [actor_for(runtime, "U0OFF1"), actor_for(runtime, "U0OFF2")]
    outcomes = [AssessmentOutcome.FIRST_WARNING, AssessmentOutcome.ARREST]
    start = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = decide(runtime, officers[i], breach, outcomes[i])
        except AlreadyDone as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    refused = [r for r in results if isinstance(r, AlreadyDone)]
    won = [i for i, r in enumerate(results) if not isinstance(r, AlreadyDone)]
    assert len(refused) == 1 and len(won) == 1
    winner = officers[won[0]]
    assert winner.name in refused[0].message
    with runtime.uow() as uow:
        [a] = uow.session.scalars(select(Assessment).where(Assessment.breach_id == breach)).all()
    assert a.decided_by == winner.user_id and a.outcome is outcomes[won[0]]
    assert len(follow_ups(runtime)) == 1


def test_a_follow_up_marked_done_leaves_the_due_list_once(demo: Runtime, officer: Actor) -> None:
    from lom_bot.services.breach_followup import complete_follow_up
    from lom_bot.services.due_load import open_follow_ups

    result = decide(demo, officer, reported(demo), AssessmentOutcome.FIRST_WARNING)
    [f] = follow_ups(demo)
    with demo.uow() as uow:
        assert f.id in {row.id for row in open_follow_ups(uow.session)}
    text = complete_follow_up(demo.uow(), officer, f"{result.ref} letter", "served by hand")
    assert "marked done" in text and result.ref in text
    with demo.uow() as uow:
        assert f.id not in {row.id for row in open_follow_ups(uow.session)}
    [done] = follow_ups(demo)
    assert done.done_on == TODAY and "served by hand" in (done.note or "")
    with pytest.raises(AlreadyDone):
        complete_follow_up(demo.uow(), officer, str(f.id))
    with pytest.raises(NotAuthorised):
        complete_follow_up(demo.uow(), actor_for(demo, "U0LEEDS"), str(f.id))
    with pytest.raises(DomainError):
        complete_follow_up(demo.uow(), officer, "BR-99999")
