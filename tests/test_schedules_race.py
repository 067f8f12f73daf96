"""Two schedulers (two processes' worth of engines) racing for the same runs: each posts once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime, build_runtime
from lom_bot.config import AppConfig, Settings
from lom_bot.domain.clock import FixedClock
from lom_bot.schedules.execute import RunResult, run_job
from lom_bot.store.tables import JobRun, OutboxMessage
from tests.conftest import ROOT, TODAY, both_databases

START = date(2026, 11, 23)


@pytest.fixture
def rival(demo: Runtime, db_url: str, app_config: AppConfig) -> Iterator[Runtime]:
    """A second runtime with its own engine and pool on the same database."""
    settings = Settings(database_url=db_url, lom_config=ROOT / "app.yaml")
    rt = build_runtime(settings, config=app_config, clock=FixedClock.on(TODAY, 10), migrate=False)
    yield rt
    rt.close()


@both_databases
def test_two_schedulers_claiming_the_same_periods_post_each_once(
    demo: Runtime, rival: Runtime
) -> None:
    days = [START + timedelta(days=n) for n in range(5)]
    outcomes: dict[date, list[RunResult]] = {day: [] for day in days}
    for day in days:
        barrier = threading.Barrier(2)

        def race(rt: Runtime, day: date = day, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            outcomes[day].append(run_job(rt, "daily-due", day, trigger="schedule"))

        threads = [threading.Thread(target=race, args=(rt,)) for rt in (demo, rival)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    for day in days:
        assert sorted(r.status for r in outcomes[day]) == ["done", "skipped"], day
    with demo.uow() as uow:
        runs = uow.session.scalar(select(func.count(JobRun.id)))
        keys = list(uow.session.scalars(select(OutboxMessage.dedupe_key)))
    assert runs == len(days)
    per_period = Counter(key.split(":")[2] for key in keys if key)
    expected = {
        day.isoformat(): next(len(r.posts) for r in outcomes[day] if r.status == "done")
        for day in days
    }
    assert dict(per_period) == expected
