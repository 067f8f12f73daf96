"""Acks first, answers after (lom_bot/answers): what the web side stores, what it leaves to Bolt,
and how answer workers find, answer, retry and recover requests. The rest of tests/e2e runs
every flow in both modes (the `slack` fixture); this file covers what only this mode has."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, update
from sqlalchemy.orm import sessionmaker

from lom_bot.answers.ingress import classify
from lom_bot.answers.worker import RETRY_AFTER, STOPPED_MID_ANSWER, AnswerWorker
from lom_bot.console import signing
from lom_bot.handlers.guard import DB_DOWN
from lom_bot.runtime import Runtime
from lom_bot.store import inbox
from lom_bot.store.tables import BreachReport, InboundRequest
from tests.conftest import both_databases
from tests.e2e.harness import SECRET, TEAM, SlackHarness, harness

LEEDS, TRIAGE, LOM = "C0LEEDS", "C0TRIAGE", "C0LOMTEAM"
SIGHTING = "Seen Shaun Madeup driving a white hire van on the ring road at 14:20, two men with him"


@pytest.fixture
def web(demo: Runtime) -> Iterator[SlackHarness]:
    """Answers mode; tests send with `raw()` to see the inbox between the ack and the answer."""
    yield from harness(demo, answers=True)


def raw(slack: SlackHarness, body: bytes, *, secret: str = SECRET) -> tuple[int, str]:
    """POST a signed body and return the ack, without answering what was stored."""
    headers = signing.sign(secret, body, int(time.time()))
    request = urllib.request.Request(slack.url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def stored(slack: SlackHarness) -> list[Any]:
    with slack.rt.inbox_engine.connect() as conn:
        return list(conn.execute(select(InboundRequest.__table__).order_by(InboundRequest.id)))


def command(slack: SlackHarness, text: str, *, user: str = "U0OFF1", team: str = TEAM) -> bytes:
    return signing.slash_command_body(
        "/lom",
        text,
        user,
        LOM,
        team_id=team,
        response_url=slack.standin.response_url(user, LOM),
        trigger_id=slack.standin.trigger_id(user),
    )


def district_event(slack: SlackHarness, event_id: str) -> bytes:
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    return signing.event_body(event, event_id=event_id)


def reports(slack: SlackHarness) -> int:
    """Reports captured from #leeds messages in this test (the demo data has none)."""
    with slack.rt.uow() as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(BreachReport)
                .where(BreachReport.channel_id == LEEDS, BreachReport.text == SIGHTING)
            )
            or 0
        )


# -- what is deferred ------------------------------------------------------------------------


def _form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        ("command=%2Flom&text=due&team_id=T1", "application/x-www-form-urlencoded", "command"),
        (_form({"type": "block_actions", "team": {"id": "T1"}}), "", "block_actions"),
        (_form({"type": "shortcut", "team": {"id": "T1"}}), "", "shortcut"),
        (_form({"type": "message_action", "team": {"id": "T1"}}), "", "message_action"),
        (
            '{"type": "event_callback", "event_id": "Ev1", "team_id": "T1"}',
            "application/json",
            "event",
        ),
        # the ack of these carries the answer (validation errors, the challenge): Bolt, now
        (_form({"type": "view_submission", "team": {"id": "T1"}}), "", None),
        (_form({"type": "view_closed", "team": {"id": "T1"}}), "", None),
        (_form({"type": "block_suggestion", "team": {"id": "T1"}}), "", None),
        ('{"type": "url_verification", "challenge": "x"}', "application/json", None),
        ("ssl_check=1&command=%2Flom", "", None),
        ("payload=%7Bnot+json", "", None),
        ("{not json", "application/json", None),
        ('["a list"]', "application/json", None),
    ],
)
def test_only_requests_whose_ack_carries_nothing_are_deferred(
    body: str, content_type: str, kind: str | None
) -> None:
    found = classify(body, content_type)
    assert (found.kind if found else None) == kind
    if found is not None:
        assert found.team_id == "T1"


