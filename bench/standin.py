"""The Slack stand-in, with the arrival time of every request it answers noted for matching.

SlackStandIn's listeners see a Call (method and parameters) but not the URL path, and a reply
through a response URL is only identified by its path; so this subclass notes each request's
path and raw body once the stand-in has stored its effects, and wakes whoever waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from lom_bot.console.signing import DEMO_TEAM_ID
from lom_bot.slack_standin.server import RequestHandler, Server
from lom_bot.slack_standin.standin import SlackStandIn


class _Server(Server):
    # http.server's backlog of 5 drops connections beyond it; the client's SYN is retried
    # after a second, which at 16 concurrent answers showed up as 1 s tails for any app.
    request_queue_size = 128


# Calls that are an answer an officer sees (not look-ups such as chat.getPermalink).
ANSWERS = (
    b"/response/",
    b"/api/chat.postMessage",
    b"/api/chat.postEphemeral",
    b"/api/chat.update",
    b"/api/views.open",
    b"/api/views.push",
)


@dataclass
class Pending:
    """A request waiting for its answer: any of `keys` in an answer's path or body."""

    keys: tuple[bytes, ...]
    done: threading.Event = field(default_factory=threading.Event)
    at: float | None = None


class BenchStandIn(SlackStandIn):
    """SlackStandIn that resolves Pending requests when their answer arrives."""

    def __init__(self) -> None:
        super().__init__(team_id=DEMO_TEAM_ID)
        self._pending: set[int] = set()
        self._waiting: dict[int, Pending] = {}
        self._lock = threading.Lock()
        self._next = 0
        self.answers = 0

    def start(self) -> SlackStandIn:
        """As SlackStandIn.start, with a listen backlog fit for 16 concurrent clients."""
        if self._server is None:
            server = _Server(("127.0.0.1", 0), RequestHandler)
            server.standin = self
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def expect(self, *keys: str) -> Pending:
        """Register a request before sending it, so a fast answer is not missed."""
        pending = Pending(tuple(k.encode() for k in keys))
        with self._lock:
            self._next += 1
            self._waiting[self._next] = pending
        return pending

    def forget(self, pending: Pending) -> None:
        with self._lock:
            for key, value in list(self._waiting.items()):
                if value is pending:
                    del self._waiting[key]

    def _handle(self, path: str, headers: Mapping[str, str], body: bytes) -> Any:
        reply = super()._handle(path, headers, body)
        now = time.perf_counter()
        raw = path.encode()
        if raw.startswith(ANSWERS):
            self._resolve(raw, body, now)
        return reply

    def _resolve(self, path: bytes, body: bytes, now: float) -> None:
        with self._lock:
            self.answers += 1
            for key, pending in list(self._waiting.items()):
                if any(k in path or k in body for k in pending.keys):
                    pending.at = now
                    pending.done.set()
                    del self._waiting[key]
