"""The app answers signed Slack requests, and refuses unsigned or stale ones."""

from __future__ import annotations

import time

from lom_bot.console import signing
from tests.e2e.harness import SlackHarness


def test_help_is_answered_to_the_user_alone(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "help")
    assert result.status == 200
    assert result.replies[0]["response_type"] == "ephemeral"
    assert "/lom help" in result.text


def test_a_bad_signature_gets_401_and_no_reply(slack: SlackHarness) -> None:
    body = signing.slash_command_body("/lom", "help", "U0OFF1", "C0LOMTEAM")
    result = slack.post(body, secret="not-the-secret")
    assert result.status == 401
    assert result.replies == []


def test_a_stale_timestamp_is_refused(slack: SlackHarness) -> None:
    body = signing.slash_command_body("/lom", "help", "U0OFF1", "C0LOMTEAM")
    result = slack.post(body, timestamp=int(time.time()) - 10 * 60)
    assert result.status == 401
    assert result.replies == []


def test_an_unknown_user_is_not_authorised_and_sees_no_data(slack: SlackHarness) -> None:
    result = slack.command("U0STRANGER", "subject LOM-0001")
    assert result.status == 200
    assert "not authorised" in result.text
    assert "LOM-0001" not in result.text


def test_an_unknown_subcommand_gets_usage_help_with_an_example(slack: SlackHarness) -> None:
    result = slack.command("U0OFF1", "frobnicate LOM-0001")
    assert "I don't know `/lom frobnicate`" in result.text
    assert "For example: `/lom subject LOM-0042`" in result.text


def test_every_subscribed_event_type_has_a_listener(slack: SlackHarness) -> None:
    from lom_bot.handlers.surface import BOT_EVENTS

    samples = {
        "message.channels": signing.message_event("C0LOMTEAM", "U0OFF1", "hello", "1764000500.1"),
        "message.groups": {
            **signing.message_event("G0PRIV", "U0OFF1", "hi", "1764000501.1"),
            "channel_type": "group",
        },
        "message.im": signing.message_event("DU0OFF1", "U0OFF1", "LOM-0001 call", "1764000502.1"),
        "app_mention": {
            "type": "app_mention",
            "channel": "C0TRIAGE",
            "user": "U0OFF1",
            "text": "<@U0LOMBOT> hi",
            "ts": "1764000503.1",
        },
        "app_home_opened": {
            "type": "app_home_opened",
            "user": "U0OFF1",
            "tab": "home",
            "event_ts": "1764000504.1",
        },
        "file_shared": {
            "type": "file_shared",
            "file_id": "F0NOSUCH",
            "user_id": "U0OFF1",
            "channel_id": "C0TRIAGE",
            "event_ts": "1764000505.1",
        },
    }
    assert {subscribed.name for subscribed in BOT_EVENTS} <= set(samples)
    for subscribed in BOT_EVENTS:
        result = slack.event(samples[subscribed.name])
        assert result.status == 200, f"{subscribed.name} got {result.status}"


def test_usage_and_user_text_are_escaped_so_slack_shows_them_as_typed(
    slack: SlackHarness,
) -> None:
    help_text = slack.command("U0OFF1", "help contact").text
    assert "&lt;subject&gt;" in help_text and "<subject>" not in help_text
    unknown = slack.command("U0OFF1", "<@U0OFF2> hello").text
    assert "&lt;@U0OFF2&gt;" in unknown and "<@U0OFF2>" not in unknown
