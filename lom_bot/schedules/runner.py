"""APScheduler wiring: cron triggers in the configured time zone, working days, catch-up.

Every fire goes through the run ledger, so the scheduler may fire twice (two processes, a
restart, a catch-up after a hand-triggered run) and each job still posts once per period.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from lom_bot.config import AppConfig, Schedule
from lom_bot.domain.workdays import is_working_day
from lom_bot.schedules.execute import RunResult, run_job
from lom_bot.schedules.jobs import JOBS, Job

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

OUTBOX_JOB = "outbox"
PURGE_JOB = "purge-delivered"
DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_NUMBER = re.compile(r"(?<![/\d])\d+")
MISFIRE_GRACE = 3600  # seconds a fire may run late (a busy pool, a suspended host)
CATCH_UP_MINUTES = 15


def cron_trigger(cron: str, tz: ZoneInfo) -> CronTrigger:
    """A standard five-field cron in `tz`; weekday numbers read as in crontab (0 = Sunday)."""
    minute, hour, day, month, dow = cron.split()
    dow = _NUMBER.sub(lambda m: DAY_NAMES[int(m[0]) % 7], dow)
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=dow, timezone=tz)


def schedule_of(config: AppConfig, job: Job) -> Schedule:
    schedule: Schedule = getattr(config.schedules, job.key)
    return schedule


def fire_times(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end)."""
    out: list[datetime] = []
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < end and len(out) < 10_000:
        out.append(fire)
        # Step in UTC: local arithmetic loses `fold` and loops in October's repeated hour.
        fire = trigger.get_next_fire_time(fire, fire.astimezone(UTC) + timedelta(seconds=1))
    return out


def missed_today(rt: Runtime, now: datetime | None = None) -> list[str]:
    """Jobs whose fire time today (local) has already passed: to run if the ledger has none."""
    tz = ZoneInfo(rt.config.timezone)
    now = now or rt.clock.now()
    local = now.astimezone(tz)
    midnight = datetime(local.year, local.month, local.day, tzinfo=tz)
    names = []
    for job in JOBS.values():
        schedule = schedule_of(rt.config, job)
        if not schedule.enabled:
            continue
        if fire_times(cron_trigger(schedule.cron, tz), midnight, now + timedelta(microseconds=1)):
            names.append(job.name)
    return names


def run_scheduled(rt: Runtime, name: str, trigger: str = "schedule") -> RunResult | None:
    """A scheduler fire: today's run unless today is not a working day for this job."""
    job = JOBS[name]
    day = rt.clock.today()
    if schedule_of(rt.config, job).working_days_only and not is_working_day(day):
        log.info("job %s not run on %s: not a working day", name, day)
        return None
    return run_job(rt, name, day, trigger=trigger)


def catch_up(rt: Runtime) -> list[RunResult]:
    """Run today's fires missed while the bot was down (the ledger skips those that ran)."""
    results = []
    for name in missed_today(rt):
        result = run_scheduled(rt, name, trigger="catch-up")
        if result is not None:
            results.append(result)
    return results


def purge_delivered_job(rt: Runtime) -> None:
    """Nightly: sent outbox rows and seen event ids past retention.delivery_days."""
    from lom_bot.services.delivery_admin import purge_delivered

    days = rt.config.retention.delivery_days
    purged = purge_delivered(rt.uow(), days)
    log.info("purged %s sent messages and %s seen event ids older than %s days",
             purged.messages, purged.event_ids, days)  # fmt: skip


def start_scheduler(
    rt: Runtime,
    *,
    deliver: Callable[[], object] | None = None,
    start: bool = True,
) -> BackgroundScheduler:
    """Schedule every enabled job (and, given `deliver`, the outbox sweep); catch up at once."""
    tz = ZoneInfo(rt.config.timezone)
    scheduler = BackgroundScheduler(
        timezone=tz,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE},
    )
    for job in JOBS.values():
        schedule = schedule_of(rt.config, job)
        if schedule.enabled:
            scheduler.add_job(
                run_scheduled,
                cron_trigger(schedule.cron, tz),
                args=[rt, job.name],
                id=job.name,
                name=job.summary,
            )
    if deliver is not None and rt.config.schedules.outbox.enabled:
        scheduler.add_job(
            deliver,
            cron_trigger(rt.config.schedules.outbox.cron, tz),
            id=OUTBOX_JOB,
            name="deliver the outbox",
        )
    scheduler.add_job(
        purge_delivered_job,
        CronTrigger(hour=3, minute=30, timezone=tz),
        args=[rt],
        id=PURGE_JOB,
        name="purge sent Slack messages and seen event ids past retention",
    )
    # At start, then every few minutes: a fire missed while the bot was down, or dropped by
    # APScheduler past its grace time, or a failed run, is run (once: the ledger decides).
    scheduler.add_job(
        catch_up,
        IntervalTrigger(minutes=CATCH_UP_MINUTES, timezone=tz),
        args=[rt],
        id="catch-up",
        name="missed or failed runs today",
        next_run_time=datetime.now(tz),
    )
    if start:
        scheduler.start()
        log.info("scheduler started with %s jobs", len(scheduler.get_jobs()))
    return scheduler
