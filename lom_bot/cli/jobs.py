"""lom-bot jobs list | jobs run NAME, and lom-bot scheduler (the scheduler on its own)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from lom_bot.cli.common import runtime
from lom_bot.domain.dates import parse_date

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime


def register(cli: click.Group) -> None:
    @cli.group("jobs")
    def jobs() -> None:
        """The scheduled posts: list them, or run one by hand."""

    @jobs.command("list")
    def list_jobs() -> None:
        """Each job, its schedule, its next fire time and its last run."""
        click.echo(jobs_table(runtime()))

    @jobs.command("run")
    @click.argument("name")
    @click.option("--date", "on", metavar="YYYY-MM-DD", help="The day to run for (default today).")
    @click.option("--dry-run", is_flag=True, help="Print what would be posted; post nothing.")
    def run(name: str, on: str | None, dry_run: bool) -> None:
        """Run job NAME once for a day (once per period: a second run posts nothing)."""
        from lom_bot.schedules.execute import job_named, run_job
        from lom_bot.schedules.posts import as_text

        job_named(name)  # an unknown name fails before connecting
        rt = runtime()
        day = parse_date(on, rt.clock.today(), field="--date") if on else rt.clock.today()
        result = run_job(rt, name, day, dry_run=dry_run)
        if dry_run:
            click.echo(as_text(result.posts, rt.config))
        click.echo(str(result))
        if result.status == "failed":
            raise click.exceptions.Exit(1)
        if result.status == "done" and result.posts:
            click.echo(deliver_now(rt))

    @cli.command("scheduler")
    def scheduler() -> None:
        """Run only the scheduled jobs and the outbox sender (for a separate process)."""
        rt = runtime()
        run_scheduler(rt)


def deliver_now(rt: Runtime) -> str:
    """Send the queued posts now when Slack is configured; else say who will."""
    if not rt.settings.slack_configured:
        return "Queued in the outbox: the running bot (or `lom-bot scheduler`) sends them."
    from lom_bot.bootstrap import outbox_chat, slack_client
    from lom_bot.handlers.delivery import OutboxWorker

    sent = OutboxWorker(rt, outbox_chat(slack_client(rt))).flush()
    return f"Sent {sent} messages to Slack."


def jobs_table(rt: Runtime) -> str:
    from lom_bot.schedules import ledger
    from lom_bot.schedules.jobs import JOBS
    from lom_bot.schedules.runner import cron_trigger, schedule_of

    tz = ZoneInfo(rt.config.timezone)
    last = ledger.last_runs(rt.uow())
    now = rt.clock.now()
    rows = [("JOB", "SCHEDULE", "NEXT", "LAST RUN")]
    for job in JOBS.values():
        schedule = schedule_of(rt.config, job)
        when = schedule.cron + (" (working days)" if schedule.working_days_only else "")
        fire = cron_trigger(schedule.cron, tz).get_next_fire_time(None, now)
        upcoming = _local(fire, tz) if schedule.enabled and fire else "disabled"
        ran = last.get(job.name)
        was = "never"
        if ran is not None:
            at = _local(ran.finished_at or ran.started_at, tz)
            was = f"{ran.period} {ran.status} ({ran.trigger}, {at})"
            if ran.summary:
                was += f": {ran.summary[:60]}"
        rows.append((job.name, when, upcoming, was))
    outbox = rt.config.schedules.outbox
    rows.append(("outbox", outbox.cron, "with the bot", "sent on commit; retried with backoff"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(r))
        for r in rows
    )


def _local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %d/%m/%Y %H:%M %Z")


def run_scheduler(rt: Runtime, *, stop: threading.Event | None = None) -> None:
    """The scheduler and (with Slack tokens) the outbox sender, until SIGTERM or Ctrl-C."""
    from lom_bot.lifecycle import STOP_WITHIN, Stopper, within
    from lom_bot.schedules.runner import start_scheduler

    stop = stop or threading.Event()
    worker = None
    if rt.settings.slack_configured:
        from lom_bot.bootstrap import outbox_chat, slack_client
        from lom_bot.handlers.delivery import OutboxWorker
        from lom_bot.services.pacing import Pacer

        worker = OutboxWorker(rt, outbox_chat(slack_client(rt)), pacer=Pacer()).start()
        click.echo("lom-bot scheduler: sending the outbox to Slack.")
    else:
        click.echo(
            "lom-bot scheduler: SLACK_BOT_TOKEN is not set, so posts stay queued in the outbox "
            "for a process that has it (lom-bot serve)."
        )
    scheduler = start_scheduler(rt, deliver=worker.deliver_once if worker else None)
    from lom_bot.bootstrap import settle

    settle()
    stopper = Stopper("lom-bot scheduler")
    stopper.event = stop
    main = threading.current_thread() is threading.main_thread()
    previous = [signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)] if main else []
    if main:
        stopper.install()
    click.echo(f"lom-bot scheduler: {len(scheduler.get_jobs())} jobs scheduled; Ctrl-C stops.")
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:  # a signal handler of the caller's (tests run it in a thread)
        stopper.request("SIGINT")
    finally:
        steps: list[tuple[str, Callable[[], object]]] = [
            ("the job running", lambda: scheduler.shutdown(wait=True)),  # finish its transaction
        ]
        if worker is not None:
            steps.append(("the outbox", lambda: worker.stop(STOP_WITHIN)))
        # A job has its run ledger: one cut off by the deadline is caught up after a restart.
        within(STOP_WITHIN, *steps)
        for sig, handler in zip((signal.SIGTERM, signal.SIGINT), previous, strict=False):
            signal.signal(sig, handler)
        rt.close()
        stopper.stopped()
