"""Stopping the real processes with SIGTERM (what systemd, Docker and Kubernetes send) and
SIGINT: nothing in flight is lost or sent twice, and a restarted bot sends the rest at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from lom_bot.console import signing
from lom_bot.slack_standin.standin import SlackStandIn
from tests.test_breach_support import seeded_template
from tests.test_serve import LOM_BOT, SECRET, clean_env, free_port, get, post

__all__ = ["seeded_template"]
LEEDS, TRIAGE = "C0LEEDS", "C0TRIAGE"
SIGHTING = "Seen Shaun Madeup driving a white hire van on the ring road, sighting {n}"


class Server:
    """`lom-bot serve --http` as operations staff run it: its own process, stopped by signal."""

    def __init__(self, tmp_path: Path, standin: SlackStandIn, api_url: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'lom.sqlite3'}",
            SLACK_BOT_TOKEN="xoxb-shutdown-test",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=api_url or standin.url,
        )
        self.cwd = tmp_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        command = [LOM_BOT, "serve", "--http", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", "1", "--answer-workers", "1", "--no-scheduler"]
        self.process = subprocess.Popen(
            command, env=self.env, cwd=self.cwd, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        for _ in range(600):  # until it answers; not a timing assertion
            assert self.process.poll() is None, self.output()
            try:
                with_workers = "1 answer workers listening" in _health(self.base)
                if with_workers:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail("lom-bot serve did not become healthy")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(sig)  # to the arbiter only, as `docker stop` does
        return self.process.wait(timeout=60)

    def output(self) -> str:
        assert self.process is not None
        if self.process.poll() is None:
            return ""
        return self.process.stdout.read().decode() if self.process.stdout else ""

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(30)


def _health(base: str) -> str:
    import urllib.request

    with urllib.request.urlopen(base + "/health", timeout=5) as response:
        return str(response.read().decode())


@pytest.fixture
def served(tmp_path: Path, seeded_template: Path) -> Iterator[tuple[Server, SlackStandIn]]:
    shutil.copy(seeded_template, tmp_path / "lom.sqlite3")
    with SlackStandIn() as standin:
        server = Server(tmp_path, standin)
        try:
            yield server, standin
        finally:
            server.kill()


def district_message(standin: SlackStandIn, n: int) -> bytes:
    text = SIGHTING.format(n=n)
    message = standin.post_user_message(LEEDS, "U0LEEDS", text)
    return signing.event_body(signing.message_event(LEEDS, "U0LEEDS", text, message.ts))


def triage_refs(standin: SlackStandIn) -> Counter[str]:
    """How many times each report reached #triage: the refs a post's text names (its cards may
    mention earlier reports about the same subject)."""
    counts: Counter[str] = Counter()
    for message in standin.messages_in(TRIAGE):
        if message.thread_ts is None:
            counts.update(set(_refs(message.text)))
    return counts


def _refs(text: str) -> list[str]:
    import re

    return re.findall(r"BR-\d{5}", text)


def stored(tmp_path: Path) -> tuple[int, int]:
    """(breach reports stored, outbox messages still claimed)."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'lom.sqlite3'}")
    with engine.connect() as conn:
        reports = conn.execute(sa.text("SELECT count(*) FROM breach_reports WHERE message_ts "
                                       "IS NOT NULL")).scalar_one()  # fmt: skip
        claimed = conn.execute(
            sa.text("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND claimed_until > ''")
        ).scalar_one()
    engine.dispose()
    return int(reports), int(claimed)


