"""Slack failing: 429 with Retry-After, 500s, dropped connections. The outbox keeps every
message until Slack has it, and sends each exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from lom_bot.domain.clock import FixedClock
from lom_bot.runtime import Runtime
from lom_bot.services.outbox import CLAIM_FOR, _claim
from lom_bot.slack_standin.records import Call
from lom_bot.store.classification import Classification
from lom_bot.store.tables import OutboxMessage
from tests.e2e.harness import SlackHarness, harness

CHANNEL = "C0LEEDS"


@pytest.fixture
def slack(runtime: Runtime) -> Iterator[SlackHarness]:
    yield from harness(runtime)


def queue(slack: SlackHarness, *texts: str) -> None:
    with slack.rt.uow() as uow:
        for text in texts:
            uow.send("post", CHANNEL, {"text": text}, classification=Classification.REFERENCE)
        uow.commit()


def later(slack: SlackHarness, minutes: float = 20) -> None:
    assert isinstance(slack.rt.clock, FixedClock)
    slack.rt.clock.advance(minutes=minutes)


def delivered(slack: SlackHarness) -> list[str]:
    return [m.text for m in slack.standin.messages_in(CHANNEL)]


def outbox(slack: SlackHarness) -> list[OutboxMessage]:
    with slack.rt.uow() as uow:
        return list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 429, "retry_after": 1},
        {"status": 500},
        {"status": 503},
        {"drop_connection": True},
        {"error": "internal_error"},
    ],
    ids=["429-retry-after", "500", "503", "dropped-connection", "ok-false"],
)
def test_a_passing_fault_delays_but_never_loses_or_repeats_a_message(
    slack: SlackHarness, fault: dict[str, object]
) -> None:
    slack.standin.fail_next("chat.postMessage", **fault)  # type: ignore[arg-type]
    queue(slack, "one", "two")
    slack.flush()
    later(slack)
    slack.flush()
    assert sorted(delivered(slack)) == ["one", "two"]
    assert all(m.sent_at is not None and m.result_ts for m in outbox(slack))


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 500, "times": 4},
        {"drop_connection": True, "times": 4},
        {"status": 429, "retry_after": 1, "times": 5},
    ],
    ids=["500", "dropped-connection", "429"],
)
def test_a_long_outage_is_outlasted_by_the_outbox(
    slack: SlackHarness, fault: dict[str, object]
) -> None:
    # more failures than the client's own retries: the outbox must carry the message over
    slack.standin.fail_next("chat.postMessage", **fault)  # type: ignore[arg-type]
    queue(slack, "held")
    slack.flush()
    (message,) = outbox(slack)
    assert message.sent_at is None and message.last_error
    # a rate limit is Slack saying "later", not a failed attempt towards the dead-letter limit
    assert message.attempts >= 1 or message.last_error.startswith("RateLimited")
    for _ in range(6):  # the outbox's client does not retry inside a call: one fault a try
        later(slack)
        slack.flush()
    assert delivered(slack) == ["held"]
    (message,) = outbox(slack)
    assert message.sent_at is not None


def posts(calls: list[Call]) -> list[bool]:
    """Whether each chat.postMessage call failed."""
    return [c.failed for c in calls if c.method == "chat.postMessage"]


def test_a_rate_limit_is_honoured_before_trying_again(slack: SlackHarness) -> None:
    slack.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    queue(slack, "limited")
    assert posts(slack.flush()) == [True]  # refused, and not waited out inside the call
    (message,) = outbox(slack)
    assert message.claimed_until is None and message.attempts == 0
    assert message.next_attempt_at == slack.rt.clock.now() + timedelta(seconds=1)
    assert posts(slack.flush()) == []  # not before Retry-After
    later(slack, minutes=1 / 60)
    assert posts(slack.flush()) == [False]
    assert delivered(slack) == ["limited"]


def test_a_retry_after_longer_than_the_claim_never_posts_twice(slack: SlackHarness) -> None:
    wait = CLAIM_FOR + timedelta(minutes=5)
    slack.standin.fail_next("chat.postMessage", status=429, retry_after=int(wait.total_seconds()))
    queue(slack, "patient", "behind it")
    assert posts(slack.flush()) == [True]  # both wait: Slack's limit holds for the channel
    later(slack, minutes=(CLAIM_FOR.total_seconds() + 60) / 60)  # past a claim, not Retry-After
    assert posts(slack.flush()) == []
    later(slack, minutes=5)
    slack.flush()
    later(slack, minutes=20)
    slack.flush()
    assert delivered(slack) == ["patient", "behind it"]


def test_a_post_slack_took_whose_answer_was_lost_is_found_not_posted_again(
    slack: SlackHarness,
) -> None:
    slack.standin.fail_next("chat.postMessage", lose_reply=True)
    queue(slack, "once")
    slack.flush()
    (message,) = outbox(slack)
    assert message.sent_at is None and message.maybe_sent  # Slack has it; we cannot know
    assert delivered(slack) == ["once"]
    later(slack)
    calls = slack.flush()
    assert posts(calls) == []
    assert [c.method for c in calls] == ["conversations.history"]
    assert delivered(slack) == ["once"]
    (message,) = outbox(slack)
    assert (
        message.sent_at is not None
        and message.result_ts == slack.standin.messages_in(CHANNEL)[0].ts
    )


def test_a_post_whose_sender_stopped_mid_call_is_looked_up_then_sent_once(
    slack: SlackHarness,
) -> None:
    queue(slack, "orphan")
    (claimed,) = _claim(slack.rt.uow(), 10)  # a sender claims it, then is killed
    later(slack, minutes=CLAIM_FOR.total_seconds() / 60 + 1)
    calls = slack.flush()
    assert [c.method for c in calls] == ["conversations.history", "chat.postMessage"]
    assert delivered(slack) == ["orphan"]
    assert claimed.maybe_sent is False


def test_thread_replies_wait_for_their_parent_through_an_outage(slack: SlackHarness) -> None:
    slack.standin.fail_next("chat.postMessage", times=4, status=500)
    with slack.rt.uow() as uow:
        parent = uow.send(
            "post", CHANNEL, {"text": "parent"}, classification=Classification.REFERENCE
        )
        uow.send(
            "post",
            CHANNEL,
            {"text": "reply"},
            classification=Classification.REFERENCE,
            after=parent,
        )
        uow.commit()
    for _ in range(6):  # one fault a try: the outbox's client does not retry inside a call
        slack.flush()
        later(slack)
    messages = slack.standin.messages_in(CHANNEL)
    assert [m.text for m in messages] == ["parent", "reply"]
    assert messages[1].thread_ts == messages[0].ts