# -- the web side ----------------------------------------------------------------------------


@both_databases
def test_a_command_is_stored_before_the_ack_and_answered_by_the_worker(web: SlackHarness) -> None:
    status, body = raw(web, command(web, "subject LOM-0004"))
    assert (status, body) == (200, "")  # the ack: empty, at once
    rows = stored(web)
    assert [(r.kind, r.state) for r in rows] == [("command", "queued")]
    assert web.standin.calls_to("response_url") == []  # nothing answered yet
    assert web.answer_waiting() == 1
    reply = web.standin.calls_to("response_url")[-1].params
    assert "LOM-0004" in str(reply.get("text")) + json.dumps(reply.get("blocks"))
    assert stored(web) == []  # answered: the raw request is not kept


@both_databases
def test_a_redelivered_event_is_stored_once_and_captured_once(web: SlackHarness) -> None:
    body = district_event(web, "EvTWICE")
    assert raw(web, body)[0] == 200
    assert raw(web, body)[0] == 200  # Slack's retry, before the first was answered
    assert len(stored(web)) == 1
    web.answer_waiting()
    assert reports(web) == 1
    assert raw(web, body)[0] == 200  # and after: the capture's own dedupe holds
    web.answer_waiting()
    assert reports(web) == 1
    web.flush()
    assert len(web.standin.calls_to("chat.postMessage")) >= 1


