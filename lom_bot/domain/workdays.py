"""Working days in England and Wales: weekdays that are not bank holidays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


@lru_cache(maxsize=16384)  # pure, and called per subject and cadence by the due lists
def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (before it when negative)."""
    step = 1 if days >= 0 else -1
    current, remaining = start, abs(days)
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    after = day + timedelta(days=1)
    while not is_working_day(after):
        after += timedelta(days=1)
    return after
