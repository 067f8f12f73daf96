"""Ports the services depend on: the chat (and the clock, from the domain). Fakes live beside
the real ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from lom_bot.domain.clock import Clock, FixedClock, SystemClock

__all__ = ["ChatPort", "Clock", "FakeChat", "FixedClock", "SystemClock"]


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
