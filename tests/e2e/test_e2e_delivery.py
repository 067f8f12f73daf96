"""Messages caused by a change go out through the outbox, after commit, retried until sent."""

from __future__ import annotations

import base64

from sqlalchemy import select

from lom_bot.store.classification import Classification
from lom_bot.store.tables import OutboxMessage
from tests.e2e.harness import SlackHarness


def _queue(slack: SlackHarness, method: str, channel: str, payload: dict[str, object]) -> None:
    with slack.rt.uow() as uow:
        uow.send(method, channel, payload, classification=Classification.REFERENCE)
        uow.commit()


def test_each_outbox_method_becomes_its_web_api_call(slack: SlackHarness) -> None:
    _queue(slack, "post", "C0LEEDS", {"text": "posted"})
    _queue(slack, "ephemeral", "C0LEEDS", {"text": "to you", "user": "U0LEEDS"})
    _queue(slack, "dm", "U0OFF1", {"text": "direct"})
    content = base64.b64encode(b"letter body").decode()
    _queue(slack, "upload", "C0LOMTEAM", {"content": content, "filename": "l.txt", "title": "L"})
    calls = slack.flush()
    methods = [c.method for c in calls]
    assert methods.count("chat.postMessage") == 2
    assert "chat.postEphemeral" in methods
    assert "conversations.open" in methods
    assert [m.text for m in slack.standin.messages_in("DU0OFF1")] == ["direct"]
    assert [f.content for f in slack.standin.files.values()] == [b"letter body"]


def test_a_failed_send_is_kept_and_sent_on_a_later_pass(slack: SlackHarness) -> None:
    slack.standin.fail_next("chat.postMessage", error="fatal_error", times=1)
    _queue(slack, "post", "C0LEEDS", {"text": "eventually"})
    slack.flush()
    assert slack.standin.messages_in("C0LEEDS") == []
    slack.rt.clock.advance(minutes=1)  # type: ignore[attr-defined]
    slack.flush()
    assert [m.text for m in slack.standin.messages_in("C0LEEDS")] == ["eventually"]
    with slack.rt.uow() as uow:
        message = uow.session.scalars(select(OutboxMessage)).one()
        assert message.attempts == 1 and message.sent_at is not None


def test_a_server_error_is_retried_on_a_later_pass_after_looking_whether_it_was_posted(
    slack: SlackHarness,
) -> None:
    slack.standin.fail_next("chat.postMessage", status=500)
    _queue(slack, "post", "C0LEEDS", {"text": "retried"})
    slack.flush()
    assert slack.standin.messages_in("C0LEEDS") == []
    slack.rt.clock.advance(minutes=1)  # type: ignore[attr-defined]
    calls = [c.method for c in slack.flush()]
    # a 5xx may come after Slack posted it: look first, then post (once)
    assert calls == ["conversations.history", "chat.postMessage"]
    assert [m.text for m in slack.standin.messages_in("C0LEEDS")] == ["retried"]


def test_the_running_worker_sends_when_a_commit_queues_a_message(slack: SlackHarness) -> None:
    slack.worker.start()
    _queue(slack, "post", "C0LEEDS", {"text": "woken"})
    slack.standin.wait_for("chat.postMessage")
    slack.worker.stop()
    assert [m.text for m in slack.standin.messages_in("C0LEEDS")] == ["woken"]


def test_a_rate_limit_defers_the_message_for_retry_after_then_it_is_sent_once(
    slack: SlackHarness,
) -> None:
    slack.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    _queue(slack, "post", "C0LEEDS", {"text": "after the limit"})
    calls = slack.flush()
    assert [c.failed for c in calls if c.method == "chat.postMessage"] == [True]
    slack.rt.clock.advance(seconds=1)  # type: ignore[attr-defined]
    calls = slack.flush()
    assert [c.failed for c in calls if c.method == "chat.postMessage"] == [False]
    assert [m.text for m in slack.standin.messages_in("C0LEEDS")] == ["after the limit"]
