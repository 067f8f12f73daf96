"""Closed-loop clients over HTTP: each sends a request, times the ack, waits for the answer
at the stand-in, then sends the next. Bounded in count and in time; 127.0.0.1 only."""

from __future__ import annotations

import http.client
import random
import threading
import time
from dataclasses import dataclass, field

from bench.scenarios import Builder, Request
from bench.standin import BenchStandIn, Pending

PATH = "/slack/events"
REPLY_TIMEOUT = 10.0
DRAIN_LIMIT = 30.0  # seconds to let answers a client gave up on arrive before the next suite


@dataclass
class Samples:
    """Latencies in milliseconds, and what went wrong."""

    ack: list[float] = field(default_factory=list)
    reply: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    late: list[Pending] = field(default_factory=list)  # given up on, still being worked on
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def sent(self) -> int:
        return len(self.ack) + self.errors


class Client:
    """One keep-alive connection to the server under test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, body: bytes, headers: dict[str, str]) -> int:
        for attempt in (1, 2):
            try:
                self.conn.request("POST", PATH, body=body, headers=headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()  # the server closed a kept-alive connection: reconnect once
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


def run(
    standin: BenchStandIn,
    port: int,
    build: Builder,
    *,
    clients: int,
    per_client: int,
    time_limit: float,
    seed: int = 1,
) -> Samples:
    """`clients` concurrent officers, each making up to `per_client` requests."""
    samples = Samples()
    lock = threading.Lock()
    deadline = time.perf_counter() + time_limit

    def officer(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        client = Client(port)
        try:
            for _ in range(per_client):
                if time.perf_counter() > deadline:
                    break
                _one(standin, client, build(index, rng), samples, lock)
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=officer, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + REPLY_TIMEOUT + 30)
    samples.seconds = time.perf_counter() - started
    _drain(standin, samples.late)
    return samples


def _drain(standin: BenchStandIn, late: list[Pending]) -> None:
    """Wait (bounded) for answers that came too late to count, so the server is idle again."""
    deadline = time.perf_counter() + DRAIN_LIMIT
    for pending in late:
        pending.done.wait(max(0.0, deadline - time.perf_counter()))
        standin.forget(pending)


def _one(
    standin: BenchStandIn, client: Client, request: Request, samples: Samples, lock: threading.Lock
) -> None:
    pending = standin.expect(*request.keys)
    sent = time.perf_counter()
    try:
        status = client.post(request.body, request.headers)
    except (OSError, http.client.HTTPException):
        with lock:
            samples.errors += 1
            samples.late.append(pending)  # the server may still be working on it
        return
    acked = time.perf_counter()
    answered = pending.done.wait(REPLY_TIMEOUT)
    with lock:
        samples.statuses[status] = samples.statuses.get(status, 0) + 1
        if status != 200:
            samples.errors += 1
        samples.ack.append((acked - sent) * 1000)
        if answered and pending.at is not None:
            samples.reply.append((pending.at - sent) * 1000)
        else:
            samples.timeouts += 1
            samples.late.append(pending)


def fire(
    standin: BenchStandIn, port: int, build: Builder, *, count: int, clients: int,
    time_limit: float,
) -> tuple[int, float, Samples]:  # fmt: skip
    """Send `count` requests from `clients` connections without waiting for answers; return
    how many answers arrived and the seconds from the first send to the last answer."""
    rng = random.Random(99)
    requests = [build(i % clients, rng) for i in range(count)]
    pendings = [standin.expect(*r.keys) for r in requests]
    samples = Samples()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + time_limit

    def sender(index: int) -> None:
        client = Client(port)
        try:
            for request in requests[index::clients]:
                if time.perf_counter() > deadline:
                    break
                sent = time.perf_counter()
                try:
                    status = client.post(request.body, request.headers)
                except (OSError, http.client.HTTPException):
                    with lock:
                        samples.errors += 1
                    continue
                with lock:
                    samples.ack.append((time.perf_counter() - sent) * 1000)
                    samples.statuses[status] = samples.statuses.get(status, 0) + 1
        finally:
            client.close()

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(time_limit + 30)
    last = started
    answered = 0
    for pending in pendings:
        if pending.done.wait(max(0.0, deadline + REPLY_TIMEOUT - time.perf_counter())):
            answered += 1
            last = max(last, pending.at or last)
        else:
            standin.forget(pending)
    samples.seconds = last - started
    return answered, samples.seconds, samples