def test_with_the_inbox_down_bolt_answers_in_the_web_process(
    web: SlackHarness, tmp_path: Any
) -> None:
    broken = sa.create_engine(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    ingress = web.ingress
    assert ingress is not None
    working_engine, working_sessions = ingress.engine, web.rt.sessions
    ingress.engine = broken
    try:
        # a person is answered from the web process, as before there were answer workers
        status, _ = raw(web, command(web, "help"))
        web.executor.wait_idle()
        assert (
            status == 200 and "/lom help" in web.standin.calls_to("response_url")[-1].params["text"]
        )
        # an event whose report cannot be stored at all is refused, so Slack delivers it again
        web.rt.sessions = sessionmaker(broken)
        status, _ = raw(web, district_event(web, "EvDOWN"))
        web.executor.wait_idle()
        assert status >= 500
    finally:
        ingress.engine, web.rt.sessions = working_engine, working_sessions
    assert stored(web) == [] and reports(web) == 0


def test_when_the_answer_cannot_store_a_report_the_event_waits_and_is_captured_later(
    web: SlackHarness, tmp_path: Any
) -> None:
    assert raw(web, district_event(web, "EvLATER"))[0] == 200  # the raw event is safe
    working = web.rt.sessions
    web.rt.sessions = sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/no/db.sqlite3"))
    try:
        web.answer_waiting()
    finally:
        web.rt.sessions = working
    assert [r.state for r in stored(web)] == ["queued"] and reports(web) == 0
    web.answer_waiting()
    assert stored(web) == [] and reports(web) == 1


@pytest.mark.parametrize(
    ("body_for", "secret", "status"),
    [
        (lambda s: command(s, "help", team="T0ELSEWHERE"), SECRET, 200),  # refused by the guard
        (lambda s: command(s, "help"), "not-the-secret", 401),
    ],
)
def test_foreign_and_forged_requests_are_never_stored(
    web: SlackHarness, body_for: Any, secret: str, status: int
) -> None:
    assert raw(web, body_for(web), secret=secret)[0] == status
    web.executor.wait_idle()
    assert stored(web) == []
    assert web.standin.calls_to("response_url") == []


def test_with_no_answer_worker_listening_the_web_process_answers(web: SlackHarness) -> None:
    web.stop_listening()
    status, _ = raw(web, command(web, "help"))
    web.executor.wait_idle()
    assert status == 200 and stored(web) == []
    assert "/lom help" in web.standin.calls_to("response_url")[-1].params["text"]


# -- the answer worker -----------------------------------------------------------------------


def test_a_woken_worker_answers_and_its_sweep_finds_what_nobody_was_told(web: SlackHarness) -> None:
    worker = web.answers
    assert worker is not None
    listener = web.listener
    loop = threading.Thread(target=worker.serve, args=(listener,), daemon=True)
    loop.start()
    try:
        assert raw(web, command(web, "help"))[0] == 200  # woken by its socket
        assert "/lom help" in web.standin.wait_for("response_url", 1, timeout=10)[0].params["text"]
        # stored but never announced (the web process died between commit and wake-up)
        body = command(web, "due").decode()
        inbox.store(web.rt.inbox_engine, kind="command", content_type=signing.FORM, body=body,
                    event_id=None, now=datetime.now(UTC))  # fmt: skip
        web.standin.wait_for("response_url", 2, timeout=10)
        deadline = time.monotonic() + 10
        while stored(web) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stored(web) == []
    finally:
        worker.stop()
        loop.join(5)


@both_databases
def test_a_request_left_half_answered_by_a_stopped_worker(web: SlackHarness) -> None:
    """An event is captured again (idempotent); a command is not run twice: the person is told."""
    assert raw(web, command(web, "contact LOM-0004 phone call complied today")) == (200, "")
    assert raw(web, district_event(web, "EvSTALL")) == (200, "")
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with web.rt.inbox_engine.begin() as conn:
        conn.execute(
            update(InboundRequest).values(state="working", claimed_at=long_ago, claimed_by="gone")
        )
    worker = web.answers
    assert worker is not None
    worker.recover(datetime.now(UTC) - timedelta(minutes=2))
    told = web.standin.calls_to("response_url")
    assert [c.params["text"] for c in told] == [STOPPED_MID_ANSWER]
    assert [(r.kind, r.state) for r in stored(web)] == [("event", "queued")]
    web.answer_waiting()
    assert reports(web) == 1 and stored(web) == []


def test_with_the_database_down_while_answering_the_person_is_told(
    web: SlackHarness, tmp_path: Any
) -> None:
    assert raw(web, command(web, "contact LOM-0004 phone call complied today")) == (200, "")
    working = web.rt.sessions
    web.rt.sessions = sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/no/db.sqlite3"))
    try:
        web.answer_waiting()
    finally:
        web.rt.sessions = working
    assert DB_DOWN in web.standin.calls_to("response_url")[-1].params["text"]
    assert stored(web) == []  # told: not answered again later


def test_on_sqlite_an_ack_never_waits_for_the_main_database_write_lock(
    web: SlackHarness,
) -> None:
    """The inbox is a file of its own beside the SQLite database."""
    assert web.rt.engine.dialect.name == "sqlite"
    assert web.rt.inbox_engine.url.database != web.rt.engine.url.database
    with web.rt.uow() as holder:  # a writing unit of work: it holds the write lock till it ends
        assert holder.session.scalar(select(func.count()).select_from(BreachReport)) is not None
        started = time.monotonic()
        assert raw(web, command(web, "help")) == (200, "")
        assert time.monotonic() - started < 5  # not the 30 s busy timeout
    assert len(stored(web)) == 1


def test_posts_queued_in_a_web_process_are_sent_by_an_answer_worker(web: SlackHarness) -> None:
    """A modal's answer is made in the web process; its Slack posts wake an answer worker."""
    assert web.answers is not None
    kicked = threading.Event()
    web.answers.on_outbox = kicked.set
    loop = threading.Thread(target=web.answers.serve, args=(web.listener,), daemon=True)
    loop.start()
    try:
        with web.rt.uow() as uow:
            uow.send("post", LOM, {"text": "queued in a web process"})
            uow.commit()
        assert kicked.wait(10)
    finally:
        web.answers.stop()
        loop.join(5)


def test_with_no_answer_worker_listening_a_web_process_sends_its_own_posts(
    web: SlackHarness,
) -> None:
    web.stop_listening()
    with web.rt.uow() as uow:
        uow.send("post", LOM, {"text": "queued with nobody to send it"})
        uow.commit()
    posted = web.standin.wait_for("chat.postMessage", 1, timeout=10)
    assert posted[0].params["text"] == "queued with nobody to send it"


def test_two_workers_recovering_the_same_stalled_command_tell_its_user_once(
    web: SlackHarness,
) -> None:
    assert raw(web, command(web, "contact LOM-0004 phone call complied today")) == (200, "")
    long_ago = datetime.now(UTC) - timedelta(minutes=30)
    with web.rt.inbox_engine.begin() as conn:
        conn.execute(
            update(InboundRequest).values(state="working", claimed_at=long_ago, claimed_by="gone")
        )
    assert web.answers is not None
    seen = inbox.stalled(web.rt.inbox_engine, claimed_before=datetime.now(UTC))
    other = AnswerWorker(web.rt.inbox_engine, web.answers.app, name="other", threads=1)
    original = inbox.stalled
    try:  # both read the stalled list before either acts on it
        inbox.stalled = lambda *_a, **_k: seen  # type: ignore[assignment]
        web.answers.recover(datetime.now(UTC))
        other.recover(datetime.now(UTC))
    finally:
        inbox.stalled = original  # type: ignore[assignment]
        other.stop()
    assert [c.params["text"] for c in web.standin.calls_to("response_url")] == [STOPPED_MID_ANSWER]
    assert stored(web) == []


def test_an_event_whose_capture_failed_waits_before_it_is_tried_again(web: SlackHarness) -> None:
    assert raw(web, district_event(web, "EvRETRY")) == (200, "")
    engine = web.rt.inbox_engine
    ((row_id, kind),) = inbox.waiting(
        engine, older_than=datetime.now(UTC) + timedelta(days=1), retry_before=datetime.now(UTC)
    )
    assert kind == "event"
    assert inbox.claim(engine, row_id, by="w", now=datetime.now(UTC)) is not None
    failed_at = datetime.now(UTC)
    inbox.requeue(engine, row_id, by="w", now=failed_at)
    later = failed_at + timedelta(days=1)
    assert inbox.waiting(engine, older_than=later, retry_before=failed_at - RETRY_AFTER) == []
    assert inbox.waiting(engine, older_than=later, retry_before=failed_at) == [(row_id, "event")]


def test_with_only_a_stopped_workers_socket_left_the_web_process_answers(
    web: SlackHarness,
) -> None:
    path = web.listener.path
    web.listener.sock.close()  # the worker died; its socket file stays behind
    assert path.exists()
    status, _ = raw(web, command(web, "help"))
    web.executor.wait_idle()
    assert status == 200 and stored(web) == []
    assert "/lom help" in web.standin.calls_to("response_url")[-1].params["text"]
    assert not path.exists()  # removed, so the next request goes straight to Bolt


def test_a_person_waiting_is_answered_while_district_messages_keep_the_worker_busy(
    web: SlackHarness,
) -> None:
    """A command is woken with its id negated and answered on the people's thread, so a
    burst of district messages cannot make a modal miss Slack's 3-second trigger."""
    assert web.answers is not None
    assert raw(web, district_event(web, "EvBUSY")) == (200, "")
    assert raw(web, command(web, "help")) == (200, "")
    ids = web.listener.receive(timeout=1)
    assert len(ids) == 2 and ids[0] > 0 > ids[1]  # the event, then the person waiting
    gate = threading.Event()
    web.answers.events.submit(gate.wait, 20)  # the events thread is stuck on a long capture
    loop = threading.Thread(target=web.answers.serve, args=(web.listener,), daemon=True)
    loop.start()
    try:
        for sent in ids:
            web.answers.submit(abs(sent), person_waiting=sent < 0)
        reply = web.standin.wait_for("response_url", 1, timeout=10)
        assert "/lom help" in reply[0].params["text"]
        assert reports(web) == 0  # the district message still waits its turn
        gate.set()
        deadline = time.monotonic() + 10
        while reports(web) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reports(web) == 1  # and is captured once the events thread is free
    finally:
        gate.set()
        web.answers.stop()
        loop.join(5)
