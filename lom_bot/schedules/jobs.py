"""The scheduled jobs: plain functions of (unit of work, date) returning the posts to make.

Computing and posting are apart so that a dry run can print exactly what a real run would
queue, and a post that fails to send is retried by the outbox, never computed again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from lom_bot.blocks.capacity import SLIP_SHOWN, capacity_messages
from lom_bot.blocks.common import Block, context_note, escape, header, section
from lom_bot.blocks.digest import (
    digest_messages,
    district_messages,
    horizon_messages,
    pack_lines,
    paginate,
    upcoming_messages,
)
from lom_bot.blocks.digest_summary import SOON_DAYS, summary_messages
from lom_bot.domain.dates import format_date
from lom_bot.schedules import ledger
from lom_bot.schedules.posts import Post, combine, thread
from lom_bot.services.capacity import build_capacity
from lom_bot.services.capacity_chart import capacity_chart
from lom_bot.services.chart import weekly_chart
from lom_bot.services.digest import build_daily_digest, build_district_tasks, horizons
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.classification import Classification
from lom_bot.store.uow import UnitOfWork

Build = Callable[[UnitOfWork, date], list[Post]]


@dataclass(frozen=True)
class Job:
    name: str  # as typed: lom-bot jobs run daily-due
    key: str  # its schedule in app.yaml: schedules.daily_due
    every: str  # day | week | month: the period it posts once in
    build: Build
    summary: str


def period_of(every: str, day: date) -> str:
    """The ledger period a date falls in: 2026-11-25, 2026-W48 or 2026-11."""
    if every == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if every == "month":
        return f"{day:%Y-%m}"
    return day.isoformat()


def daily_due(uow: UnitOfWork, day: date) -> list[Post]:
    digest = build_daily_digest(uow, day)
    refs = tuple(dict.fromkeys(line.subject_ref for line in digest.lines if line.subject_ref))
    return thread(
        digest_messages(digest),
        uow.config.channels.lom_team.id,
        subjects=refs,
        purpose="daily due list",
    )


def district_tasks(uow: UnitOfWork, day: date) -> list[Post]:
    groups = []
    for name, tasks in build_district_tasks(uow, day).items():
        district = uow.config.district(name)
        if district is None or not tasks:
            continue
        detail = district.channel.sensitive  # only then may a curfew check show its address
        groups.append(
            thread(
                district_messages(name, tasks, day, detail=detail),
                district.channel.id,
                classification=Classification.DETAIL if detail else Classification.REFERENCE,
                subjects=tuple(dict.fromkeys(t.subject_ref for t in tasks)),
                purpose="district tasks due",
            )
        )
    return combine(groups)


def horizon_alerts(uow: UnitOfWork, day: date) -> list[Post]:
    """Crossings and changes since the last completed run (so none falls between runs)."""
    last = ledger.last_done_period(uow, "horizons", day.isoformat())
    since = date.fromisoformat(last) if last else None
    ahead = horizons(uow, day, since=since)
    return thread(
        horizon_messages(ahead),
        uow.config.channels.lom_team.id,
        subjects=tuple(
            dict.fromkeys(
                [x.subject_ref for x in ahead.crossings] + [x.subject_ref for x in ahead.changes]
            )
        ),
        purpose="release and expiry horizons",
    )


def upcoming_weekly(uow: UnitOfWork, day: date) -> list[Post]:
    ahead = horizons(uow, day)
    return thread(
        upcoming_messages(ahead),
        uow.config.channels.lom_team.id,
        subjects=tuple(dict.fromkeys(x.subject_ref for x in ahead.upcoming)),
        purpose="upcoming releases and expiries",
    )


def weekly_summary(uow: UnitOfWork, day: date) -> list[Post]:
    ws = build_weekly_summary(uow, day)
    channel = uow.config.channels.supervisors.id
    districts = [d.name for d in uow.config.districts]
    # The summary names only what is due in the next SOON_DAYS days.
    refs = tuple(dict.fromkeys(x.subject_ref for x in ws.upcoming if x.days <= SOON_DAYS))
    week = build_capacity(uow, day)
    slipping = tuple(line.subject_ref for _, line in week.slipping[:SLIP_SHOWN] if line.subject_ref)
    posts = thread(
        summary_messages(ws, districts) + capacity_messages(week),
        channel,
        subjects=tuple(dict.fromkeys(refs + slipping)),
        purpose="weekly summary",
    )
    capacity = Post(
        channel,
        f"Workload against capacity, {format_date(week.start)} to {format_date(week.end)}",
        classification=Classification.REFERENCE,  # counts per officer only
        thread_under=0,
        method="upload",
        content=capacity_chart(week),
        filename=f"lom-capacity-{week.start.isoformat()}.png",
        purpose="weekly summary capacity chart",
    )
    chart = Post(
        channel,
        f"LOM activity, 12 weeks to {format_date(ws.week_end)}",
        classification=Classification.REFERENCE,  # counts only
        thread_under=0,
        method="upload",
        content=weekly_chart(ws.series),
        filename=f"lom-weekly-{ws.week_end.isoformat()}.png",
        purpose="weekly summary chart",
    )
    return [*posts, chart, capacity]


def retention_review(uow: UnitOfWork, day: date) -> list[Post]:
    """Records whose retention review date has come, for a supervisor to decide."""
    from lom_bot.services.retention import records_due_for_review

    due = records_due_for_review(uow, day)
    if not due:
        return []
    title = f"Records due for retention review: {format_date(day)}"
    lines = [
        f"• {d.record.kind.value} `{d.record.ref}` (subject `{d.subject_ref}`): review date "
        f"{format_date(d.review_on)}; {d.note}"
        for d in due
    ]
    blocks: list[Block] = [header(title), section(f"{len(due)} records to decide on.")]
    blocks += pack_lines(lines)
    blocks.append(
        context_note(
            "Nothing is erased without a supervisor's recorded decision: "
            + escape(
                "`/lom retention <ref> retain [until DATE] <reason>` or "
                "`/lom retention <ref> erase <reason>`."
            )
        )
    )
    return thread(
        paginate(f"{title}: {len(due)}", blocks),
        uow.config.channels.supervisors.id,
        subjects=tuple(dict.fromkeys(d.subject_ref for d in due)),
        purpose="retention review",
    )


def expire_orders(uow: UnitOfWork, day: date) -> list[Post]:
    """Move orders onto the 180-day radar and past their end; tell the team what moved."""
    from lom_bot.services.orders.closure import expire_orders_within

    moved = expire_orders_within(uow, day)
    if not (moved.expiring or moved.expired):
        return []
    lines = [f"• `{ref}` is now expired: the closure checklist is open." for ref in moved.expired]
    lines += [
        f"• `{ref}` is now expiring: time to consider applying for a new order (s.16(6))."
        for ref in moved.expiring
    ]
    title = f"Orders moved by the expiry check: {format_date(day)}"
    blocks: list[Block] = [header(title), *pack_lines(lines)]
    return thread(
        paginate(title, blocks), uow.config.channels.lom_team.id, purpose="order expiry check"
    )


def cover_ends(uow: UnitOfWork, day: date) -> list[Post]:
    """Tell each officer whose cover ended yesterday, and the officer the subjects went back to."""
    from lom_bot.services.cover import cover_ended_dms

    return [
        Post(slack_id, text, None, subjects=refs, method="dm", purpose="cover ended")
        for slack_id, text, refs in cover_ended_dms(uow.session, day)
    ]


def audit_anchor(uow: UnitOfWork, day: date) -> list[Post]:
    """The audit chain's tip, kept in the supervisors' channel: outside the database."""
    from lom_bot.services.audit_anchor import anchor_in

    anchor = anchor_in(uow)
    text = (
        f"Audit log anchor for {format_date(day)}: `{anchor}`. It is kept here, outside "
        f"lom-bot's database: `lom-bot audit verify --anchor {anchor}` shows that nothing "
        "recorded before it was changed, removed or back-dated."
    )
    return [
        Post(
            uow.config.channels.supervisors.id,
            text,
            [section(escape(text))],
            classification=Classification.REFERENCE,
            purpose="audit anchor",
        )
    ]


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "expire-orders",
            "expire_orders",
            "day",
            expire_orders,
            "orders onto the expiry radar (180 days) and past their end date",
        ),
        Job(
            "cover-ends",
            "cover_ends",
            "day",
            cover_ends,
            "DMs when a caseload handover's cover has ended",
        ),
        Job("daily-due", "daily_due", "day", daily_due, "what is due or overdue, by officer"),
        Job(
            "district-tasks",
            "district_tasks",
            "day",
            district_tasks,
            "each district's tasks due today, references only",
        ),
        Job(
            "horizons",
            "horizons",
            "day",
            horizon_alerts,
            "subjects crossing a release or expiry horizon; release date changes",
        ),
        Job(
            "upcoming-weekly",
            "upcoming_weekly",
            "week",
            upcoming_weekly,
            "every release and expiry ahead",
        ),
        Job(
            "weekly-summary",
            "weekly_summary",
            "week",
            weekly_summary,
            "supervisors' summary with a 12-week chart",
        ),
        Job(
            "audit-anchor",
            "audit_anchor",
            "day",
            audit_anchor,
            "the audit chain's tip, kept in the supervisors' channel",
        ),
        Job(
            "retention-review",
            "retention_review",
            "month",
            retention_review,
            "records due for retention review",
        ),
    )
}