def test_sigterm_mid_post_loses_nothing_sends_nothing_twice_and_a_restart_sends_the_rest(
    served: tuple[Server, SlackStandIn], tmp_path: Path
) -> None:
    server, standin = served
    server.start()
    before = stored(tmp_path)[0]
    in_flight = standin.holds.hold("chat.postMessage", 1.5)  # a slow Slack: posts stay in flight
    burst = 8
    for n in range(burst):
        assert post(server.base + "/slack/events", district_message(standin, n)) == (200, b"")
    assert in_flight.wait(30), "no post reached the stand-in"
    started = time.monotonic()
    status = server.stop(signal.SIGTERM)
    took = time.monotonic() - started
    output = server.output()
    reports, claimed = stored(tmp_path)
    posted_before_restart = sum(triage_refs(standin).values())

    assert status == 0, output
    assert "Traceback" not in output, output
    assert output.count("lom-bot serve (HTTP) stopping (SIGTERM)") == 1, output
    assert output.count("lom-bot serve (HTTP) stopped") == 1, output
    assert output.count("lom-bot answers 0 stopping (SIGTERM)") == 1, output
    assert output.count("lom-bot answers 0 stopped") == 1, output
    worker = [line for line in output.splitlines() if "lom-bot web worker " in line]
    assert len(worker) == 2, output  # --workers 1: one stopping and one stopped line
    assert "stopping (SIGTERM)" in worker[0] and "stopped (SIGTERM" in worker[1], worker
    assert took < 30  # bounded: one Slack call in flight and the answers under way
    assert reports - before == burst  # every report acked was stored
    assert claimed == 0  # the stopped process handed back what it had not sent
    assert all(count == 1 for count in triage_refs(standin).values())

    standin.holds.release("chat.postMessage")
    server.start()
    deadline = time.monotonic() + 20  # far inside the 5 minutes a claim would have held them
    while len(triage_refs(standin)) < burst and time.monotonic() < deadline:
        time.sleep(0.1)
    counts = triage_refs(standin)
    print(f"SIGTERM mid-burst: stored {reports - before}, posted before the stop "
          f"{posted_before_restart}, after the restart {len(counts)}, duplicates "
          f"{sum(c - 1 for c in counts.values())}, stop took {took:.1f} s")  # fmt: skip
    assert len(counts) == burst, counts
    assert all(count == 1 for count in counts.values()), counts
    assert server.stop(signal.SIGINT) == 0


def test_the_app_is_loaded_before_the_port_opens_and_sigint_stops_as_gently_as_sigterm(
    served: tuple[Server, SlackStandIn],
) -> None:
    server, _ = served
    server.start()
    assert get(server.base + "/health") == 200
    assert server.stop(signal.SIGINT) == 0
    output = server.output()
    # the first request never waits for a worker to load the app (make bench times it)
    assert 0 <= output.index("app loaded and warm") < output.index("Listening at:"), output
    assert output.count("lom-bot serve (HTTP) stopping (SIGINT)") == 1, output
    assert output.count("lom-bot serve (HTTP) stopped") == 1, output
    assert "Traceback" not in output, output


def test_socket_mode_with_slack_unreachable_says_so_in_one_line_retries_and_stops_cleanly(
    tmp_path: Path, seeded_template: Path
) -> None:
    shutil.copy(seeded_template, tmp_path / "lom.sqlite3")
    closed = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'lom.sqlite3'}",
        SLACK_BOT_TOKEN="xoxb-socket-test",
        SLACK_APP_TOKEN="xapp-socket-test",
        SLACK_API_URL=closed,
    )
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [LOM_BOT, "serve", "--no-scheduler"], env=env, cwd=tmp_path, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(600):  # until it has tried twice; not a timing assertion
                if log.read_text().count("cannot connect to Slack") >= 2:
                    break
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    output = log.read_text()
    tries = [line for line in output.splitlines() if "cannot connect to Slack" in line]
    assert status == 0, output
    assert "Traceback" not in output and " ERROR " not in output, output
    assert len(tries) >= 2 and "trying again in 1 s" in tries[0] and "in 2 s" in tries[1], tries
    assert "URLError" in tries[0] or "Connection" in tries[0], tries
    assert output.count("lom-bot serve (Socket Mode) stopping (SIGTERM)") == 1, output
    assert output.count("lom-bot serve (Socket Mode) stopped") == 1, output


