"""The clock port: real and fixed. Domain, store and services all tell the time through it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    tz: ZoneInfo

    def now(self) -> datetime:
        """The current time, timezone-aware in UTC."""
        ...

    def today(self) -> date:
        """Today's date in the configured timezone."""
        ...


class SystemClock:
    def __init__(self, tz: str = "Europe/London") -> None:
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()


class FixedClock:
    """A clock that stands still unless moved: for tests and dated job runs."""

    def __init__(self, at: datetime, tz: str = "Europe/London") -> None:
        self.tz = ZoneInfo(tz)
        self._at = at if at.tzinfo else at.replace(tzinfo=self.tz)

    @classmethod
    def on(cls, day: date, hour: int = 9, tz: str = "Europe/London") -> FixedClock:
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz)), tz)

    def now(self) -> datetime:
        return self._at.astimezone(UTC)

    def today(self) -> date:
        return self._at.astimezone(self.tz).date()

    def advance(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)
