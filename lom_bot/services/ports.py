"""Ports the services depend on: the chat (the clock lives in domain/clock.py). Fakes live beside
the real ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class RateLimited(Exception):
    """Slack refused the call for now (HTTP 429): nothing was posted; try after retry_after."""

    def __init__(self, method: str, retry_after: float) -> None:
        super().__init__(f"{method} rate limited for {retry_after:.0f} s")
        self.retry_after = retry_after


class NotDelivered(Exception):
    """Slack answered that it did not do the call (e.g. channel_not_found): a definite no,
    unlike a dropped connection, after which the message may or may not have been posted."""


class ChatPort(Protocol):
    """What the outbox asks of Slack; each returns the message ts where there is one."""

    def call(self, method: str, channel: str, payload: dict[str, Any]) -> str | None:
        """Perform one outbox message (post, update, ephemeral, upload, dm)."""
        ...


class Recalling(Protocol):
    """A chat that marks each post with its outbox id and can find it again, so a post whose
    answer was lost is looked up rather than posted twice (SlackChat does)."""

    def call_marked(
        self, method: str, channel: str, payload: dict[str, Any], outbox_id: int
    ) -> str | None: ...

    def find_marked(
        self, method: str, channel: str, payload: dict[str, Any], outbox_id: int
    ) -> str | None:
        """The ts of the post carrying this outbox id, if Slack has it."""
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