def test_http_mode_starts_with_slack_unreachable_and_keeps_what_it_acks_for_later(
    tmp_path: Path, seeded_template: Path
) -> None:
    shutil.copy(seeded_template, tmp_path / "lom.sqlite3")
    with SlackStandIn() as standin:  # only to make the message; the bot cannot reach it
        server = Server(tmp_path, standin, api_url=f"http://127.0.0.1:{free_port()}/api/")
        try:
            server.start()  # nothing at start needs Slack
            assert post(server.base + "/slack/events", district_message(standin, 1)) == (200, b"")
            time.sleep(1.0)  # an answer worker tries it (Slack's auth.test fails): not timing
            assert server.stop(signal.SIGTERM) == 0
        finally:
            server.kill()
    output = server.output()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'lom.inbox.sqlite3'}")
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT kind, state FROM inbound_requests")).all()
    engine.dispose()
    # acked, and kept: captured when Slack answers again (the answer workers retry it)
    assert [tuple(row) for row in kept] == [("event", "queued")]
    assert "Traceback" not in output, output


def test_sigterm_in_socket_mode_mid_post_exits_0_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, seeded_template: Path
) -> None:
    from tests.socket_standin import SocketModeStandIn

    shutil.copy(seeded_template, tmp_path / "lom.sqlite3")
    with SlackStandIn() as standin:
        sockets = SocketModeStandIn(standin).start()
        env = clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'lom.sqlite3'}",
            SLACK_BOT_TOKEN="xoxb-socket-test",
            SLACK_APP_TOKEN="xapp-socket-test",
            SLACK_API_URL=standin.url,
        )

        def start(log: Path) -> subprocess.Popen[bytes]:
            with log.open("wb") as out:
                return subprocess.Popen(
                    [LOM_BOT, "serve", "--no-scheduler"], env=env, cwd=tmp_path, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip

        first, second = tmp_path / "first.log", tmp_path / "second.log"
        process = start(first)
        try:
            assert sockets.wait_connected(60), first.read_text()
            before = stored(tmp_path)[0]
            in_flight = standin.holds.hold("chat.postMessage", 1.5)  # posts stay in flight
            burst = 8
            envelopes = [sockets.send_event(district_message(standin, n)) for n in range(burst)]
            assert sockets.wait_acked(envelopes, 60), first.read_text()
            assert in_flight.wait(30), "no post reached the stand-in"
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=60)
            took = time.monotonic() - started
            output = first.read_text()
            reports, claimed = stored(tmp_path)
            posted_before_restart = sum(triage_refs(standin).values())

            assert status == 0, output
            assert "Traceback" not in output, output
            assert output.count("lom-bot serve (Socket Mode) stopping (SIGTERM)") == 1, output
            assert output.count("lom-bot serve (Socket Mode) stopped") == 1, output
            assert took < 30  # bounded: one Slack call in flight and the events in hand
            assert sockets.wait_disconnected(10)  # the socket was closed, not left hanging
            assert reports - before == burst  # every event acked was stored
            assert claimed == 0  # the stopped process handed back what it had not sent
            assert all(count == 1 for count in triage_refs(standin).values())

            standin.holds.release("chat.postMessage")
            process = start(second)
            assert sockets.wait_connected(60), second.read_text()
            deadline = time.monotonic() + 20  # far inside a claim's 5 minutes
            while len(triage_refs(standin)) < burst and time.monotonic() < deadline:
                time.sleep(0.1)
            counts = triage_refs(standin)
            twice = sum(c - 1 for c in counts.values())
            print(f"SIGTERM mid-burst (Socket Mode): stored {reports - before}, posted before "
                  f"the stop {posted_before_restart}, after the restart {len(counts)}, "
                  f"duplicates {twice}, stop took {took:.1f} s")  # fmt: skip
            assert len(counts) == burst, counts
            assert all(count == 1 for count in counts.values()), counts
            assert sockets.opened == 2  # one connection per start
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=60) == 0, second.read_text()
            assert second.read_text().count("stopping (SIGINT)") == 1, second.read_text()
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
            sockets.stop()
