"""The run ledger: a job posts once per period, however many processes or restarts.

A run is claimed by inserting its (job, period) row first; the unique constraint lets exactly
one claimant win, on SQLite and on PostgreSQL alike. A failed run, or one whose process died
mid-run, can be claimed again by an atomic compare-and-set update.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from lom_bot.store.tables import JobRun
from lom_bot.store.uow import UnitOfWork

RUNNING, DONE, FAILED = "running", "done", "failed"
# A run still "running" after this long lost its process (a run takes seconds).
STALE_AFTER = timedelta(minutes=30)


def owner() -> str:
    """Who is running: host, process and thread, for the ledger and for debugging races."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}"


def claim(uow: UnitOfWork, job: str, period: str, trigger: str) -> int | None:
    """The run's id if this caller may run (job, period) now; None if it ran or is running."""
    with uow:
        now = uow.clock.now()
        row = JobRun(
            job=job, period=period, started_at=now, status=RUNNING, trigger=trigger, owner=owner()
        )
        uow.session.add(row)
        try:
            uow.session.flush()
            uow.commit()
            return row.id
        except IntegrityError:
            uow.session.rollback()
    return _reclaim(uow, job, period, trigger)


def _reclaim(uow: UnitOfWork, job: str, period: str, trigger: str) -> int | None:
    with uow:
        now = uow.clock.now()
        taken = uow.session.execute(
            update(JobRun)
            .where(JobRun.job == job, JobRun.period == period)
            .where(
                or_(
                    JobRun.status == FAILED,
                    and_(JobRun.status == RUNNING, JobRun.started_at < now - STALE_AFTER),
                )
            )
            .values(
                status=RUNNING,
                started_at=now,
                finished_at=None,
                trigger=trigger,
                owner=owner(),
                summary=None,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:
            return None
        run_id = uow.session.scalar(
            select(JobRun.id).where(JobRun.job == job, JobRun.period == period)
        )
        uow.commit()
        return run_id


def finish(uow: UnitOfWork, run_id: int, summary: str) -> None:
    """Mark done inside the caller's transaction, so the posts and the ledger commit together."""
    row = uow.session.get(JobRun, run_id)
    if row is None:  # pragma: no cover - the row was claimed by this caller
        raise RuntimeError(f"job run {run_id} vanished")
    row.status, row.finished_at, row.summary = DONE, uow.clock.now(), summary[:2000]


def fail(uow: UnitOfWork, run_id: int, error: str) -> None:
    with uow:
        row = uow.session.get(JobRun, run_id)
        if row is not None:
            row.status, row.finished_at, row.summary = FAILED, uow.clock.now(), error[:2000]
            uow.commit()


@dataclass(frozen=True)
class LastRun:
    period: str
    status: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    summary: str | None


def last_runs(uow: UnitOfWork) -> dict[str, LastRun]:
    """Each job's latest run (by period), in one query."""
    with uow:
        latest = (
            select(JobRun.job, func.max(JobRun.period).label("period"))
            .group_by(JobRun.job)
            .subquery()
        )
        rows = uow.session.scalars(
            select(JobRun).join(
                latest, and_(JobRun.job == latest.c.job, JobRun.period == latest.c.period)
            )
        )
        return {
            r.job: LastRun(r.period, r.status, r.trigger, r.started_at, r.finished_at, r.summary)
            for r in rows
        }


def last_done_period(uow: UnitOfWork, job: str, before: str) -> str | None:
    """The latest period before `before` in which the job ran to completion."""
    return uow.session.scalar(
        select(func.max(JobRun.period)).where(
            JobRun.job == job, JobRun.status == DONE, JobRun.period < before
        )
    )
