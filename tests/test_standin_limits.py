"""The Slack stand-in enforces Slack's rate limits when asked: one post a second per channel
after a short burst, method tiers per workspace, 429 with Retry-After; off by default."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from lom_bot.slack_standin.limits import BURST, TIER_PER_MINUTE, RateLimits
from lom_bot.slack_standin.standin import SlackStandIn


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-limits", base_url=standin.url, retry_handlers=[])


def refused(call: object) -> int | None:
    """The Retry-After of a 429, or None when the call went through."""
    try:
        call()  # type: ignore[operator]
    except SlackApiError as exc:
        assert exc.response.status_code == 429 and exc.response["error"] == "ratelimited"
        return int(exc.response.headers["Retry-After"])
    return None


def test_posts_to_one_channel_are_limited_to_one_a_second_after_a_short_burst() -> None:
    clock = Clock()
    with SlackStandIn(rate_limits=RateLimits(clock=clock)) as standin:
        slack = client(standin)

        def post(channel: str = "C0TRIAGE") -> int | None:
            return refused(lambda: slack.chat_postMessage(channel=channel, text="x"))

        assert [post() for _ in range(BURST)] == [None] * BURST
        assert post() == 1  # the next must wait a second
        assert post("C0LEEDS") is None  # another channel has its own allowance
        clock.now += 1.0
        assert post() is None and post() == 1
        assert len(standin.messages_in("C0TRIAGE")) == BURST + 1  # refused calls post nothing
        assert standin.limits is not None and standin.limits.refused == {"chat.postMessage": 2}


def test_other_methods_have_their_tier_per_minute() -> None:
    clock = Clock()
    with SlackStandIn(rate_limits=RateLimits(clock=clock)) as standin:
        slack = client(standin)
        posted = slack.chat_postMessage(channel="C0TRIAGE", text="card")
        tier3 = TIER_PER_MINUTE[3]

        def update() -> int | None:
            return refused(lambda: slack.chat_update(channel="C0TRIAGE", ts=posted["ts"], text="u"))

        assert [update() for _ in range(tier3)] == [None] * tier3
        assert update() == 2  # 50 a minute: the next in 1.2 s, rounded up
        clock.now += 1.2
        assert update() is None


@pytest.mark.parametrize("limits", [None, RateLimits(retry_after=0)])
def test_tests_that_need_no_delay_turn_the_limits_off_or_get_retry_after_0(
    limits: RateLimits | None,
) -> None:
    with SlackStandIn(rate_limits=limits) as standin:
        slack = client(standin)
        waits = [
            refused(lambda: slack.chat_postMessage(channel="C0TRIAGE", text="x"))
            for _ in range(BURST + 2)
        ]
    assert waits == [None] * (BURST + 2) if limits is None else waits[-1] == 0
