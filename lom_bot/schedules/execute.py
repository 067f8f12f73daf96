"""Running one job for one date: claim the period, build, queue the posts, mark it done."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from lom_bot.domain.errors import NotFound
from lom_bot.schedules import ledger
from lom_bot.schedules.jobs import JOBS, Job, period_of
from lom_bot.schedules.posts import Post, publish

if TYPE_CHECKING:
    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    job: str
    period: str
    status: str  # done | skipped | failed | dry-run
    posts: list[Post] = field(default_factory=list)
    detail: str = ""

    def __str__(self) -> str:
        if self.status == "skipped":
            return f"{self.job} {self.period}: already run for this period; nothing posted."
        if self.status == "failed":
            return f"{self.job} {self.period}: failed ({self.detail}); it can be run again."
        if self.status == "dry-run":
            n = len(self.posts)
            return (
                f"{self.job} {self.period}: dry run, {n} post{'s' if n != 1 else ''} (none sent)."
            )
        return f"{self.job} {self.period}: {self.detail}"


def job_named(name: str) -> Job:
    job = JOBS.get(name)
    if job is None:
        raise NotFound(f"There is no job '{name}'.", field="job", example=", ".join(sorted(JOBS)))
    return job


def run_job(
    rt: Runtime, name: str, day: date, *, trigger: str = "manual", dry_run: bool = False
) -> RunResult:
    """Run `name` for `day` once per period; a dry run only computes (no ledger, no posts)."""
    job = job_named(name)
    period = period_of(job.every, day)
    if dry_run:
        with rt.uow() as uow:
            return RunResult(job.name, period, "dry-run", job.build(uow, day))
    claim = ledger.claim(rt.uow(), job.name, period, trigger)
    if claim is None:
        return RunResult(job.name, period, "skipped")
    try:
        uow = rt.uow()
        with uow:
            posts = job.build(uow, day)
            queued = publish(uow, job.name, period, posts)
            detail = (
                f"{queued} post{'s' if queued != 1 else ''} queued" if queued else "nothing to post"
            )
            ledger.finish(uow, claim, detail)
            uow.commit()
    except ledger.LostClaim:
        log.warning("job %s for %s was taken over by another runner; not posted", name, period)
        return RunResult(job.name, period, "skipped")
    except Exception as exc:  # recorded in the ledger so that a later run may retry it
        log.exception("job %s for %s failed", job.name, period)
        ledger.fail(rt.uow(), claim, f"{exc.__class__.__name__}: {exc}")
        return RunResult(job.name, period, "failed", detail=exc.__class__.__name__)
    log.info("job %s for %s: %s (%s)", job.name, period, detail, trigger)
    return RunResult(job.name, period, "done", posts, detail)
