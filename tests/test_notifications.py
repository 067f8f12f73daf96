"""Notifications as a record kind: what the subject notified, when, how, and whether on time
against the order's duty; the due list takes a monthly duty as done when it is notified; a
correction judges it again; bad input is refused on its field with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import ConditionCategory, DutyKind, OrderStatus
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.services.corrections import Correct, correct_record
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.notifications import RecordNotification, record_notification
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, Condition, Order, Subject
from lom_bot.store.tables.history import Notification
from tests.conftest import TODAY
from tests.e2e.harness import SlackHarness, harness


def _with_duty(rt: Runtime, category: ConditionCategory, duty: DutyKind) -> str:
    """A subject whose active order has a duty of this kind."""
    with rt.uow() as uow:
        ref = uow.session.scalars(
            select(Subject.ref)
            .join(Order, Order.subject_id == Subject.id)
            .join(Condition, Condition.order_id == Order.id)
            .where(
                Order.status == OrderStatus.ACTIVE,
                Condition.category == category,
                Condition.duty == duty,
                Condition.active.is_(True),
            )
            .order_by(Subject.ref)
        ).first()
    assert ref is not None, f"the demo has an active order with a {category} duty"
    return ref


def _count(rt: Runtime) -> tuple[int, int]:
    with rt.uow() as uow:
        s = uow.session
        return (
            int(s.scalar(select(func.count(Notification.id))) or 0),
            int(s.scalar(select(func.count(AuditEntry.id))) or 0),
        )


def test_a_device_notified_within_its_days_is_on_time_and_after_them_late(
    demo: Runtime, officer: Actor
) -> None:
    ref = _with_duty(demo, ConditionCategory.COMMUNICATIONS, DutyKind.WITHIN_DAYS_OF_EVENT)
    happened = TODAY - timedelta(days=10)
    late = record_notification(
        demo.uow(),
        officer,
        RecordNotification(ref, "device", TODAY, "phone", happened, "new iPhone"),
    )
    assert late.on_time is False and "LATE by" in late.summary
    prompt = record_notification(
        demo.uow(),
        officer,
        RecordNotification(ref, "device", TODAY, "email", TODAY - timedelta(days=1)),
    )
    assert prompt.on_time is True and "on time" in prompt.summary
    unknown = record_notification(
        demo.uow(), officer, RecordNotification(ref, "device", TODAY, "phone")
    )
    assert unknown.on_time is None and "until the date it happened" in unknown.summary


def test_something_no_condition_requires_is_recorded_and_said_so(
    demo: Runtime, officer: Actor
) -> None:
    done = record_notification(
        demo.uow(), officer, RecordNotification("LOM-0001", "travel", TODAY, "in_person")
    )
    assert done.on_time is None and "no condition of the current order" in done.summary


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"what": "spaceship"}, "what"),
        ({"means": "pigeon"}, "means"),
        ({"notified_on": TODAY + timedelta(days=1)}, "date notified"),
        ({"event_on": TODAY - timedelta(days=1), "notified_on": TODAY - timedelta(days=2)}, None),
    ],
)
def test_bad_notifications_are_refused_and_nothing_is_written(
    demo: Runtime, officer: Actor, change: dict[str, object], field: str | None
) -> None:
    before = _count(demo)
    base: dict[str, object] = {
        "subject": "LOM-0001",
        "what": "device",
        "notified_on": TODAY,
        "means": "phone",
    }
    with pytest.raises(InvalidInput) as raised:
        record_notification(demo.uow(), officer, RecordNotification(**{**base, **change}))  # type: ignore[arg-type]
    if field:
        assert raised.value.field == field
    assert _count(demo) == before


def test_a_district_officer_is_refused_and_only_the_refusal_is_written(
    demo: Runtime, leeds_officer: Actor
) -> None:
    before = _count(demo)
    with pytest.raises(NotAuthorised):
        record_notification(
            demo.uow(), leeds_officer, RecordNotification("LOM-0001", "device", TODAY, "phone")
        )
    assert _count(demo) == (before[0], before[1] + 1)


def _duty_lines(rt: Runtime, ref: str) -> list[str]:
    with rt.uow() as uow:
        digest = build_daily_digest(uow, TODAY)
    return [
        line.what for line in digest.lines if line.subject_ref == ref and line.kind.value == "duty"
    ]


def test_a_monthly_duty_is_marked_done_in_the_due_list_when_notified(
    demo: Runtime, officer: Actor
) -> None:
    ref = _with_duty(demo, ConditionCategory.FINANCIAL, DutyKind.MONTHLY_BY_DAY)
    assert _duty_lines(demo, ref), "the monthly duty is due before it is notified"
    done = record_notification(
        demo.uow(), officer, RecordNotification(ref, "bank_account", TODAY, "in_person")
    )
    assert done.on_time is False  # by the 5th, notified on the 25th
    # the duty is done; what stays is the lateness, to consider a warning letter for
    assert [w.split(" ", 1)[0] for w in _duty_lines(demo, ref)] == [f"NOT-{done.record_id:05d}"]


def test_a_corrected_date_judges_the_notification_again(demo: Runtime, officer: Actor) -> None:
    ref = _with_duty(demo, ConditionCategory.COMMUNICATIONS, DutyKind.WITHIN_DAYS_OF_EVENT)
    done = record_notification(
        demo.uow(),
        officer,
        RecordNotification(ref, "device", TODAY, "phone", TODAY - timedelta(days=10)),
    )
    assert done.on_time is False
    correct_record(
        demo.uow(),
        officer,
        Correct(f"NOT-{done.record_id:05d}", "happened", TODAY - timedelta(days=1), "misread"),
    )
    with demo.uow() as uow:
        row = uow.session.get(Notification, done.record_id)
    assert row is not None and row.on_time is True and row.due_by == date(2026, 11, 27)


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def test_in_slack_a_notification_is_recorded_listed_and_its_form_checks_fields(
    slack: SlackHarness,
) -> None:
    ok = slack.command("U0OFF1", "notify LOM-0001 device by phone today happened 24/11/2026 X1")
    assert "Notification recorded for LOM-0001" in ok.text and "NOT-" in ok.text
    listed = slack.command("U0OFF1", "notify LOM-0001")
    assert "device notified 25/11/2026 by phone" in str(listed.blocks)
    opened = slack.command("U0OFF1", "notify LOM-0001")  # the list, not a form
    assert opened.modals == []
    form = slack.command("U0OFF1", "notify LOM-0001 device")  # how is missing: the form
    (view,) = form.modals
    values = {
        "subject": "LOM-0001",
        "what": {"type": "static_select", "selected_option": {"value": "device"}},
        "means": {"type": "static_select", "selected_option": {"value": "phone"}},
        "date": "31/02/2026",
        "happened": "",
        "detail": "",
    }
    bad = slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert bad.json()["response_action"] == "errors" and "date" in bad.json()["errors"]
    later = {**values, "date": "today", "happened": "+2d"}
    bad = slack.submit("U0OFF1", view["callback_id"], later, view["private_metadata"])
    assert "happened" in bad.json()["errors"]


def test_a_late_notification_is_listed_in_the_due_list(demo: Runtime, officer: Actor) -> None:
    ref = _with_duty(demo, ConditionCategory.COMMUNICATIONS, DutyKind.WITHIN_DAYS_OF_EVENT)
    done = record_notification(
        demo.uow(),
        officer,
        RecordNotification(ref, "device", TODAY, "phone", TODAY - timedelta(days=10)),
    )
    listed = [w for w in _duty_lines(demo, ref) if f"NOT-{done.record_id:05d}" in w]
    assert listed and "LATE by 7 day(s)" in listed[0] and "warning letter" in listed[0]
