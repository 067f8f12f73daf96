"""The weekly summary's cadence figures (done against due last week, overdue at each week's end)
are those the whole history gives, recomputed here the plain way: every date done, week by
week, as the summary computed them before it read only the 12 weeks and one date before them;
its weekly counts are every record dated in each week."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.demo.synthetic import Scale, seed_synthetic
from lom_bot.domain.due import DueKind, next_due
from lom_bot.domain.enums import ContactKind, CustodyStatus, RiskLevel
from lom_bot.domain.lifecycle import IN_FORCE
from lom_bot.runtime import Runtime
from lom_bot.services import due_load as load
from lom_bot.services import summary
from lom_bot.store.tables import Check, Contact
from lom_bot.store.uow import UnitOfWork
from tests.conftest import TODAY, both_databases

SMALL = Scale("small", 80)


def every_date_done(uow: UnitOfWork) -> dict[tuple[int, DueKind], list[date]]:
    done: dict[tuple[int, DueKind], list[date]] = defaultdict(list)
    for subject_id, kind, outcome, on in uow.session.execute(
        select(Contact.subject_id, Contact.kind, Contact.outcome, Contact.occurred_on)
    ):
        if outcome in load.ATTENDED:
            done[(subject_id, DueKind.CONTACT)].append(on)
            if kind is ContactKind.HOME_VISIT:
                done[(subject_id, DueKind.HOME_VISIT)].append(on)
    for subject_id, on in uow.session.execute(select(Check.subject_id, Check.done_on)):
        done[(subject_id, DueKind.CHECKS)].append(on)
    return done


def expected_figures(
    uow: UnitOfWork, today: date
) -> tuple[dict[str, summary.Rate], dict[str, summary.Rate], list[int]]:
    config = uow.config
    starts = summary.week_starts(today)
    ends = [start + timedelta(days=6) for start in starts]
    people, orders = load.subjects(uow.session), load.live_orders(uow.session)
    names = {uid: o.name for uid, o in load.officers(uow.session).items()}
    done = every_date_done(uow)
    by_officer: dict[str, summary.Rate] = defaultdict(summary.Rate)
    by_risk: dict[str, summary.Rate] = defaultdict(summary.Rate)
    overdue = [0] * summary.WEEKS

    def item(risk: RiskLevel, kind: DueKind, by: date, activated: date) -> tuple[date, date]:
        last = max((d for d in done[(subject_id, kind)] if d <= by), default=None)
        due = next_due(
            config.cadence(risk),
            kind,
            last_done=last if last is not None and last >= activated else None,
            activated_on=activated,
            overdue_after_working_days=config.due.overdue_after_working_days,
        )
        return due.due_on, due.overdue_from

    for subject_id, order in orders.items():
        subject, activated = people[subject_id], order.activated_on
        if order.status not in IN_FORCE or activated is None:
            continue
        if subject.custody is not CustodyStatus.IN_COMMUNITY:
            continue
        for kind in summary.CADENCE_KINDS:
            for end in ends:
                if activated <= end:
                    overdue[ends.index(end)] += item(subject.risk, kind, end, activated)[1] <= end
            if kind is DueKind.CHECKS or activated > ends[-1]:
                continue
            if item(subject.risk, kind, ends[-2], activated)[0] <= ends[-1]:
                officer = names.get(subject.officer_id or -1, "No officer assigned")
                seen = any(starts[-1] <= d <= ends[-1] for d in done[(subject_id, kind)])
                for rate in (by_officer[officer], by_risk[subject.risk.value]):
                    rate.due += 1
                    rate.done += seen
    risks = [r.value for r in RiskLevel]
    return dict(sorted(by_officer.items())), {r: by_risk[r] for r in risks if r in by_risk}, overdue


@both_databases
def test_cadence_figures_are_the_whole_historys(runtime: Runtime) -> None:
    assert seed_synthetic(runtime.engine, runtime.config, SMALL, today=TODAY) is not None
    for today in (TODAY, TODAY - timedelta(days=30), TODAY - timedelta(days=400)):
        with runtime.uow() as uow:
            got = summary.build_weekly_summary(uow, today)
            by_officer, by_risk, overdue = expected_figures(uow, today)
            others = summary._overdue_breaches_and_tasks(uow, summary.week_starts(today))
        assert sum(r.due for r in by_risk.values()) > 5, today
        assert sum(overdue) > 10, today
        assert got.by_officer == by_officer, today
        assert got.by_risk == by_risk, today
        assert got.series.overdue == [a + b for a, b in zip(overdue, others, strict=True)], today


@both_databases
def test_weekly_counts_are_every_record_dated_in_each_week(runtime: Runtime) -> None:
    assert seed_synthetic(runtime.engine, runtime.config, SMALL, today=TODAY) is not None
    with runtime.uow() as uow:
        contacts = list(uow.session.scalars(select(Contact.occurred_on)))
        checks = list(uow.session.scalars(select(Check.done_on)))
        got = summary.build_weekly_summary(uow, TODAY).series
    starts = summary.week_starts(TODAY)

    def by_week(dates: list[date]) -> list[int]:
        return [sum(s <= d < s + timedelta(days=7) for d in dates) for s in starts]

    assert got.contacts == by_week(contacts) and sum(got.contacts) > 100
    assert got.checks == by_week(checks) and sum(got.checks) > 10
