"""The run ledger: a job posts once per period, however many processes or restarts.

A run is claimed by inserting its (job, period) row first; the unique constraint lets exactly
one claimant win, on SQLite and on PostgreSQL alike. A failed run, or one whose process died
mid-run, can be claimed again by an atomic compare-and-set update.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from lom_bot.store.tables import JobRun
from lom_bot.store.uow import UnitOfWork

RUNNING, DONE, FAILED = "running", "done", "failed"
# A run still "running" after this long lost its process (a run takes seconds).
STALE_AFTER = timedelta(minutes=30)


class LostClaim(Exception):
    """Another runner took this run over (it looked dead): this one must not post."""


@dataclass(frozen=True)
class Claim:
    run_id: int
    owner: str  # unique per claim, so a runner that lost its claim can tell


def owner() -> str:
    """Who is running (host, process, thread) plus a token unique to this claim."""
    where = f"{socket.gethostname()[:32]}:{os.getpid()}:{threading.get_ident() % 100000}"
    return f"{where}:{uuid.uuid4().hex[:8]}"


def claim(uow: UnitOfWork, job: str, period: str, trigger: str) -> Claim | None:
    """The claim if this caller may run (job, period) now; None if it ran or is running."""
    me = owner()
    with uow:
        now = uow.clock.now()
        row = JobRun(
            job=job, period=period, started_at=now, status=RUNNING, trigger=trigger, owner=me
        )
        uow.session.add(row)
        try:
            uow.session.flush()
            uow.commit()
            return Claim(row.id, me)
        except IntegrityError:
            uow.session.rollback()
    return _reclaim(uow, job, period, trigger, me)


def _reclaim(uow: UnitOfWork, job: str, period: str, trigger: str, me: str) -> Claim | None:
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
                owner=me,
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
        return None if run_id is None else Claim(run_id, me)


def _mine(claim: Claim) -> ColumnElement[bool]:
    return and_(JobRun.id == claim.run_id, JobRun.owner == claim.owner, JobRun.status == RUNNING)


def finish(uow: UnitOfWork, claim: Claim, summary: str) -> None:
    """Mark done inside the caller's transaction, so the posts and the ledger commit together.

    Raises LostClaim (rolling the posts back with it) if another runner took the run over.
    """
    done = uow.session.execute(
        update(JobRun)
        .where(_mine(claim))
        .values(status=DONE, finished_at=uow.clock.now(), summary=summary[:2000])
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise LostClaim(f"job run {claim.run_id} was taken over by another runner")


def fail(uow: UnitOfWork, claim: Claim, error: str) -> None:
    """Record a failure, unless the run is no longer this caller's."""
    with uow:
        uow.session.execute(
            update(JobRun)
            .where(_mine(claim))
            .values(status=FAILED, finished_at=uow.clock.now(), summary=error[:2000])
            .execution_options(synchronize_session=False)
        )
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
