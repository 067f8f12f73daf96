"""The digest's bounded loads give what the whole history gives (the algorithm they replaced):
the last contact, home visit and check since each order's activation, and the checks that can
evidence a monthly duty."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.demo.synthetic import Scale, seed_synthetic
from lom_bot.domain.due import Interval, latest_start_due_by
from lom_bot.domain.enums import CheckKind, ContactKind, OrderStatus
from lom_bot.domain.lifecycle import IN_FORCE
from lom_bot.runtime import Runtime
from lom_bot.services import due_load as load
from lom_bot.services.due_lines import duty_evidence_since, duty_lines
from lom_bot.store.tables import Check, Contact, Order
from lom_bot.store.uow import UnitOfWork
from tests.conftest import TODAY, both_databases
from tests.test_digest_support import add_check, add_contact, add_subject

SMALL = Scale("small", 60)
DAYS = [TODAY, TODAY - timedelta(days=45), TODAY - timedelta(days=400)]


def seeded(runtime: Runtime) -> None:
    """A synthetic caseload (years of history) and a subject with two live orders, the newer
    activated after some of the contacts."""
    assert seed_synthetic(runtime.engine, runtime.config, SMALL, today=TODAY) is not None
    with runtime.uow() as uow:
        subject, _ = add_subject(uow, 9001, activated=TODAY - timedelta(days=900))
        newer = Order(
            ref="SCPO-9001B",
            subject_id=subject.id,
            status=OrderStatus.ACTIVE,
            activated_on=TODAY - timedelta(days=30),
        )
        uow.session.add(newer)
        add_contact(uow, subject, TODAY - timedelta(days=60), kind=ContactKind.HOME_VISIT)
        add_contact(uow, subject, TODAY - timedelta(days=10))
        add_check(uow, subject, TODAY - timedelta(days=40), CheckKind.FINANCIAL)
        uow.commit()


def whole_history(
    uow: UnitOfWork, today: date
) -> tuple[dict[int, list[date]], dict[int, list[date]], dict[int, dict[CheckKind, date]]]:
    """Attended contacts, attended home visits, and the last check of each kind, to `today`."""
    contacts: dict[int, list[date]] = defaultdict(list)
    homes: dict[int, list[date]] = defaultdict(list)
    for subject_id, kind, outcome, on in uow.session.execute(
        select(Contact.subject_id, Contact.kind, Contact.outcome, Contact.occurred_on)
    ):
        if outcome in load.ATTENDED and on <= today:
            contacts[subject_id].append(on)
            if kind is ContactKind.HOME_VISIT:
                homes[subject_id].append(on)
    checks: dict[int, dict[CheckKind, date]] = defaultdict(dict)
    for subject_id, check, on in uow.session.execute(
        select(Check.subject_id, Check.kind, Check.done_on)
    ):
        if on <= today and on > checks[subject_id].get(check, date.min):
            checks[subject_id][check] = on
    return contacts, homes, checks


def since(dates: list[date], activated: date) -> date | None:
    last = max(dates, default=None)
    return last if last is not None and last >= activated else None


@both_databases
def test_last_done_is_the_whole_historys_last_since_activation(runtime: Runtime) -> None:
    seeded(runtime)
    for today in DAYS:
        with runtime.uow() as uow:
            orders, done = load.live_orders_and_last_done(uow.session, today)
            assert orders == load.live_orders(uow.session)
            contacts, homes, checks = whole_history(uow, today)
        expected = {}
        for subject_id, order in orders.items():
            if order.status not in IN_FORCE or order.activated_on is None:
                continue
            last = load.LastDone(
                since(contacts[subject_id], order.activated_on),
                since(homes[subject_id], order.activated_on),
                since(list(checks[subject_id].values()), order.activated_on),
            )
            if last != load.NOTHING_DONE:
                expected[subject_id] = last
        assert len(expected) > 20, today
        assert done == expected, today


@both_databases
def test_recent_checks_give_the_same_duty_lines_as_the_whole_history(runtime: Runtime) -> None:
    seeded(runtime)
    days = [TODAY - timedelta(days=n) for n in range(0, 75, 4)]
    compared = 0
    for today in days:
        with runtime.uow() as uow:
            s, config = uow.session, uow.config
            people, orders = load.subjects(s), load.live_orders(s)
            duties = load.monthly_duties(s)
            recent = load.recent_checks(s, today, duty_evidence_since(today))
            _, _, checks = whole_history(uow, today)
        for subject_id, order in orders.items():
            if order.status not in IN_FORCE or not duties.get(order.id):
                continue
            start = duty_evidence_since(today)
            window = {k: d for k, d in checks[subject_id].items() if d >= start}
            assert recent.get(subject_id, {}) == window
            subject, owed = people[subject_id], duties[order.id]
            old = duty_lines(config, today, subject, order, owed, checks[subject_id])
            assert duty_lines(config, today, subject, order, owed, window) == old
            compared += len(old)
    assert compared > 10


def test_latest_start_due_by_is_the_last_start_whose_interval_has_run_out() -> None:
    intervals = [Interval.parse(t) for t in ("1d", "14d", "1w", "2w", "1m", "2m", "3m", "6m")]
    day = date(2027, 12, 20)
    while day < date(2028, 3, 10):  # month ends, a leap February, the turn of a year
        for every in intervals:
            latest = latest_start_due_by(every, day)
            for offset in range(-5, 6):
                start = latest + timedelta(days=offset)
                assert (every.after(start) <= day) == (offset <= 0), (every, day, start)
        day += timedelta(days=1)
