"""What the daily digest lists on a given date, built from hand-made records."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lom_bot.domain.enums import (
    AssessmentOutcome,
    BreachStatus,
    CheckKind,
    ChecklistKind,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    FollowUpKind,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
)
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_daily_digest, build_district_tasks
from lom_bot.services.due import RISK_ORDER, Digest, LineKind, State
from lom_bot.store.tables import (
    Assessment,
    BreachReport,
    Checklist,
    ChecklistStep,
    EducationVisit,
    FollowUp,
    ReleaseDate,
    Task,
)
from tests.test_digest_support import (
    NOW,
    add_check,
    add_contact,
    add_monthly_duty,
    add_subject,
    officer_id,
)

LONDON = ZoneInfo("Europe/London")


def digest_on(rt: Runtime, day: date) -> Digest:
    with rt.uow() as uow:
        return build_daily_digest(uow, day)


def kinds(digest: Digest, ref: str) -> dict[LineKind, State]:
    return {line.kind: line.state for line in digest.lines if line.subject_ref == ref}


@pytest.fixture
def high_risk(runtime: Runtime) -> Runtime:
    """LOM-0001: high risk (contact every 14 days), last seen on Tuesday 8 December 2026."""
    with runtime.uow() as uow:
        subject, _ = add_subject(uow, 1, officer=officer_id(uow), activated=date(2026, 6, 1))
        add_contact(uow, subject, date(2026, 12, 8))
        add_contact(uow, subject, date(2026, 12, 8), kind=ContactKind.HOME_VISIT)
        add_check(uow, subject, date(2026, 12, 1), CheckKind.PNC)
        uow.commit()
    return runtime


def test_a_contact_is_due_on_its_date_and_overdue_after_five_working_days(
    high_risk: Runtime,
) -> None:
    # Due Tuesday 22/12; 25/12 and the Boxing Day substitute 28/12 are bank holidays, so the
    # fifth working day after it is Thursday 31/12.
    assert LineKind.CONTACT not in kinds(digest_on(high_risk, date(2026, 12, 21)), "LOM-0001")
    assert (
        kinds(digest_on(high_risk, date(2026, 12, 22)), "LOM-0001")[LineKind.CONTACT] is State.DUE
    )
    assert (
        kinds(digest_on(high_risk, date(2026, 12, 30)), "LOM-0001")[LineKind.CONTACT] is State.DUE
    )
    assert (
        kinds(digest_on(high_risk, date(2026, 12, 31)), "LOM-0001")[LineKind.CONTACT]
        is State.OVERDUE
    )


def test_home_visits_and_checks_follow_their_own_cadence(high_risk: Runtime) -> None:
    # High risk: home visit monthly (due 08/01/2027), checks every 2 months (due 01/02/2027).
    on_8_jan = kinds(digest_on(high_risk, date(2027, 1, 8)), "LOM-0001")
    assert on_8_jan[LineKind.HOME_VISIT] is State.DUE
    assert LineKind.CHECKS not in on_8_jan
    assert kinds(digest_on(high_risk, date(2027, 2, 1)), "LOM-0001")[LineKind.CHECKS] is State.DUE


def test_an_absence_does_not_count_as_a_contact_made(high_risk: Runtime) -> None:
    with high_risk.uow() as uow:
        from lom_bot.store.tables import Subject

        subject = uow.session.query(Subject).one()
        add_contact(uow, subject, date(2026, 12, 20), outcome=ContactOutcome.ACCEPTABLE_ABSENCE)
        uow.commit()
    assert (
        kinds(digest_on(high_risk, date(2026, 12, 22)), "LOM-0001")[LineKind.CONTACT] is State.DUE
    )
    with high_risk.uow() as uow:
        subject = uow.session.query(Subject).one()
        add_contact(uow, subject, date(2026, 12, 21), outcome=ContactOutcome.FAILED_TO_COMPLY)
        uow.commit()
    assert LineKind.CONTACT not in kinds(digest_on(high_risk, date(2026, 12, 22)), "LOM-0001")


def test_a_very_high_risk_subject_is_visited_fortnightly_for_twelve_weeks(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        add_subject(uow, 2, risk=RiskLevel.VERY_HIGH, activated=date(2026, 11, 2))
        uow.commit()
    visit = [
        x for x in digest_on(runtime, date(2026, 11, 16)).lines if x.kind is LineKind.HOME_VISIT
    ]
    assert [(x.due_on, x.state) for x in visit] == [(date(2026, 11, 16), State.DUE)]
    assert "never" not in visit[0].what and "14 days" in visit[0].what


def test_subjects_in_custody_or_without_an_order_in_force_have_no_contacts_due(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        add_subject(uow, 3, custody=CustodyStatus.RECALLED)
        add_subject(uow, 4, status=OrderStatus.PROPOSED)
        uow.commit()
    assert digest_on(runtime, date(2026, 11, 25)).lines == []


def test_a_monthly_duty_is_due_on_the_nth_and_met_by_a_check_that_month(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        subject, order = add_subject(uow, 5)
        add_monthly_duty(uow, order, day=5)
        add_contact(uow, subject, date(2026, 11, 20))
        uow.commit()
    # On 4 December the last due date is 5 November, never evidenced: overdue since the 12th.
    line = next(x for x in digest_on(runtime, date(2026, 12, 4)).lines if x.kind is LineKind.DUTY)
    assert (line.due_on, line.state) == (date(2026, 11, 5), State.OVERDUE)
    assert kinds(digest_on(runtime, date(2026, 12, 7)), "LOM-0005")[LineKind.DUTY] is State.DUE
    assert kinds(digest_on(runtime, date(2026, 12, 12)), "LOM-0005")[LineKind.DUTY] is State.OVERDUE
    with runtime.uow() as uow:
        add_check(uow, subject, date(2026, 12, 3), CheckKind.TELECOMS)  # the wrong kind
        uow.commit()
    assert LineKind.DUTY in kinds(digest_on(runtime, date(2026, 12, 7)), "LOM-0005")
    with runtime.uow() as uow:
        add_check(uow, subject, date(2026, 12, 3), CheckKind.FINANCIAL)
        uow.commit()
    assert LineKind.DUTY not in kinds(digest_on(runtime, date(2026, 12, 7)), "LOM-0005")


def test_an_education_visit_is_flagged_when_release_is_near_and_none_is_done(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        subject, order = add_subject(
            uow, 6, custody=CustodyStatus.IN_CUSTODY, status=OrderStatus.AWAITING_ACTIVATION
        )
        uow.session.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=ReleaseDateKind.CRD,
                on=date(2026, 12, 15),
                recorded_at=NOW,
            )
        )
        uow.commit()
    assert LineKind.EDUCATION_VISIT not in kinds(digest_on(runtime, date(2026, 11, 1)), "LOM-0006")
    line = next(
        x for x in digest_on(runtime, date(2026, 11, 25)).lines if x.subject_ref == "LOM-0006"
    )
    assert (line.kind, line.state, line.ref) == (LineKind.EDUCATION_VISIT, State.DUE, "SCPO-0006")
    assert "20 days" in line.what
    with runtime.uow() as uow:
        uow.session.add(EducationVisit(order_id=order.id, done_on=date(2026, 11, 24)))
        uow.commit()
    assert digest_on(runtime, date(2026, 11, 25)).lines == []


def _breach(rt: Runtime, received: datetime, status: BreachStatus = BreachStatus.NEW) -> int:
    with rt.uow() as uow:
        subject, _ = add_subject(uow, 7, activated=date(2026, 11, 1))
        add_contact(uow, subject, date(2026, 11, 19))
        add_contact(uow, subject, date(2026, 11, 19), kind=ContactKind.HOME_VISIT)
        add_check(uow, subject, date(2026, 11, 19), CheckKind.PNC)
        report = BreachReport(
            ref="BR-0001",
            subject_id=subject.id,
            status=status,
            source="message",
            reporter_slack_id="U0LEEDS",
            district="Leeds",
            text="Seen.",
            received_at=received,
        )
        uow.session.add(report)
        uow.commit()
        return report.id


def test_a_breach_report_is_listed_once_it_waits_past_two_working_days(runtime: Runtime) -> None:
    _breach(runtime, datetime(2026, 11, 20, 16, tzinfo=LONDON))  # a Friday
    assert LineKind.BREACH not in kinds(digest_on(runtime, date(2026, 11, 24)), "LOM-0007")
    line = next(
        x for x in digest_on(runtime, date(2026, 11, 25)).lines if x.kind is LineKind.BREACH
    )
    assert (line.state, line.ref, line.subject_ref) == (State.OVERDUE, "BR-0001", "LOM-0007")
    assert "3 working days" in line.what


def test_an_assessed_breach_report_is_not_listed(runtime: Runtime) -> None:
    breach_id = _breach(runtime, datetime(2026, 11, 2, 9, tzinfo=LONDON), BreachStatus.ASSESSED)
    with runtime.uow() as uow:
        uow.session.add(
            Assessment(
                breach_id=breach_id,
                outcome=AssessmentOutcome.ADVICE,
                rationale="r",
                decided_by=officer_id(uow),
                decided_at=NOW,
            )
        )
        uow.commit()
    assert digest_on(runtime, date(2026, 11, 25)).lines == []


def test_warning_letter_responses_and_cps_files_near_their_target_are_listed(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        subject, _ = add_subject(uow, 8, status=OrderStatus.PROPOSED)
        supervisor = officer_id(uow, "U0SUPER")
        for kind, due in (
            (FollowUpKind.WARNING_LETTER, date(2026, 11, 25)),
            (FollowUpKind.FINAL_WARNING_LETTER, date(2026, 11, 20)),
            (FollowUpKind.WARNING_LETTER, date(2026, 11, 26)),  # not yet
            (FollowUpKind.CPS_FILE, date(2026, 11, 27)),  # 2 working days: near
            (FollowUpKind.CPS_FILE, date(2026, 12, 4)),  # 7 working days: not yet
        ):
            uow.session.add(
                FollowUp(subject_id=subject.id, kind=kind, due_on=due, owner_id=supervisor)
            )
        uow.session.add(
            FollowUp(
                subject_id=subject.id,
                kind=FollowUpKind.CPS_FILE,
                due_on=date(2026, 11, 1),
                done_on=date(2026, 10, 30),
            )
        )
        uow.commit()
    digest = digest_on(runtime, date(2026, 11, 25))
    got = sorted((x.kind.value, x.state.value, x.due_on.isoformat()) for x in digest.lines)
    assert got == [
        ("cps_file", "due", "2026-11-27"),
        ("warning_letter", "due", "2026-11-25"),
        ("warning_letter", "overdue", "2026-11-20"),
    ]
    assert [g.officer.slack_id for g in digest.groups] == ["U0SUPER"]  # the follow-up's owner


def test_overdue_district_tasks_and_outstanding_checklists_are_listed(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        subject, order = add_subject(uow, 9, status=OrderStatus.GRANTED)
        for ref, due in (("T-1", date(2026, 11, 24)), ("T-2", date(2026, 11, 25))):
            uow.session.add(
                Task(
                    ref=ref,
                    subject_id=subject.id,
                    district="Leeds",
                    kind=TaskKind.CURFEW_CHECK,
                    due_on=due,
                )
            )
        checklist = Checklist(
            kind=ChecklistKind.SYSTEMS,
            order_id=order.id,
            subject_id=subject.id,
            opened_on=date(2026, 11, 23),
        )
        uow.session.add(checklist)
        uow.session.flush()
        uow.session.add_all(
            [
                ChecklistStep(checklist_id=checklist.id, name="PNC", done_on=date(2026, 11, 24)),
                ChecklistStep(checklist_id=checklist.id, name="ViSOR"),
            ]
        )
        uow.commit()
    digest = digest_on(runtime, date(2026, 11, 25))
    tasks = [x for x in digest.lines if x.kind is LineKind.TASK]
    assert [x.ref for x in tasks] == ["T-1"]  # due today is the district's, not overdue
    checklist_line = next(x for x in digest.lines if x.kind is LineKind.CHECKLIST)
    assert checklist_line.state is State.DUE and "1 outstanding (ViSOR)" in checklist_line.what
    assert [g.officer.name for g in digest.groups] == ["No officer assigned"]


def test_each_district_gets_its_tasks_due_today_and_overdue_and_no_others(
    runtime: Runtime,
) -> None:
    with runtime.uow() as uow:
        leeds, _ = add_subject(uow, 10, district="Leeds")
        brad, _ = add_subject(uow, 11, district="Bradford")
        for ref, subject, district, due in (
            ("T-1", leeds, "Leeds", date(2026, 11, 25)),
            ("T-2", leeds, "Leeds", date(2026, 11, 20)),
            ("T-3", leeds, "Leeds", date(2026, 11, 26)),
            ("T-4", brad, "Bradford", date(2026, 11, 25)),
        ):
            uow.session.add(
                Task(
                    ref=ref,
                    subject_id=subject.id,
                    district=district,
                    kind=TaskKind.STOP_CHECK,
                    due_on=due,
                )
            )
        uow.session.add(
            Task(
                ref="T-5",
                subject_id=brad.id,
                district="Bradford",
                kind=TaskKind.STOP_CHECK,
                due_on=date(2026, 11, 24),
                status="done",
            )
        )
        uow.commit()
        tasks = build_district_tasks(uow, date(2026, 11, 25))
    assert [(t.ref, t.overdue) for t in tasks["Leeds"]] == [("T-2", True), ("T-1", False)]
    assert [t.ref for t in tasks["Bradford"]] == ["T-4"]
    assert tasks["Wakefield"] == []


def test_lines_are_grouped_by_officer_highest_risk_first_then_overdue_first(
    demo: Runtime,
) -> None:
    digest = digest_on(demo, date(2026, 11, 25))
    assert digest.lines, "the demo has work due"
    for group in digest.groups:
        order = [(RISK_ORDER.get(x.risk, 4) if x.risk else 4, x.state) for x in group.lines]
        assert order == sorted(order, key=lambda k: (k[0], k[1] is not State.OVERDUE))
        assert len({risk for risk, _ in order}) > 1  # the demo mixes risk levels
        with demo.uow() as uow:
            from lom_bot.store.tables import Subject

            officers = {s.ref: s.officer_id for s in uow.session.query(Subject)}
        for line in group.lines:
            if line.kind not in (LineKind.WARNING_LETTER, LineKind.CPS_FILE, LineKind.FOLLOW_UP):
                assert officers[line.subject_ref] == group.officer.user_id
    mine = digest.only(digest.groups[0].officer.user_id)
    assert mine.lines == digest.groups[0].lines


def test_an_order_still_in_force_after_its_expiry_is_flagged(runtime: Runtime) -> None:
    with runtime.uow() as uow:
        add_subject(uow, 12, custody=CustodyStatus.IN_CUSTODY, expires=date(2026, 11, 1))
        uow.commit()
    lines = digest_on(runtime, date(2026, 11, 25)).lines
    assert [(x.kind, x.ref) for x in lines] == [(LineKind.EXPIRY, "SCPO-0012")]
    assert digest_on(runtime, date(2026, 11, 1) - timedelta(days=1)).lines == []
