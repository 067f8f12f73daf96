"""Pacing the outbox to Slack's rate limits, so a burst waits in the outbox rather than
meeting 429s: about one message a second per channel (a short burst tolerated), and each other
method's tier per workspace. Per process; a 429 from Slack (several processes sending) defers
that channel's messages for every sender (services/outbox.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PER_CHANNEL = 1.0  # messages a second in one channel (Slack: about one, short bursts allowed)
CHANNEL_BURST = 3
# Slack's tiers, calls a minute: chat.update Tier 3, chat.postEphemeral and files Tier 4.
PER_MINUTE = {"update": 50, "ephemeral": 100, "upload": 20}
POSTING = frozenset({"post", "dm"})


@dataclass
class _Bucket:
    capacity: float
    per_second: float
    tokens: float
    at: float

    def wait(self, now: float) -> float:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second


class Pacer:
    """How long a call must wait to stay within Slack's limits; take() counts it as made."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._lock = threading.Lock()

    def take(self, method: str, channel: str) -> float:
        """0 when the call may go now (and it is counted); else the seconds to wait."""
        key = self._key(method, channel)
        if key is None:
            return 0.0
        with self._lock:
            bucket = self._bucket(key)
            wait = bucket.wait(self.clock())
            if wait == 0:
                bucket.tokens -= 1
            return wait

    def _key(self, method: str, channel: str) -> tuple[str, str] | None:
        if method in POSTING:
            return ("channel", channel)
        if method in PER_MINUTE:
            return (method, "workspace")
        return None

    def _bucket(self, key: tuple[str, str]) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if key[0] == "channel":
                capacity, rate = float(CHANNEL_BURST), PER_CHANNEL
            else:
                capacity, rate = PER_MINUTE[key[0]] / 6, PER_MINUTE[key[0]] / 60
            bucket = self._buckets[key] = _Bucket(capacity, rate, capacity, self.clock())
        return bucket
