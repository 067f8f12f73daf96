"""Ports the services depend on: the clock and the chat. Fakes live beside the real ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
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


class ChatPort(Protocol):
    """What the outbox asks of Slack; each returns the message ts where there is one."""

    def call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        """Perform one outbox message (post, update, ephemeral, upload, dm)."""
        ...


@dataclass
class FakeChat:
    """Records what it was asked, by channel; can be told to fail."""

    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fail_with: Exception | None = None
    _counter: int = 0

    def call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        if self.fail_with is not None:
            raise self.fail_with
        self._counter += 1
        self.sent.setdefault(channel, []).append({"method": method, **payload})
        return f"1700000000.{self._counter:06d}"
