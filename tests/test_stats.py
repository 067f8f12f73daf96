"""/lom stats: the weekly summary's own figures for a chosen period, with the chart."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.runtime import Runtime
from lom_bot.services.chart import PNG_MAGIC
from lom_bot.services.permissions import Actor
from lom_bot.services.stats import Period, choose_period, stats_for
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.tables import AuditEntry, OutboxMessage
from tests.e2e.harness import SlackHarness, check_blocks, harness

TODAY = date(2026, 11, 25)


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def test_the_default_period_is_the_week_to_yesterday_as_in_the_monday_summary() -> None:
    period = choose_period(None, None, TODAY)
    assert (period.start, period.end, period.weeks) == (date(2026, 11, 18), date(2026, 11, 24), 1)


def test_a_period_is_covered_by_whole_weeks_ending_on_its_last_day() -> None:
    period = choose_period(date(2026, 10, 1), date(2026, 10, 31), TODAY)
    assert period.weeks == 5 and period.week_start == date(2026, 9, 27)


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (date(2026, 11, 1), date(2026, 10, 1), "ends before it starts"),
        (None, date(2026, 11, 26), "after today"),
        (date(2026, 1, 1), date(2026, 11, 24), "at most 12 weeks"),
    ],
)
def test_an_impossible_or_too_long_period_is_refused(
    start: date | None, end: date, reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        choose_period(start, end, TODAY)


def test_the_figures_are_the_weekly_summarys_and_the_chart_is_queued_for_the_asker(
    demo: Runtime, supervisor: Actor
) -> None:
    period = Period(date(2026, 10, 1), date(2026, 10, 31))
    stats = stats_for(demo.uow(), supervisor, period)
    with demo.uow() as uow:
        monday = build_weekly_summary(uow, date(2026, 11, 1))
        queued = uow.session.scalars(select(OutboxMessage)).all()
    assert stats.summary.week_end == monday.week_end == date(2026, 10, 31)
    assert stats.summary.contacts_logged == monday.contacts_logged
    assert stats.summary.caseload == monday.caseload
    assert stats.contacts == sum(monday.series.contacts[-5:]) > 0
    assert stats.breaches == sum(monday.series.breaches[-5:])
    assert [(m.method, m.channel) for m in queued] == [("upload", "U0SUPER")]
    assert base64.b64decode(queued[0].payload["content"]).startswith(PNG_MAGIC)


def test_an_officer_may_not_see_the_statistics(demo: Runtime, officer: Actor) -> None:
    with pytest.raises(NotAuthorised):
        stats_for(demo.uow(), officer, choose_period(None, None, TODAY))


def test_lom_stats_answers_with_the_summary_and_sends_the_chart_by_dm(
    slack: SlackHarness,
) -> None:
    result = slack.command("U0SUPER", "stats 01/10/2026 31/10/2026")
    check_blocks(result.blocks)
    shown = json.dumps(result.blocks)
    assert "Weekly summary: 25/10/2026 to 31/10/2026" in shown
    assert "Period 01/10/2026 to 31/10/2026* (whole weeks: 27/09/2026 to 31/10/2026)" in shown
    assert "sent to you as a direct message" in shown and "follows in the thread" not in shown
    assert result.replies[0]["response_type"] == "ephemeral"
    slack.flush()
    uploads = slack.standin.calls_to("files.completeUploadExternal")
    assert len(uploads) == 1
    with slack.rt.uow() as uow:
        viewed = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "stats.viewed")
        ).all()
    assert viewed and {a.actor for a in viewed} == {"U0SUPER"}
    assert [c.params.get("users") for c in slack.standin.calls_to("conversations.open")] == [
        "U0SUPER"
    ]


def test_lom_stats_with_no_dates_covers_last_week(slack: SlackHarness) -> None:
    result = slack.command("U0SUPER", "stats")
    yesterday = TODAY - timedelta(days=1)
    assert f"to {yesterday:%d/%m/%Y}" in json.dumps(result.blocks)


@pytest.mark.parametrize(
    ("user", "text", "answer"),
    [
        ("U0OFF1", "stats", "may not use `/lom stats`"),
        ("U0SUPER", "stats 31/02/2026", "not a real date"),
        ("U0SUPER", "stats 01/01/2026 24/11/2026", "at most 12 weeks"),
        ("U0SUPER", "stats 1 2 3", "at most two dates"),
    ],
)
def test_lom_stats_refuses_clearly(slack: SlackHarness, user: str, text: str, answer: str) -> None:
    assert answer in slack.command(user, text).text
