"""A district report reaching a fresh process whose auth.test fails is kept for redelivery."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from lom_bot.console import signing
from lom_bot.handlers.authorisation import SLACK_UNCONFIRMED
from lom_bot.store.tables import BreachReport, Contact
from tests import test_breach_support as support
from tests.e2e.harness import SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

LEEDS = "C0LEEDS"
SIGHTING = "Saw LOM-0003 driving a black van on Kirkstall Road at 2am"
FAILURES: list[dict[str, Any]] = [
    {"error": "invalid_auth"},  # Slack answers, refusing
    {"status": 500, "times": 3},  # Slack failing (after the client's retries)
    {"drop_connection": True, "times": 3},  # Slack unreachable
]


def count(slack: SlackHarness, model: Any) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


@pytest.mark.parametrize("failure", FAILURES, ids=["refused", "500", "unreachable"])
def test_a_district_report_is_not_lost_when_auth_test_fails_on_a_fresh_process(
    slack: SlackHarness, failure: dict[str, Any]
) -> None:
    slack.standin.fail_next("auth.test", **failure)
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    before = count(slack, BreachReport)
    first = slack.event(event, event_id="EvAUTH1")
    assert count(slack, BreachReport) == before
    if slack.answers is None:
        assert first.status == 503  # not acknowledged: Slack delivers it again
        again = slack.event(event, event_id="EvAUTH1", retry_num=1)
        assert again.status == 200
    else:
        assert first.status == 200  # kept in the inbox; the answer worker tries again
        assert slack.answer_waiting() == 1
    assert count(slack, BreachReport) == before + 1
    slack.event(event, event_id="EvAUTH1", retry_num=2)
    assert count(slack, BreachReport) == before + 1


def test_a_command_when_auth_test_fails_says_nothing_was_done(slack: SlackHarness) -> None:
    slack.standin.fail_next("auth.test", error="invalid_auth")
    before = count(slack, Contact)
    result = slack.command("U0OFF1", "contact LOM-0001 call complied today")
    assert result.status == 200
    assert SLACK_UNCONFIRMED in (result.body + result.text)
    assert count(slack, Contact) == before
    done = slack.command("U0OFF1", "contact LOM-0001 call complied today")
    assert "LOM-0001" in done.text and count(slack, Contact) == before + 1
