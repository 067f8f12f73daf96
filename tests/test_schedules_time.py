"""Cron triggers in Europe/London: once at 07:30 local, also on the days the clocks change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from lom_bot.config import AppConfig
from lom_bot.schedules.jobs import period_of
from lom_bot.schedules.runner import cron_trigger, fire_times

LONDON = ZoneInfo("Europe/London")


def fires(cron: str, start: datetime, end: datetime) -> list[datetime]:
    return fire_times(cron_trigger(cron, LONDON), start, end)


@pytest.mark.parametrize(
    ("change_day", "before", "after"),
    [
        # 29 March 2026: 01:00 GMT becomes 02:00 BST, so 07:30 local is 06:30 UTC from then.
        (
            "2026-03-29",
            datetime(2026, 3, 28, 7, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 6, 30, tzinfo=UTC),
        ),
        # 25 October 2026: 02:00 BST becomes 01:00 GMT, so 07:30 local is 07:30 UTC from then.
        (
            "2026-10-25",
            datetime(2026, 10, 24, 6, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 7, 30, tzinfo=UTC),
        ),
    ],
)
def test_a_daily_0730_job_fires_once_at_0730_local_across_a_clock_change(
    change_day: str, before: datetime, after: datetime
) -> None:
    day = datetime.fromisoformat(change_day).replace(tzinfo=LONDON)
    got = fires("30 7 * * *", day.replace(day=day.day - 1), day.replace(day=day.day + 1))
    assert got == [before, after]
    assert [t.astimezone(LONDON).strftime("%H:%M") for t in got] == ["07:30", "07:30"]


def test_the_working_day_digest_skips_the_weekend_of_each_clock_change(
    app_config: AppConfig,
) -> None:
    cron = app_config.schedules.daily_due.cron
    march = fires(cron, datetime(2026, 3, 27, tzinfo=LONDON), datetime(2026, 3, 31, tzinfo=LONDON))
    assert march == [
        datetime(2026, 3, 27, 7, 30, tzinfo=UTC),  # Friday, GMT
        datetime(2026, 3, 30, 6, 30, tzinfo=UTC),  # Monday, BST
    ]
    october = fires(
        cron, datetime(2026, 10, 23, tzinfo=LONDON), datetime(2026, 10, 27, tzinfo=LONDON)
    )
    assert october == [
        datetime(2026, 10, 23, 6, 30, tzinfo=UTC),  # Friday, BST
        datetime(2026, 10, 26, 7, 30, tzinfo=UTC),  # Monday, GMT
    ]


def test_a_job_in_octobers_repeated_hour_fires_twice_within_one_ledger_period() -> None:
    # APScheduler fires 01:30 at both 01:30 BST and 01:30 GMT; both fall on the same local
    # date, so the run ledger lets only the first post (why no job is scheduled at 01:xx).
    got = fires(
        "30 1 * * *", datetime(2026, 10, 25, tzinfo=LONDON), datetime(2026, 10, 26, tzinfo=LONDON)
    )
    assert [t.astimezone(UTC).hour for t in got] == [0, 1]
    assert {period_of("day", t.astimezone(LONDON).date()) for t in got} == {"2026-10-25"}


def test_cron_weekday_numbers_read_as_in_crontab_with_sunday_as_zero() -> None:
    got = fires(
        "0 9 * * 0", datetime(2026, 11, 23, tzinfo=LONDON), datetime(2026, 11, 30, tzinfo=LONDON)
    )
    assert [t.astimezone(LONDON).strftime("%A") for t in got] == ["Sunday"]
    weekdays = fires(
        "0 9 * * 1-5", datetime(2026, 11, 23, tzinfo=LONDON), datetime(2026, 11, 30, tzinfo=LONDON)
    )
    assert len(weekdays) == 5 and weekdays[0].astimezone(LONDON).strftime("%A") == "Monday"
