"""Slack's rate limits, as the stand-in enforces them (429 with Retry-After), and held calls.

Slack publishes tiers per method, per app and workspace: Tier 1 about 1 call a minute, Tier 2
20, Tier 3 50, Tier 4 100, each tolerating short bursts; chat.postMessage is special: about one
message a second per channel (short bursts tolerated), several hundred a minute per workspace.
Modelled here as token buckets: a tier's bucket holds a minute's calls and refills evenly; a
channel's posting bucket holds BURST messages and refills one a second. Off unless enabled, so
tests that do not need a delay stay fast; `retry_after` can be forced (0 for fast tests)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

TIER_PER_MINUTE = {1: 1, 2: 20, 3: 50, 4: 100}
TIERS = {
    "apps.connections.open": 1,
    "auth.test": 4,
    "chat.delete": 3,
    "chat.getPermalink": 4,
    "chat.postEphemeral": 4,
    "chat.update": 3,
    "conversations.history": 3,
    "conversations.info": 3,
    "conversations.open": 3,
    "conversations.replies": 3,
    "files.completeUploadExternal": 4,
    "files.getUploadURLExternal": 4,
    "files.info": 4,
    "reactions.add": 3,
    "users.info": 4,
    "views.open": 4,
    "views.publish": 4,
    "views.push": 4,
    "views.update": 4,
}
POST_METHOD = "chat.postMessage"
PER_CHANNEL_PER_SECOND = 1.0
BURST = 3  # messages a channel takes at once before the one-a-second pace applies
WORKSPACE_POSTS_PER_MINUTE = 600


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float
    at: float

    def take(self, now: float) -> float:
        """0 when a call may go now (and it is counted); else the seconds until it may."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


class RateLimits:
    """Which calls Slack would refuse now, and for how long (the Retry-After to send)."""

    def __init__(
        self, *, retry_after: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.retry_after = retry_after  # None: the real wait, rounded up to whole seconds
        self.clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()
        self.refused: dict[str, int] = {}

    def check(self, method: str, channel: str | None) -> int | None:
        """None when the call may go; else the Retry-After (seconds) of its 429."""
        now = self.clock()
        with self._lock:
            buckets = self._buckets_for(method, channel)
            waits = [bucket.take(now) for bucket in buckets]
            wait = max(waits, default=0.0)
            if wait <= 0:
                return None
            for bucket, waited in zip(buckets, waits, strict=True):  # refused: costs nothing
                if waited == 0:
                    bucket.tokens += 1
            self.refused[method] = self.refused.get(method, 0) + 1
        if self.retry_after is not None:
            return self.retry_after
        return max(1, math.ceil(wait))

    def _buckets_for(self, method: str, channel: str | None) -> list[Bucket]:
        if method == POST_METHOD:
            keys = [("posts", "workspace")]
            if channel:
                keys.append(("posts", channel))
        elif method in TIERS:
            keys = [(method, "workspace")]
        else:
            return []
        return [self._bucket(key) for key in keys]

    def _bucket(self, key: tuple[str, str]) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if key[0] == "posts" and key[1] == "workspace":
                capacity, rate = WORKSPACE_POSTS_PER_MINUTE, WORKSPACE_POSTS_PER_MINUTE / 60
            elif key[0] == "posts":
                capacity, rate = BURST, PER_CHANNEL_PER_SECOND
            else:
                per_minute = TIER_PER_MINUTE[TIERS[key[0]]]
                capacity, rate = per_minute, per_minute / 60
            bucket = Bucket(capacity, rate, capacity, self.clock())
            self._buckets[key] = bucket
        return bucket


class Holds:
    """Calls to a method held for a while before they are answered (a slow Slack), so a test
    can act while a call is in flight; `arrived` is set when the first held call comes in."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self.arrived: dict[str, threading.Event] = {}

    def hold(self, method: str, seconds: float) -> threading.Event:
        self._seconds[method] = seconds
        return self.arrived.setdefault(method, threading.Event())

    def release(self, method: str) -> None:
        self._seconds.pop(method, None)

    def wait(self, method: str) -> None:
        seconds = self._seconds.get(method)
        if seconds:
            self.arrived[method].set()
            time.sleep(seconds)
