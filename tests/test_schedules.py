"""Jobs post once per period: the run ledger, catch-up, working days and a failing Slack."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from lom_bot.domain.clock import FixedClock
from lom_bot.domain.enums import CustodyStatus, OrderStatus, ReleaseDateKind
from lom_bot.runtime import Runtime
from lom_bot.schedules import jobs as jobs_module
from lom_bot.schedules import ledger
from lom_bot.schedules.execute import run_job
from lom_bot.schedules.posts import as_text
from lom_bot.schedules.runner import catch_up, missed_today, run_scheduled, start_scheduler
from lom_bot.services.chart import PNG_MAGIC
from lom_bot.services.outbox import deliver_pending
from lom_bot.services.ports import FakeChat
from lom_bot.store.tables import AuditEntry, JobRun, OutboxMessage, ReleaseDate
from tests.test_digest_support import add_subject, make_caseload, parse_blocks

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 25)  # a Wednesday


def outbox(rt: Runtime) -> list[OutboxMessage]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def ledger_rows(rt: Runtime) -> list[JobRun]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(JobRun).order_by(JobRun.id)))


def at(rt: Runtime, when: datetime) -> FixedClock:
    clock = FixedClock(when)
    rt.clock = clock
    return clock


def test_a_job_queues_its_posts_and_records_the_run(demo: Runtime) -> None:
    result = run_job(demo, "daily-due", TODAY)
    assert result.status == "done" and result.posts
    queued = outbox(demo)
    assert [m.channel for m in queued] == ["C0LOMTEAM"] * len(result.posts)
    for message in queued:
        parse_blocks(message.payload["blocks"])
    [row] = ledger_rows(demo)
    assert (row.job, row.period, row.status, row.trigger) == (
        "daily-due",
        "2026-11-25",
        "done",
        "manual",
    )
    with demo.uow() as uow:
        disclosed = uow.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "disclosure", AuditEntry.recipient == "C0LOMTEAM"
            )
        )
    refs = {line.subject_ref for line in _digest_lines(demo)}
    assert disclosed == len(refs)


def _digest_lines(rt: Runtime) -> list[Any]:
    from lom_bot.services.digest import build_daily_digest

    with rt.uow() as uow:
        return build_daily_digest(uow, TODAY).lines


def test_a_second_run_in_the_same_period_posts_nothing(demo: Runtime) -> None:
    first = run_job(demo, "daily-due", TODAY, trigger="schedule")
    again = run_job(demo, "daily-due", TODAY, trigger="manual")
    assert (first.status, again.status) == ("done", "skipped")
    assert len(outbox(demo)) == len(first.posts)
    weekly = run_job(demo, "upcoming-weekly", TODAY)
    monday = run_job(demo, "upcoming-weekly", date(2026, 11, 23))  # the same ISO week
    assert (weekly.period, weekly.status, monday.status) == ("2026-W48", "done", "skipped")


def test_a_dry_run_prints_the_posts_and_writes_nothing(demo: Runtime) -> None:
    result = run_job(demo, "daily-due", TODAY, dry_run=True)
    text = as_text(result.posts, demo.config)
    assert result.status == "dry-run"
    assert "post to #lom-team" in text and "Due today: Wednesday 25/11/2026" in text
    assert "[Log contact]" in text
    assert outbox(demo) == [] and ledger_rows(demo) == []


def test_a_failed_run_is_recorded_and_can_be_run_again(demo: Runtime, monkeypatch: Any) -> None:
    job = jobs_module.JOBS["daily-due"]

    def broken(uow: Any, day: date) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setitem(jobs_module.JOBS, "daily-due", replace(job, build=broken))
    failed = run_job(demo, "daily-due", TODAY)
    assert failed.status == "failed" and outbox(demo) == []
    assert ledger_rows(demo)[0].status == "failed"
    monkeypatch.setitem(jobs_module.JOBS, "daily-due", job)
    assert run_job(demo, "daily-due", TODAY).status == "done"
    assert [r.status for r in ledger_rows(demo)] == ["done"]


def test_a_run_left_running_by_a_dead_process_is_taken_over_later(demo: Runtime) -> None:
    assert ledger.claim(demo.uow(), "daily-due", "2026-11-25", "schedule") is not None
    assert run_job(demo, "daily-due", TODAY).status == "skipped"  # still running, not stale
    demo.clock.advance(minutes=31)  # type: ignore[attr-defined]
    assert run_job(demo, "daily-due", TODAY).status == "done"


def test_a_slow_runner_whose_run_was_taken_over_neither_posts_nor_marks_it(
    demo: Runtime,
) -> None:
    slow = ledger.claim(demo.uow(), "daily-due", "2026-11-25", "schedule")
    assert slow is not None
    demo.clock.advance(minutes=31)  # type: ignore[attr-defined]
    assert run_job(demo, "daily-due", TODAY).status == "done"
    with demo.uow() as uow, pytest.raises(ledger.LostClaim):
        ledger.finish(uow, slow, "late")
    ledger.fail(demo.uow(), slow, "late")
    [row] = ledger_rows(demo)
    assert row.status == "done" and row.summary != "late"


class FlakyChat(FakeChat):
    """Fails the n-th call once, like Slack timing out in the middle of a long post."""

    def __init__(self, fail_on: int) -> None:
        super().__init__()
        self.fail_on = fail_on
        self.calls = 0

    def call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        self.calls += 1
        if self.calls == self.fail_on:
            raise ConnectionError("Slack did not answer")
        return super().call(method, channel, payload)


def test_a_slack_failure_mid_post_is_retried_by_the_outbox_not_recomputed(
    runtime: Runtime, monkeypatch: Any
) -> None:
    with runtime.uow() as uow:
        make_caseload(uow, 120, TODAY)
        uow.commit()
    job = jobs_module.JOBS["daily-due"]
    builds: list[date] = []

    def counted(uow: Any, day: date) -> Any:
        builds.append(day)
        return job.build(uow, day)

    monkeypatch.setitem(jobs_module.JOBS, "daily-due", replace(job, build=counted))
    result = run_job(runtime, "daily-due", TODAY)
    assert len(result.posts) >= 3
    chat = FlakyChat(fail_on=2)
    first = deliver_pending(runtime.uow(), chat)
    assert first.failed == 1 and first.sent >= 1
    runtime.clock.advance(minutes=1)  # type: ignore[attr-defined]
    for _ in range(5):
        deliver_pending(runtime.uow(), chat)
    posts = chat.sent["C0LOMTEAM"]
    assert len(posts) == len(result.posts)
    head_ts = "1700000000.000001"
    assert all(p["thread_ts"] == head_ts for p in posts[1:])  # the rest continue in its thread
    assert run_job(runtime, "daily-due", TODAY).status == "skipped"  # e.g. after a restart
    assert builds == [TODAY]  # computed once


def test_the_weekly_summary_posts_its_chart_in_the_thread(demo: Runtime) -> None:
    result = run_job(demo, "weekly-summary", date(2026, 11, 30))
    chat = FakeChat()
    for _ in range(3):
        deliver_pending(demo.uow(), chat)
    summary, chart = chat.sent["C0SUPERV"][0], chat.sent["C0SUPERV"][-1]
    assert summary["method"] == "post" and "Weekly summary" in summary["text"]
    png = base64.b64decode(chart["content"])
    assert chart["method"] == "upload" and chart["thread_ts"]
    assert png.startswith(PNG_MAGIC) and len(png) > 20_000
    assert chart["filename"].endswith(".png") and result.period == "2026-W49"


def test_a_missed_job_runs_when_the_bot_comes_back_the_same_day(demo: Runtime) -> None:
    at(demo, datetime(2026, 11, 25, 7, 0, tzinfo=LONDON))
    assert missed_today(demo) == []
    at(demo, datetime(2026, 11, 25, 7, 36, tzinfo=LONDON))
    assert missed_today(demo) == ["expire-orders", "cover-ends", "daily-due", "district-tasks"]
    at(demo, datetime(2026, 11, 25, 11, 0, tzinfo=LONDON))
    ran = catch_up(demo)
    assert [(r.job, r.status) for r in ran] == [
        ("expire-orders", "done"),
        ("cover-ends", "done"),
        ("daily-due", "done"),
        ("district-tasks", "done"),
        ("horizons", "done"),
    ]
    assert {r.trigger for r in ledger_rows(demo)} == {"catch-up"}
    queued = len(outbox(demo))
    assert [r.status for r in catch_up(demo)] == ["skipped"] * 5  # a second restart
    assert len(outbox(demo)) == queued


def test_weekly_and_monthly_jobs_catch_up_only_on_their_own_day(demo: Runtime) -> None:
    at(demo, datetime(2026, 11, 30, 9, 30, tzinfo=LONDON))  # Monday
    assert "weekly-summary" in missed_today(demo) and "upcoming-weekly" in missed_today(demo)
    at(demo, datetime(2026, 12, 1, 9, 30, tzinfo=LONDON))  # Tuesday the 1st
    assert "weekly-summary" not in missed_today(demo)
    assert "retention-review" in missed_today(demo)


def test_no_working_day_job_runs_on_a_bank_holiday(demo: Runtime) -> None:
    at(demo, datetime(2026, 12, 28, 8, 0, tzinfo=LONDON))  # Monday, Boxing Day substitute
    assert run_scheduled(demo, "daily-due") is None
    assert run_scheduled(demo, "horizons") is None
    weekly = run_scheduled(demo, "upcoming-weekly")
    assert weekly is not None and weekly.status == "done"
    assert [r.job for r in ledger_rows(demo)] == ["upcoming-weekly"]
    at(demo, datetime(2026, 12, 29, 8, 0, tzinfo=LONDON))
    result = run_scheduled(demo, "daily-due")
    assert result is not None and result.status == "done"


def _in_custody(rt: Runtime, release: date) -> None:
    with rt.uow() as uow:
        subject, _ = add_subject(
            uow, 1, custody=CustodyStatus.IN_CUSTODY, status=OrderStatus.AWAITING_ACTIVATION
        )
        uow.session.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=ReleaseDateKind.CRD,
                on=release,
                recorded_at=datetime(2026, 11, 1, 9, tzinfo=LONDON),
            )
        )
        uow.commit()


def _text(result: Any) -> str:
    return json.dumps([post.blocks for post in result.posts])


def test_a_horizon_crossed_while_the_bot_was_down_is_reported_at_the_next_run(
    runtime: Runtime,
) -> None:
    _in_custody(runtime, date(2026, 12, 3))  # the 7-day mark falls on Thursday 26/11
    assert run_job(runtime, "horizons", date(2026, 11, 25)).detail == "nothing to post"
    # No run on Thursday or Friday: Monday's run covers everything since Wednesday's.
    monday = run_job(runtime, "horizons", date(2026, 11, 30))
    assert "LOM-0001" in _text(monday) and "7-day mark" in _text(monday)
    tuesday = run_job(runtime, "horizons", date(2026, 12, 1))
    assert tuesday.detail == "nothing to post"  # reported once


def test_a_changed_release_date_is_reported_once_as_a_change(runtime: Runtime) -> None:
    _in_custody(runtime, date(2027, 3, 1))
    with runtime.uow() as uow:
        uow.session.add(
            ReleaseDate(
                subject_id=1,
                kind=ReleaseDateKind.CRD,
                on=date(2027, 2, 10),
                recorded_at=datetime(2026, 11, 24, 15, tzinfo=LONDON),
            )
        )
        uow.commit()
    run_job(runtime, "horizons", date(2026, 11, 23))
    wednesday = run_job(runtime, "horizons", date(2026, 11, 25))
    assert "changed from 01/03/2027 to *10/02/2027* (earlier" in _text(wednesday)
    assert run_job(runtime, "horizons", date(2026, 11, 26)).detail == "nothing to post"


def test_the_scheduler_registers_each_enabled_job_in_london_time(demo: Runtime) -> None:
    scheduler = start_scheduler(demo, deliver=lambda: None, start=False)
    ids = {job.id for job in scheduler.get_jobs()}
    assert ids == set(jobs_module.JOBS) | {"outbox", "catch-up", "purge-delivered"}
    daily = next(j for j in scheduler.get_jobs() if j.id == "daily-due")
    assert str(daily.trigger.timezone) == "Europe/London"
