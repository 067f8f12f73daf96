"""Supervisor statistics on demand: the weekly summary's own figures for a chosen period.

Nothing is counted here: build_weekly_summary (services/summary.py) computes the figures and
weekly_chart (schedules/chart.py) draws them, so `/lom stats` and Monday's post always agree.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, timedelta

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.summary import WEEKS, WeeklySummary, build_weekly_summary
from lom_bot.store.classification import Classification
from lom_bot.store.uow import UnitOfWork

EXAMPLE = "/lom stats 01/10/2026 31/10/2026"


@dataclass(frozen=True)
class Period:
    """The asked-for days, and the whole weeks ending on its last day that cover them."""

    start: date
    end: date

    @property
    def weeks(self) -> int:
        return -(-((self.end - self.start).days + 1) // 7)

    @property
    def week_start(self) -> date:
        return self.end - timedelta(days=7 * self.weeks - 1)


@dataclass(frozen=True)
class Stats:
    summary: WeeklySummary
    period: Period
    contacts: int
    checks: int
    breaches: int


def choose_period(start: date | None, end: date | None, today: date) -> Period:
    """Default: the week to yesterday, as the Monday summary; at most the summary's 12 weeks."""
    last = end or today - timedelta(days=1)
    first = start or last - timedelta(days=6)
    if last > today:
        raise InvalidInput("The period cannot end after today.", field="to", example=EXAMPLE)
    if first > last:
        raise InvalidInput("The period ends before it starts.", field="from", example=EXAMPLE)
    period = Period(first, last)
    if period.weeks > WEEKS:
        raise InvalidInput(
            f"Statistics cover at most {WEEKS} weeks (the summary's series). For longer "
            "periods, `lom-bot export` gives the records.",
            field="from",
            example=EXAMPLE,
        )
    return period


def stats_for(uow: UnitOfWork, actor: Actor, period: Period) -> Stats:
    """The summary as it stood at the end of the period; its chart is sent to the asker's DM."""
    with uow:
        require(actor, Action.VIEW_STATS)
        summary = build_weekly_summary(uow, period.end + timedelta(days=1))
        n = period.weeks
        series = summary.series
        refs = list(dict.fromkeys(x.subject_ref for x in summary.upcoming))
        for ref in refs:  # the reply names subjects ahead: a consultation by the supervisor
            uow.audit(
                actor.slack_id,
                AuditAction.CONSULTATION,
                "stats.viewed",
                subject_ref=ref,
                purpose="supervisor statistics",
            )
        uow.send(
            "upload",
            actor.slack_id,  # an ephemeral reply cannot carry a file: the chart goes by DM
            _chart_payload(summary),
            actor=actor.slack_id,
            classification=Classification.REFERENCE,  # counts only
            purpose="supervisor statistics chart",
        )
        uow.commit()
    return Stats(
        summary,
        period,
        contacts=sum(series.contacts[-n:]),
        checks=sum(series.checks[-n:]),
        breaches=sum(series.breaches[-n:]),
    )


def _chart_payload(summary: WeeklySummary) -> dict[str, str]:
    from lom_bot.services.chart import weekly_chart

    end = summary.series.week_ends[-1]
    return {
        "content": base64.b64encode(weekly_chart(summary.series)).decode("ascii"),
        "filename": f"lom-stats-{end.isoformat()}.png",
        "title": f"LOM activity, {WEEKS} weeks to {format_date(end)}",
    }
