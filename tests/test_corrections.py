"""Corrections with history for every record kind: the record takes the new value, the earlier
value is kept with who, when and why (a reason is required), the card shows "corrected", and
the effects flow on: failure counts, triage cards already posted, the escalation prompt."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.blocks.card import subject_card
from lom_bot.blocks.history import history_blocks
from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import (
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
)
from lom_bot.domain.errors import DomainError, InvalidInput, NotAuthorised, NotFound
from lom_bot.domain.grading import Grading, parse_grading
from lom_bot.services.breaches import ReportBreach, report_breach
from lom_bot.services.corrections import Correct, correct_record, record_ref
from lom_bot.services.permissions import Actor
from lom_bot.services.readmodels.card import load_card
from lom_bot.services.record_history import record_history
from lom_bot.services.records import (
    LogCheck,
    LogContact,
    LogIntel,
    log_check,
    log_contact,
    log_intelligence,
)
from lom_bot.services.release_dates import record_release_date
from lom_bot.services.subject_edits import change_subject
from lom_bot.services.tasks import CreateTask, create_task
from lom_bot.store.tables import (
    AuditEntry,
    Contact,
    Correction,
    OutboxMessage,
    ReleaseDate,
    Subject,
    Task,
)
from tests.conftest import TODAY

SUBJECT = "LOM-0003"


def _count(rt: Runtime, table: type) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(table)) or 0)


def _contact(rt: Runtime, officer: Actor, outcome: ContactOutcome, days_ago: int = 1) -> str:
    logged = log_contact(
        rt.uow(),
        officer,
        LogContact(SUBJECT, ContactKind.PROBATION, outcome, TODAY - timedelta(days=days_ago)),
    )
    return record_ref("contact", logged.record_id)


def test_a_corrected_outcome_keeps_the_earlier_one_with_who_when_and_why(
    demo: Runtime, officer: Actor
) -> None:
    ref = _contact(demo, officer, ContactOutcome.FAILED_TO_COMPLY)
    done = correct_record(
        demo.uow(),
        officer,
        Correct(ref, "outcome", ContactOutcome.UNACCEPTABLE_ABSENCE, "typed the wrong outcome"),
    )
    assert done.before == "attended failed to comply" and done.after == "unacceptable absence"
    with demo.uow() as uow:
        contact = uow.session.get(Contact, int(ref.split("-")[1]))
        kept = uow.session.scalars(select(Correction).where(Correction.record_ref == ref)).one()
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "contact.corrected")
        ).one()
    assert contact is not None and contact.outcome is ContactOutcome.UNACCEPTABLE_ABSENCE
    assert contact.corrected_at is not None
    assert (kept.before, kept.after, kept.by_slack_id) == (
        "attended failed to comply",
        "unacceptable absence",
        "U0OFF1",
    )
    assert kept.reason == "typed the wrong outcome" and kept.correction
    assert audit.detail["reason"] == "typed the wrong outcome"


@pytest.mark.parametrize(
    ("field", "value", "reason", "error"),
    [
        ("outcome", ContactOutcome.COMPLIED, "", InvalidInput),  # no reason
        ("outcome", ContactOutcome.COMPLIED, "   ", InvalidInput),
        ("colour", "blue", "because", InvalidInput),  # not a field
        ("outcome", ContactOutcome.NO_CONTACT, "same", InvalidInput),  # already that
        ("outcome", ContactOutcome.ACCEPTABLE_ABSENCE, "excused", InvalidInput),  # no reason kept
        ("date", TODAY + timedelta(days=3), "wrong day", InvalidInput),  # in the future
        ("outcome", "complied", "not typed", InvalidInput),  # an untyped value
    ],
)
def test_a_bad_correction_is_refused_and_nothing_is_written(
    demo: Runtime, officer: Actor, field: str, value: object, reason: str, error: type
) -> None:
    ref = _contact(demo, officer, ContactOutcome.NO_CONTACT)
    before = (_count(demo, Correction), _count(demo, AuditEntry))
    with pytest.raises(error):
        correct_record(demo.uow(), officer, Correct(ref, field, value, reason))
    assert (_count(demo, Correction), _count(demo, AuditEntry)) == before
    with demo.uow() as uow:
        contact = uow.session.get(Contact, int(ref.split("-")[1]))
    assert contact is not None and contact.outcome is ContactOutcome.NO_CONTACT
    assert contact.corrected_at is None


@pytest.mark.parametrize(
    ("record", "error"), [("CON-99999", NotFound), ("XYZ-1", InvalidInput), ("", InvalidInput)]
)
def test_an_unknown_or_malformed_record_is_refused(
    demo: Runtime, officer: Actor, record: str, error: type
) -> None:
    with pytest.raises(error):
        correct_record(demo.uow(), officer, Correct(record, "outcome", "x", "why"))


def test_a_district_officer_is_refused_audited_and_nothing_else_written(
    demo: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = _contact(demo, officer, ContactOutcome.COMPLIED)
    before = (_count(demo, Correction), _count(demo, AuditEntry))
    with pytest.raises(NotAuthorised):
        correct_record(
            demo.uow(), leeds_officer, Correct(ref, "outcome", ContactOutcome.NO_CONTACT, "x")
        )
    assert (_count(demo, Correction), _count(demo, AuditEntry)) == (before[0], before[1] + 1)


def _failures_in_window(rt: Runtime, subject: str) -> int:
    from lom_bot.services.breach_followup import failures

    with rt.uow() as uow:
        sid = uow.session.scalar(select(Subject.id).where(Subject.ref == subject))
        assert sid is not None
        return len(failures(uow, sid))


def test_a_correction_to_a_failure_counts_and_raises_the_prompt_in_triage(
    demo: Runtime, officer: Actor
) -> None:
    start = _failures_in_window(demo, SUBJECT)
    for _ in range(max(0, 1 - start)):  # one failure already on record
        _contact(demo, officer, ContactOutcome.UNACCEPTABLE_ABSENCE, days_ago=20)
    ref = _contact(demo, officer, ContactOutcome.COMPLIED)
    counted = _failures_in_window(demo, SUBJECT)
    done = correct_record(
        demo.uow(),
        officer,
        Correct(ref, "outcome", ContactOutcome.UNACCEPTABLE_ABSENCE, "did not attend after all"),
    )
    assert _failures_in_window(demo, SUBJECT) == counted + 1
    assert done.prompt is not None and "consider escalation beyond letters" in done.prompt
    with demo.uow() as uow:
        posted = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.channel == demo.config.channels.triage.id)
        ).all()
    assert any("after a correction" in str(m.payload.get("text")) for m in posted)


def test_a_correction_away_from_a_failure_raises_no_prompt(demo: Runtime, officer: Actor) -> None:
    ref = _contact(demo, officer, ContactOutcome.UNACCEPTABLE_ABSENCE)
    before = _failures_in_window(demo, SUBJECT)
    done = correct_record(
        demo.uow(), officer, Correct(ref, "outcome", ContactOutcome.NO_CONTACT, "misread")
    )
    assert done.prompt is None and _failures_in_window(demo, SUBJECT) == before - 1


def test_a_triage_card_already_posted_is_refreshed_after_a_correction(
    demo: Runtime, officer: Actor
) -> None:
    reported = report_breach(
        demo.uow(), officer, ReportBreach("command", f"{SUBJECT} seen in a pub", "U0OFF1")
    )
    assert reported is not None
    ref = _contact(demo, officer, ContactOutcome.COMPLIED)
    updates = select(func.count(OutboxMessage.id)).where(OutboxMessage.method == "update")
    with demo.uow() as uow:
        before = uow.session.scalar(updates)
    correct_record(
        demo.uow(), officer, Correct(ref, "outcome", ContactOutcome.FAILED_TO_COMPLY, "misread")
    )
    with demo.uow() as uow:
        assert uow.session.scalar(updates) == (before or 0) + 1


def test_checks_intelligence_and_tasks_are_corrected_by_their_own_rules(
    demo: Runtime, officer: Actor
) -> None:
    check = log_check(
        demo.uow(), officer, LogCheck(SUBJECT, CheckKind.ANPR, CheckResult.NO_CONCERNS, TODAY)
    )
    cref = record_ref("check", check.record_id)
    with pytest.raises(InvalidInput, match="concern needs a note"):
        correct_record(demo.uow(), officer, Correct(cref, "result", CheckResult.CONCERN, "hit"))
    correct_record(demo.uow(), officer, Correct(cref, "notes", "YX19 ABC in Hull", "missed"))
    correct_record(demo.uow(), officer, Correct(cref, "result", CheckResult.CONCERN, "hit"))

    intel = log_intelligence(
        demo.uow(), officer, LogIntel(SUBJECT, "seen with a known associate", parse_grading("2BP"))
    )
    iref = f"INT-{intel.record_id:05d}"
    with pytest.raises(DomainError, match="Handling code C"):
        correct_record(demo.uow(), officer, Correct(iref, "grading", parse_grading("1AC"), "x"))
    done = correct_record(demo.uow(), officer, Correct(iref, "grading", parse_grading("1AP"), "y"))
    assert (done.before, done.after) == ("2BP", "1AP")
    assert isinstance(parse_grading("1AP"), Grading)

    with demo.uow() as uow:
        created = create_task(
            uow,
            officer,
            CreateTask(SUBJECT, TaskKind.CURFEW_CHECK, TODAY + timedelta(days=2), "check", None),
        )
    task = correct_record(
        demo.uow(), officer, Correct(created.ref, "due", TODAY + timedelta(days=5), "court moved")
    )
    assert task.record_ref == created.ref
    with demo.uow() as uow:
        row = uow.session.scalars(select(Task).where(Task.ref == created.ref)).one()
    assert row.due_on == TODAY + timedelta(days=5)


def test_a_release_date_correction_keeps_both_dates_and_the_card_and_history_show_them(
    demo: Runtime, officer: Actor
) -> None:
    first, second = date(2027, 3, 3), date(2027, 2, 17)
    record_release_date(demo.uow(), officer, SUBJECT, ReleaseDateKind.CRD, first)
    with pytest.raises(InvalidInput):  # a correction needs its reason
        record_release_date(
            demo.uow(), officer, SUBJECT, ReleaseDateKind.CRD, second, correction=True
        )
    record_release_date(
        demo.uow(),
        officer,
        SUBJECT,
        ReleaseDateKind.CRD,
        second,
        reason="prison recalculated",
        correction=True,
    )
    with demo.uow() as uow:
        kept = uow.session.scalars(
            select(ReleaseDate.on).where(ReleaseDate.kind == ReleaseDateKind.CRD)
        ).all()
        card = load_card(uow, officer, SUBJECT, with_intel=False)
    assert first in kept and second in kept
    blocks = subject_card(card, TODAY, intel_shown=False, buttons=True)
    Block.parse_all(blocks)
    assert "CRD 17/02/2027 _(corrected)_" in str(blocks)
    history = record_history(demo.uow(), officer, SUBJECT)
    shown = str(history_blocks(history, demo.clock.tz))
    Block.parse_all(history_blocks(history, demo.clock.tz))
    assert "03/03/2027" in shown and "17/02/2027" in shown and "prison recalculated" in shown


def test_subject_details_change_or_correct_with_history(demo: Runtime, officer: Actor) -> None:
    change_subject(demo.uow(), officer, SUBJECT, "risk", RiskLevel.VERY_HIGH)
    with pytest.raises(InvalidInput):
        change_subject(demo.uow(), officer, SUBJECT, "risk", RiskLevel.LOW, correction=True)
    change_subject(
        demo.uow(), officer, SUBJECT, "risk", RiskLevel.LOW, reason="wrong box", correction=True
    )
    with pytest.raises(InvalidInput, match="check letter"):
        change_subject(demo.uow(), officer, SUBJECT, "pnc", "19/0012345X", reason="typo")
    history = record_history(demo.uow(), officer, SUBJECT)
    risks = [(h.before, h.after, h.correction) for h in history.lines if h.field == "risk"]
    assert risks[-2:] == [(risks[-2][0], "very high", False), ("very high", "low", True)]
    with demo.uow() as uow:
        card = load_card(uow, officer, SUBJECT, with_intel=False)
    assert "low _(corrected)_" in str(subject_card(card, TODAY, intel_shown=False, buttons=True))


def test_the_card_marks_a_corrected_contact_and_offers_correct_on_each_line(
    demo: Runtime, officer: Actor
) -> None:
    ref = _contact(demo, officer, ContactOutcome.COMPLIED, days_ago=0)
    correct_record(
        demo.uow(), officer, Correct(ref, "outcome", ContactOutcome.NO_CONTACT, "not seen")
    )
    with demo.uow() as uow:
        card = load_card(uow, officer, SUBJECT, with_intel=False)
    blocks = subject_card(card, TODAY, intel_shown=False, buttons=True)
    Block.parse_all(blocks)
    line = next(b for b in blocks if ref in str(b.get("text")))
    assert "corrected" in line["text"]["text"]
    assert line["accessory"]["action_id"] == "lom_correct" and line["accessory"]["value"] == ref


def test_erasing_a_subject_erases_the_earlier_values_kept_in_its_history(
    demo: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.services.notifications import RecordNotification, record_notification
    from lom_bot.services.retention import ERASED, Decision, RecordKind, RecordRef, decide_retention
    from lom_bot.store.tables.history import Notification
    from tests.test_retention import closed_subject

    ref = closed_subject(demo)
    change_subject(demo.uow(), officer, ref, "address", "1 Old Road, Leeds")
    change_subject(demo.uow(), officer, ref, "address", "2 New Road, Leeds")
    record_notification(
        demo.uow(), officer, RecordNotification(ref, "vehicle", TODAY, "phone", None, "YX19 ABC")
    )
    decide_retention(
        demo.uow(), supervisor, RecordRef(RecordKind.SUBJECT, ref), Decision.ERASE, "review"
    )
    with demo.uow() as uow:
        sid = uow.session.scalar(select(Subject.id).where(Subject.ref == ref))
        kept = uow.session.scalars(select(Correction).where(Correction.subject_id == sid)).all()
        details = uow.session.scalars(
            select(Notification.detail).where(Notification.subject_id == sid)
        ).all()
    assert kept and {(k.before, k.after) for k in kept} == {(ERASED, ERASED)}
    assert details == [None]


def test_intelligence_on_the_card_is_marked_corrected_and_offers_correct(
    demo: Runtime, officer: Actor
) -> None:
    from lom_bot.store.tables import Intelligence

    with demo.uow() as uow:
        intel = uow.session.scalars(
            select(Intelligence).where(Intelligence.handling_conditions.is_(None))
        ).first()
        assert intel is not None
        subject = uow.session.get(Subject, intel.subject_id)
        assert subject is not None
    grading = "3EP" if f"{intel.source_grade.value}{intel.intel_grade.value}" != "3E" else "2BP"
    correct_record(  # a reference as the demo import wrote it, e.g. INT-D0003
        demo.uow(),
        officer,
        Correct(intel.ref.lower(), "grading", parse_grading(grading), "re-graded"),
    )
    with demo.uow() as uow:
        card = load_card(uow, officer, subject.ref, with_intel=True)
    blocks = subject_card(card, TODAY, intel_shown=True, buttons=True)
    Block.parse_all(blocks)
    line = next(b for b in blocks if intel.ref in str(b.get("text")))
    assert f"[{grading}]" in line["text"]["text"] and "_(corrected)_" in line["text"]["text"]
    assert line["accessory"]["value"] == intel.ref
