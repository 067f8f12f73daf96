"""The five interactions an officer waits on, as signed Slack requests with a way to spot
each one's answer at the stand-in."""

from __future__ import annotations

import itertools
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from bench.standin import BenchStandIn
from lom_bot.console.signing import (
    DEMO_TEAM_ID,
    block_actions_payload,
    event_body,
    interactivity_body,
    message_event,
    sign,
    slash_command_body,
    trigger_id_for,
)

SIGNING_SECRET = "bench-signing-secret"
LOM_TEAM = "C0LOMTEAM"
REF = re.compile(r"LOM-\d+")


@dataclass(frozen=True)
class Request:
    """One signed request and the keys that identify its answer."""

    body: bytes
    headers: dict[str, str]
    keys: tuple[str, ...]


@dataclass
class Caseload:
    """Who sends requests and about whom, read from the benchmark database."""

    officers: list[str]  # LOM officers' Slack ids
    reporters: dict[str, list[str]]  # district -> district officers' Slack ids
    channels: dict[str, str]  # district -> channel id
    subjects: dict[str, list[tuple[str, str]]]  # district -> (ref, family name), order in force

    @classmethod
    def load(cls, url: str, channels: dict[str, str]) -> Caseload:
        engine = create_engine(url)
        with engine.connect() as conn:
            users = list(conn.execute(text("SELECT slack_id, role, district FROM users")))
            rows = conn.execute(
                text(
                    "SELECT s.ref, s.family_name, s.district FROM subjects s JOIN orders o "
                    "ON o.subject_id = s.id WHERE o.status IN ('active', 'expiring') "
                    "AND s.read_only = :no ORDER BY s.id"
                ),
                {"no": False},
            )
            subjects: dict[str, list[tuple[str, str]]] = {d: [] for d in channels}
            for ref, family, district in rows:
                subjects.setdefault(district, []).append((ref, family))
        engine.dispose()
        officers = sorted(u[0] for u in users if u[1] == "lom_officer")
        reporters = {
            d: sorted(u[0] for u in users if u[1] == "district_officer" and u[2] == d)
            for d in channels
        }
        return cls(officers, reporters, channels, subjects)

    def pick(self, rng: random.Random) -> tuple[str, str, str]:
        """(district, subject ref, family name) of a random subject whose order is in force."""
        district = rng.choice([d for d, s in self.subjects.items() if s and self.reporters[d]])
        ref, family = rng.choice(self.subjects[district])
        return district, ref, family


Builder = Callable[[int, random.Random], Request]


class Scenarios:
    """Request builders for each interaction; `client` picks the acting officer."""

    def __init__(self, standin: BenchStandIn, caseload: Caseload, examples: dict[str, str]):
        self.standin = standin
        self.caseload = caseload
        self.examples = examples
        self._n = itertools.count(10_000_000)
        self._lock = threading.Lock()

    def builders(self) -> dict[str, Builder | None]:
        """Each interaction's builder; None where this version of the bot lacks it."""
        return {
            "/lom subject": self._slash("subject"),
            "/lom contact": self._slash("contact"),
            "/lom due": self._slash("due"),
            "button click": self.button,
            "district message": self.district_message,
        }

    def _counter(self) -> int:
        with self._lock:
            return next(self._n)

    def _officer(self, client: int) -> str:
        return self.caseload.officers[client % len(self.caseload.officers)]

    def _slash(self, name: str) -> Builder | None:
        example = self.examples.get(name)
        if example is None:
            return None
        words = example.removeprefix("/lom ").strip()

        def build(client: int, rng: random.Random) -> Request:
            user = self._officer(client)
            _, ref, _ = self.caseload.pick(rng)
            marker = uuid.uuid4().hex
            url = self.standin.response_url(user, LOM_TEAM) + f"?r={marker}"
            trigger = trigger_id_for(user, self._counter())
            body = slash_command_body(
                "/lom", REF.sub(ref, words), user, LOM_TEAM, response_url=url, trigger_id=trigger
            )
            return Request(body, _signed(body), (f"r={marker}", trigger))

        return build

    def button(self, client: int, rng: random.Random) -> Request:
        """The 'Log contact' button on a subject card: answered by opening the form."""
        from lom_bot.blocks.common import LOG_CONTACT

        user = self._officer(client)
        _, ref, _ = self.caseload.pick(rng)
        trigger = trigger_id_for(user, self._counter())
        marker = uuid.uuid4().hex
        payload = block_actions_payload(
            user, DEMO_TEAM_ID, LOM_TEAM, LOG_CONTACT, ref, message_ts=_ts(self._counter()),
            trigger_id=trigger,
            response_url=self.standin.response_url(user, LOM_TEAM) + f"?r={marker}",
        )  # fmt: skip
        body = interactivity_body(payload)
        return Request(body, _signed(body), (trigger, f"r={marker}"))

    def district_message(self, client: int, rng: random.Random) -> Request:
        """A district officer's sighting in their district channel, naming the subject."""
        district, ref, family = self.caseload.pick(rng)
        reporters = self.caseload.reporters[district]
        user = reporters[client % len(reporters)]
        token = "BQ" + uuid.uuid4().hex[:10].upper()
        ts = _ts(self._counter())
        said = (
            f"Seen {ref} {family} driving a hire van on the ring road with two men "
            f"about 20 mins ago, log {token}"
        )
        event = message_event(self.caseload.channels[district], user, said, ts)
        body = event_body(event, event_id=f"Ev{uuid.uuid4().hex[:12].upper()}")
        return Request(body, _signed(body), (token, ts, "p" + ts.replace(".", "")))


def _ts(n: int) -> str:
    return f"{int(time.time())}.{n % 1_000_000:06d}"


def _signed(body: bytes) -> dict[str, str]:
    return sign(SIGNING_SECRET, body, int(time.time()))
