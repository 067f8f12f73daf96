"""Poison messages: an attempt limit for posts and for captures, then a dead letter listed by
`lom-bot outbox list --failed`, shown on /health and announced once in the LOM team channel;
and the retention purge of what was delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from pydantic import SecretStr
from sqlalchemy import func, insert, select

from lom_bot.answers.worker import MAX_CAPTURE_ATTEMPTS, AnswerWorker
from lom_bot.bootstrap import build_app
from lom_bot.cli import cli
from lom_bot.domain.clock import FixedClock
from lom_bot.runtime import Runtime
from lom_bot.services.delivery_admin import purge_delivered
from lom_bot.services.outbox import MAX_ATTEMPTS, deliver_pending
from lom_bot.services.ports import FakeChat, NotDelivered
from lom_bot.store import inbox
from lom_bot.store.classification import Classification
from lom_bot.store.tables import OutboxMessage, SeenEvent
from lom_bot.wsgi import LomWsgi
from tests.conftest import both_databases

TEAM = "C0LOMTEAM"


def queue(rt: Runtime, text: str, channel: str = "C0LEEDS") -> int:
    with rt.uow() as uow:
        message = uow.send("post", channel, {"text": text}, classification=Classification.REFERENCE)
        uow.commit()
        return message.id


def rows(rt: Runtime) -> list[OutboxMessage]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def cli_run(rt: Runtime, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", rt.settings.database_url)
    monkeypatch.setenv("LOM_CONFIG", str(rt.settings.lom_config))
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@both_databases
def test_a_post_slack_always_refuses_becomes_a_dead_letter_announced_once(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    poison = queue(runtime, "to a channel that is gone")
    refusing = FakeChat(fail_with=NotDelivered("channel_not_found"))
    for _ in range(MAX_ATTEMPTS + 3):  # more passes than the limit: it is not tried again
        deliver_pending(runtime.uow(), refusing)
        clock.advance(hours=1)
    message, announcement = rows(runtime)
    assert message.id == poison and message.failed_at is not None and message.sent_at is None
    assert message.attempts == MAX_ATTEMPTS and "channel_not_found" in (message.last_error or "")
    assert announcement.channel == TEAM
    assert f"outbox message {poison}" in announcement.payload["text"]
    # the announcement itself goes out once Slack takes it; a second pass adds none
    chat = FakeChat()
    deliver_pending(runtime.uow(), chat)
    deliver_pending(runtime.uow(), chat)
    assert [m["text"] for m in chat.sent[TEAM]] == [announcement.payload["text"]]
    assert "C0LEEDS" not in chat.sent

    status, out = cli_run(runtime, monkeypatch, "outbox", "list", "--failed")
    assert status == 0 and f"  {poison}  post to C0LEEDS  {MAX_ATTEMPTS} attempts" in out
    status, out = cli_run(runtime, monkeypatch, "outbox", "retry", str(poison))
    assert status == 0 and "queued again" in out
    clock.advance(days=30)  # the command ran on the real clock; this test's stands in 2026-11
    deliver_pending(runtime.uow(), chat)
    assert [m["text"] for m in chat.sent["C0LEEDS"]] == ["to a channel that is gone"]
    status, out = cli_run(runtime, monkeypatch, "outbox", "retry", str(poison))
    assert status == 1 and "no message" in out


def test_health_stays_200_and_names_the_dead_letters(runtime: Runtime) -> None:
    runtime.settings = runtime.settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-1"), "slack_signing_secret": SecretStr("s")}
    )
    wsgi = LomWsgi(runtime, build_app(runtime, start_worker=False))
    assert wsgi.health() == ("200 OK", b"ok\n")
    queue(runtime, "x")
    with runtime.uow() as uow:
        uow.session.execute(OutboxMessage.__table__.update().values(failed_at=uow.clock.now()))
        uow.commit()
    assert wsgi.health() == ("200 OK", b"ok; 1 dead letters (lom-bot outbox list --failed)\n")


def test_a_capture_that_always_fails_is_set_aside_after_the_attempt_limit(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = runtime.inbox_engine
    now = datetime.now(UTC)
    row = inbox.store(engine, kind="event", content_type="application/json", body="{}",
                      event_id="EvPOISON", now=now)  # fmt: skip
    told: list[tuple[int, str, int]] = []

    class Failing:  # Bolt answering 500: the capture could not store it
        def dispatch(self, _request: object) -> object:
            return type("R", (), {"status": 500})()

    worker = AnswerWorker(
        engine,
        Failing(),
        name="w",
        on_dead=lambda *a: told.append(a),  # type: ignore[arg-type]
    )
    for n in range(MAX_CAPTURE_ATTEMPTS + 2):
        with engine.begin() as conn:  # make it due now, whatever the backoff said
            conn.execute(inbox.T.update().values(claimed_at=None))
        answered = worker.answer(row)
        assert answered is (n < MAX_CAPTURE_ATTEMPTS)
    assert told == [(row, "event", MAX_CAPTURE_ATTEMPTS)]
    (dead,) = inbox.dead(engine)
    assert (dead.id, dead.event_id, dead.attempts) == (row, "EvPOISON", MAX_CAPTURE_ATTEMPTS)
    assert inbox.waiting(engine, older_than=now + timedelta(days=1),
                         retry_before=now + timedelta(days=1)) == []  # fmt: skip
    status, out = cli_run(runtime, monkeypatch, "outbox", "list", "--failed")
    assert status == 0 and "1 Slack requests set aside" in out and "EvPOISON" in out
    worker.stop()


@both_databases
def test_the_purge_removes_old_sent_messages_and_event_ids_but_keeps_what_is_referred_to(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    with runtime.uow() as uow:
        parent = uow.send("post", TEAM, {"text": "card"}, classification=Classification.REFERENCE,
                          link=("breach_reports", 1))  # fmt: skip
        uow.send("post", TEAM, {"text": "reply"}, classification=Classification.REFERENCE,
                 after=parent)  # fmt: skip
        uow.send("post", TEAM, {"text": "plain"}, classification=Classification.REFERENCE)
        uow.session.execute(insert(SeenEvent).values(event_id="EvOLD", seen_at=uow.clock.now()))
        uow.commit()
    deliver_pending(runtime.uow(), FakeChat())
    queue(runtime, "not sent yet")
    clock.advance(days=31)
    with runtime.uow() as uow:
        uow.session.execute(insert(SeenEvent).values(event_id="EvNEW", seen_at=uow.clock.now()))
        uow.commit()
    purged = purge_delivered(runtime.uow(), 30)
    assert (purged.messages, purged.event_ids) == (2, 1)
    left = [m.payload["text"] for m in rows(runtime)]
    assert left == ["card", "not sent yet"]  # the card is linked; the reply and plain went
    with runtime.uow() as uow:
        assert list(uow.session.scalars(select(SeenEvent.event_id))) == ["EvNEW"]
    assert purge_delivered(runtime.uow(), 30).messages == 0  # nothing more to purge
    with runtime.uow() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 2
    status, out = cli_run(runtime, monkeypatch, "outbox", "purge")  # on the real clock
    assert status == 0, out
    assert "Purged 0 sent messages and 0 Slack event ids older than 30 days." in out
