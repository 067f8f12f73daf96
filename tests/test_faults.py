"""Faults, end to end: the database down during a command, an event or a scheduled job; a crash
between commit and send; redelivered events and double clicks. Nothing is half-written,
nothing is lost, nothing is sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from lom_bot.console import signing
from lom_bot.domain.clock import FixedClock
from lom_bot.handlers.guard import DB_DOWN
from lom_bot.runtime import Runtime
from lom_bot.schedules import execute
from lom_bot.schedules.execute import run_job
from lom_bot.schedules.runner import catch_up
from lom_bot.services.audit import verify_chain
from lom_bot.services.outbox import CLAIM_FOR, _claim
from lom_bot.store.tables import AuditEntry, BreachReport, Contact, JobRun, OutboxMessage
from lom_bot.store.uow import UnitOfWork
from tests.conftest import TODAY
from tests.e2e.harness import SlackHarness, harness

LEEDS, TRIAGE = "C0LEEDS", "C0TRIAGE"
SIGHTING = "Saw LOM-0003 driving a black van on Kirkstall Road at 2am"


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def state(rt: Runtime) -> dict[str, int]:
    """Row counts that a half-written change would disturb."""
    with rt.uow() as uow:
        s = uow.session
        return {
            name: int(s.scalar(select(func.count(model.id))) or 0)
            for name, model in (
                ("contacts", Contact),
                ("audit", AuditEntry),
                ("outbox", OutboxMessage),
                ("breaches", BreachReport),
            )
        }


def broken_sessions(tmp_path: Path) -> sessionmaker[sa.orm.Session]:
    """Sessions on a database that cannot be opened: every query fails as if it were down."""
    return sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/gone/lom.sqlite3"))


def server_gone(self: UnitOfWork) -> None:
    """A commit that reaches the database and fails there, after the changes were sent."""
    self.session.flush()
    raise OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))


# --- the database --------------------------------------------------------------------------


def test_database_down_during_a_command_gives_a_clear_reply_and_writes_nothing(
    slack: SlackHarness, tmp_path: Path
) -> None:
    before = state(slack.rt)
    working, slack.rt.sessions = slack.rt.sessions, broken_sessions(tmp_path)
    try:
        result = slack.command("U0OFF1", "contact LOM-0001 call complied today")
    finally:
        slack.rt.sessions = working
    # the ack went first; the answer says why nothing happened (through the response URL)
    assert result.status == 200 and DB_DOWN in result.text
    assert state(slack.rt) == before


def test_database_failing_at_commit_rolls_the_whole_command_back(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = state(slack.rt)
    with monkeypatch.context() as patch:
        patch.setattr(UnitOfWork, "commit", server_gone)
        failed = slack.command("U0OFF1", "contact LOM-0001 call complied today")
    assert "nothing was saved" in failed.text
    assert state(slack.rt) == before and verify_chain(slack.rt.uow()).intact
    again = slack.command("U0OFF1", "contact LOM-0001 call complied today")
    assert "LOM-0001" in again.text
    assert state(slack.rt)["contacts"] == before["contacts"] + 1


def test_database_down_during_a_button_click_says_so(slack: SlackHarness, tmp_path: Path) -> None:
    working, slack.rt.sessions = slack.rt.sessions, broken_sessions(tmp_path)
    try:
        result = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1.000001")
    finally:
        slack.rt.sessions = working
    assert result.status == 200 and DB_DOWN in result.text and result.modals == []


def test_database_down_during_an_event_is_not_acknowledged_and_stored_once_on_redelivery(
    slack: SlackHarness, tmp_path: Path
) -> None:
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    before = state(slack.rt)
    working, slack.rt.sessions = slack.rt.sessions, broken_sessions(tmp_path)
    try:
        down = slack.event(event, event_id="EvFAULT1")
    finally:
        slack.rt.sessions = working
    assert down.status >= 500 and state(slack.rt) == before
    for retry in (1, 2):
        assert slack.event(event, event_id="EvFAULT1", retry_num=retry).status == 200
    assert state(slack.rt)["breaches"] == before["breaches"] + 1
    triage = [c for c in slack.flush() if c.params.get("channel") == TRIAGE]
    assert len([c for c in triage if c.method == "chat.postMessage"]) == 1


def test_database_failing_during_a_scheduled_job_is_retried_and_posts_once(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = execute.publish

    def publish_then_fail(uow: UnitOfWork, *args: object, **kwargs: object) -> int:
        real(uow, *args, **kwargs)  # type: ignore[arg-type]
        raise OperationalError("INSERT", {}, Exception("connection reset"))

    with monkeypatch.context() as patch:
        patch.setattr(execute, "publish", publish_then_fail)
        failed = run_job(slack.rt, "daily-due", TODAY, trigger="schedule")
    assert failed.status == "failed" and state(slack.rt)["outbox"] == 0
    assert isinstance(slack.rt.clock, FixedClock)
    slack.rt.clock.advance(minutes=5)  # the restart's catch-up runs what failed
    (retried,) = [r for r in catch_up(slack.rt) if r.job == "daily-due"]
    assert retried.status == "done" and retried.posts
    assert run_job(slack.rt, "daily-due", TODAY).status == "skipped"
    with slack.rt.uow() as uow:
        runs = list(uow.session.scalars(select(JobRun).where(JobRun.job == "daily-due")))
    assert [r.status for r in runs] == ["done"]
    slack.flush()
    slack.flush()
    lom_team = slack.standin.messages_in("C0LOMTEAM")
    digests = [m for m in lom_team if m.thread_ts is None and m.text.startswith("Due today")]
    assert len(digests) == 1  # the digest went out once (its continuation in its thread)
    replies = [m for m in lom_team if m.thread_ts == digests[0].ts]
    assert len(replies) == len(retried.posts) - 1


# --- a crash between commit and send -------------------------------------------------------


def test_a_message_claimed_by_a_process_that_died_is_sent_after_the_claim_expires(
    slack: SlackHarness,
) -> None:
    from lom_bot.store.classification import Classification

    with slack.rt.uow() as uow:
        uow.send(
            "post", LEEDS, {"text": "after the crash"}, classification=Classification.REFERENCE
        )
        uow.commit()
    assert len(_claim(slack.rt.uow(), 10)) == 1  # claimed, then the process died
    slack.flush()
    assert slack.standin.messages_in(LEEDS) == []  # still someone else's for now
    assert isinstance(slack.rt.clock, FixedClock)
    slack.rt.clock.advance(seconds=CLAIM_FOR.total_seconds() + 1)
    slack.flush()
    slack.flush()
    assert [m.text for m in slack.standin.messages_in(LEEDS)] == ["after the crash"]


def test_messages_committed_before_a_restart_are_sent_when_the_worker_starts(
    slack: SlackHarness,
) -> None:
    slack.command("U0OFF1", "task LOM-0001 stop check tomorrow")
    before = len(slack.standin.calls_to("chat.postMessage"))
    slack.worker.start()  # a fresh process: its first pass sends what is pending
    slack.standin.wait_for("chat.postMessage", before + 1)
    slack.worker.stop()
    with slack.rt.uow() as uow:
        pending = uow.session.scalar(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))
        )
    assert pending == 0


# --- duplicates ----------------------------------------------------------------------------


def test_a_redelivered_event_makes_one_record(slack: SlackHarness) -> None:
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    before = state(slack.rt)["breaches"]
    for retry in (None, 1, 2, 3):
        assert slack.event(event, event_id="EvTWICE", retry_num=retry).status == 200
    slack.event(event, event_id="EvOTHERID")  # the same message under a new event id
    assert state(slack.rt)["breaches"] == before + 1


def test_a_double_submitted_form_makes_one_record(slack: SlackHarness) -> None:
    values = {
        "subject": "LOM-0001",
        "kind": {"type": "static_select", "selected_option": {"value": "call"}},
        "outcome": {"type": "static_select", "selected_option": {"value": "attended_complied"}},
        "date": "today",
        "notes": "double click",
    }
    (view,) = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "2.0001").modals
    before = state(slack.rt)["contacts"]
    slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert state(slack.rt)["contacts"] == before + 1


def test_slack_retry_delays_do_not_matter_to_the_outbox(slack: SlackHarness) -> None:
    """A message whose send keeps failing waits with backoff and is never dropped."""
    from lom_bot.store.classification import Classification

    slack.standin.fail_next("chat.postMessage", error="internal_error", times=4)
    with slack.rt.uow() as uow:
        uow.send("post", LEEDS, {"text": "persistent"}, classification=Classification.REFERENCE)
        uow.commit()
    assert isinstance(slack.rt.clock, FixedClock)
    for _ in range(6):
        slack.flush()
        slack.rt.clock.advance(minutes=15)
    assert [m.text for m in slack.standin.messages_in(LEEDS)] == ["persistent"]
    with slack.rt.uow() as uow:
        message = uow.session.scalars(select(OutboxMessage)).one()
    assert message.attempts == 4 and message.sent_at is not None
    assert message.sent_at - message.created_at > timedelta(minutes=15)
