"""When contacts, checks and reviews fall due, by risk level (defaults in app.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from lom_bot.domain.dates import add_months
from lom_bot.domain.enums import RiskLevel
from lom_bot.domain.workdays import add_working_days


class DueKind(StrEnum):
    HOME_VISIT = "home_visit"
    CONTACT = "contact"
    CHECKS = "checks"
    REVIEW = "review"


@dataclass(frozen=True)
class Interval:
    """'14d', '2w', '1m': days, weeks or calendar months."""

    amount: int
    unit: str  # "d", "w" or "m"

    @classmethod
    def parse(cls, text: str) -> Interval:
        text = text.strip().lower()
        if len(text) < 2 or text[-1] not in "dwm" or not text[:-1].isdigit() or int(text[:-1]) < 1:
            raise ValueError(f"'{text}' is not an interval such as 14d, 2w or 3m")
        return cls(int(text[:-1]), text[-1])

    def after(self, start: date) -> date:
        if self.unit == "d":
            return start + timedelta(days=self.amount)
        if self.unit == "w":
            return start + timedelta(weeks=self.amount)
        return add_months(start, self.amount)

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class Cadence:
    home_visit: Interval
    contact: Interval
    checks: Interval
    review: Interval
    home_visit_early: Interval | None = None  # e.g. every 14 days ...
    early_weeks: int = 0  # ... for the first N weeks after activation

    def interval(self, kind: DueKind, activated_on: date | None, on: date) -> Interval:
        if kind is DueKind.HOME_VISIT:
            early = activated_on is not None and on < activated_on + timedelta(
                weeks=self.early_weeks
            )
            if early and self.home_visit_early is not None:
                return self.home_visit_early
            return self.home_visit
        return {
            DueKind.CONTACT: self.contact,
            DueKind.CHECKS: self.checks,
            DueKind.REVIEW: self.review,
        }[kind]


@dataclass(frozen=True)
class DueItem:
    kind: DueKind
    due_on: date
    overdue_from: date

    def state(self, today: date) -> str | None:
        if today >= self.overdue_from:
            return "overdue"
        if today >= self.due_on:
            return "due"
        return None


def next_due(
    cadence: Cadence,
    kind: DueKind,
    *,
    last_done: date | None,
    activated_on: date,
    overdue_after_working_days: int,
) -> DueItem:
    """Due one interval after the last time it was done (or after activation if never)."""
    start = last_done or activated_on
    due_on = cadence.interval(kind, activated_on, start).after(start)
    return DueItem(kind, due_on, add_working_days(due_on, overdue_after_working_days))


@lru_cache(maxsize=256)  # a few intervals a day: the due lists ask once per subject and cadence
def latest_start_due_by(every: Interval, day: date) -> date:
    """The latest start from which `every` has run out by `day`: `every.after(start) <= day`
    exactly when `start` is on or before the date returned (after() never decreases)."""
    if every.unit == "d":
        return day - timedelta(days=every.amount)
    if every.unit == "w":
        return day - timedelta(weeks=every.amount)
    start = add_months(day, -every.amount)  # after(start) <= day; with month ends clamped,
    while every.after(start + timedelta(days=1)) <= day:  # a few later starts may fit too
        start += timedelta(days=1)
    return start


DEFAULT_CADENCES: dict[RiskLevel, Cadence] = {
    RiskLevel.VERY_HIGH: Cadence(
        Interval(1, "m"),
        Interval(1, "w"),
        Interval(1, "m"),
        Interval(1, "m"),
        home_visit_early=Interval(14, "d"),
        early_weeks=12,
    ),
    RiskLevel.HIGH: Cadence(
        Interval(1, "m"), Interval(14, "d"), Interval(2, "m"), Interval(3, "m")
    ),
    RiskLevel.MEDIUM: Cadence(
        Interval(2, "m"), Interval(1, "m"), Interval(3, "m"), Interval(6, "m")
    ),
    RiskLevel.LOW: Cadence(Interval(3, "m"), Interval(2, "m"), Interval(6, "m"), Interval(6, "m")),
}
