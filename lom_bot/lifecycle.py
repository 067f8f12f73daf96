"""Stopping a long-running process cleanly: SIGTERM (systemd, Docker, Kubernetes) and SIGINT
(Ctrl-C) both mean "stop taking work, finish or hand back what is in flight, exit 0", with one
"stopping" and one "stopped" line in the log."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("lom_bot.lifecycle")

# How long a process gives its work in flight before it exits anyway (systemd's default
# TimeoutStopSec is 90 s, Docker's stop timeout 10 s): one Slack call and one answer fit.
STOP_WITHIN = 8.0


class Stopper:
    """Turns SIGTERM and SIGINT into an event the process's main loop waits on."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.event = threading.Event()
        self.reason = "asked to"
        self._since = 0.0

    def install(self) -> Stopper:
        """Handle both signals here (main thread only, as Python requires)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        return self

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.request(signal.Signals(signum).name)

    def request(self, reason: str) -> None:
        """Start stopping (once): log the one "stopping" line and wake the main loop."""
        if self.event.is_set():
            return
        self.reason = reason
        self._since = time.monotonic()
        log.info("%s stopping (%s): finishing work in flight, handing back the rest", self.name,
                 reason)  # fmt: skip
        self.event.set()

    @property
    def stopping(self) -> bool:
        return self.event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self.event.wait(timeout)

    def stopped(self) -> None:
        """The one "stopped" line, with how long stopping took."""
        took = time.monotonic() - self._since if self._since else 0.0
        log.info("%s stopped (%s; %.1f s)", self.name, self.reason, took)


def within(seconds: float, *steps: tuple[str, Callable[[], object]]) -> list[str]:
    """Run clean-up steps in order, all inside `seconds`; returns the names of those that did
    not finish in time (their threads are left to die with the process)."""
    deadline = time.monotonic() + seconds
    late: list[str] = []
    for name, step in steps:
        thread = threading.Thread(target=_quietly(name, step), name=f"stop-{name}", daemon=True)
        thread.start()
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("stopping: %s did not finish within %.0f s; leaving it", name, seconds)
            late.append(name)
    return late


def _quietly(name: str, step: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            step()
        except Exception:
            log.exception("stopping: %s failed", name)

    return run
