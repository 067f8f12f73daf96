"""480 district reports in a burst at Slack's limits: the Slack stand-in refuses what Slack
would (429 with Retry-After: about one post a second per channel, method tiers), and the bot
must still have every report stored before its ack, every reporter acknowledged and every report
in #triage within a minute, none lost or posted twice."""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text

from bench import servers
from bench.load import Client
from bench.scenarios import Caseload, Scenarios
from lom_bot.console.signing import DEMO_TEAM_ID
from lom_bot.slack_standin.limits import RateLimits
from lom_bot.slack_standin.records import Call
from lom_bot.slack_standin.standin import SlackStandIn

TRIAGE = "C0TRIAGE"
WITHIN = 60.0  # seconds: the target for the last reporter acknowledged and report in triage
_REF = re.compile(r"BR-\d{5}")


@dataclass
class Burst:
    sent: int = 0
    acked: int = 0  # HTTP 200: stored (in the inbox) before the ack
    stored: int = 0  # breach reports made from them
    in_triage: float | None = None  # seconds from the first send to the last report in triage
    acknowledged: float | None = None  # ... to the last reporter acknowledged
    missing_triage: int = 0
    missing_ack: int = 0
    duplicates: int = 0
    triage_posts: int = 0
    receipt_posts: int = 0
    refused: dict[str, int] = field(default_factory=dict)

    @property
    def met(self) -> bool:
        return (
            self.acked == self.sent
            and self.missing_triage == self.missing_ack == self.duplicates == 0
            and self.in_triage is not None
            and self.in_triage <= WITHIN
            and self.acknowledged is not None
            and self.acknowledged <= WITHIN
        )

    def describe(self) -> str:
        def secs(value: float | None) -> str:
            return f"{value:.1f} s" if value is not None else "not all"

        refused = ", ".join(f"{k} {v}" for k, v in sorted(self.refused.items())) or "none"
        return (
            f"{self.acked}/{self.sent} acked after storing, {self.stored} reports; all in triage "
            f"in {secs(self.in_triage)} ({self.triage_posts} posts), every reporter acknowledged"
            f" in {secs(self.acknowledged)} ({self.receipt_posts} posts); lost "
            f"{self.missing_triage + self.missing_ack}, duplicated {self.duplicates}; "
            f"429s from the stand-in: {refused}"
        )


def run(database_url: str, caseload_url: str, channels: dict[str, str], *, count: int = 480,
        clients: int = 16, tag: str = "") -> Burst:  # fmt: skip
    """Start the bot against a rate-limited stand-in, fire the burst, wait up to 2 minutes."""
    standin = SlackStandIn(team_id=DEMO_TEAM_ID, rate_limits=RateLimits())
    posted: list[tuple[float, Call]] = []
    standin.add_listener(lambda call: posted.append((time.perf_counter(), call)))
    standin.start()
    workers, threads = servers.serving_shape()
    server = servers.start("lom", database_url, standin.url, workers, threads, f"-burst{tag}")
    try:
        caseload = Caseload.load(caseload_url, channels)
        scenarios = Scenarios(standin, caseload, {})  # type: ignore[arg-type]
        rng = random.Random(480)
        requests = [scenarios.district_message(i % clients, rng) for i in range(count)]
        stamps = [_ts(r.body) for r in requests]
        before = _stored(database_url)
        result = Burst(sent=count)
        started = time.perf_counter()
        acked = _fire(server.port, requests, clients)
        refs = _wait_for_refs(database_url, stamps, before, count, started)
        settled: float | None = None
        while True:  # until all are out and nothing more came for 5 s, or 2 minutes
            result = Burst(sent=count, acked=acked, stored=len(refs))
            _judge(result, refs, list(posted), started, channels)
            now = time.perf_counter()
            if result.missing_triage == result.missing_ack == 0 and settled is None:
                settled = now
            if now - started > 120 or (settled is not None and now - settled > 5):
                break
            time.sleep(0.5)
        result.refused = dict(standin.limits.refused) if standin.limits else {}
        return result
    finally:
        server.stop()
        standin.stop()


def _fire(port: int, requests: list[Any], clients: int) -> int:
    acked = 0
    lock = threading.Lock()

    def sender(index: int) -> None:
        nonlocal acked
        client = Client(port)
        try:
            for request in requests[index::clients]:
                try:
                    status = client.post(request.body, request.headers)
                except (OSError, http.client.HTTPException):
                    continue
                with lock:
                    acked += status == 200
        finally:
            client.close()

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return acked


def _wait_for_refs(
    url: str, stamps: list[str], before: int, count: int, started: float
) -> dict[str, str]:
    """ref -> message ts of the reports made from the burst, once all are stored (or 2 min)."""
    while time.perf_counter() - started < 120:
        if _stored(url) - before >= count:
            break
        time.sleep(0.5)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT ref, message_ts FROM breach_reports WHERE "
                                     "message_ts IS NOT NULL")).all()  # fmt: skip
    finally:
        engine.dispose()
    wanted = set(stamps)
    return {str(ref): str(ts) for ref, ts in rows if ts in wanted}


def _judge(result: Burst, refs: dict[str, str], posted: list[tuple[float, Call]],
           started: float, channels: dict[str, str]) -> None:  # fmt: skip
    districts = set(channels.values())
    first_triage: dict[str, float] = {}
    first_ack: dict[str, float] = {}
    triage_count: Counter[str] = Counter()
    ack_count: Counter[str] = Counter()
    for at, call in posted:
        if call.method != "chat.postMessage" or call.failed:
            continue
        channel = str(call.params.get("channel"))
        named = set(_REF.findall(str(call.params.get("text") or ""))) & refs.keys()
        if channel == TRIAGE and not call.params.get("thread_ts"):
            result.triage_posts += 1
            for ref in named:
                triage_count[ref] += 1
                first_triage.setdefault(ref, at - started)
        elif channel in districts and named:
            result.receipt_posts += 1
            for ref in named:
                ack_count[ref] += 1
                first_ack.setdefault(ref, at - started)
    result.missing_triage = len(refs.keys() - first_triage.keys())
    result.missing_ack = len(refs.keys() - first_ack.keys())
    result.duplicates = sum(n - 1 for n in triage_count.values()) + sum(
        n - 1 for n in ack_count.values()
    )
    if refs and not result.missing_triage:
        result.in_triage = max(first_triage.values())
    if refs and not result.missing_ack:
        result.acknowledged = max(first_ack.values())


def _ts(body: bytes) -> str:
    import json

    return str(json.loads(body)["event"]["ts"])


def _stored(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM breach_reports")).scalar_one())
    finally:
        engine.dispose()
