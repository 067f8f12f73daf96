"""Log lines never carry a request's body or Slack text, even from Slack's own libraries."""

from __future__ import annotations

import io

import pytest

from lom_bot.console import signing
from tests import test_breach_support as support
from tests.e2e.harness import SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

PRIVATE = "Shaun Madeup of 14 Imaginary Street seen with a knife"


@pytest.mark.parametrize("how", ["wrong secret", "stale timestamp"])
def test_a_request_whose_signature_fails_is_logged_without_its_body(
    logged: io.StringIO, slack_inline: SlackHarness, how: str
) -> None:
    body = signing.slash_command_body("/lom", f"breach LOM-0003 {PRIVATE}", "U0LEEDS", "C0LEEDS")
    if how == "wrong secret":
        result = slack_inline.post(body, secret="rotated-secret-not-ours")
    else:
        result = slack_inline.post(body, timestamp=1_000_000_000)
    assert result.status == 401
    lines = logged.getvalue()
    assert "Invalid request signature" in lines  # Bolt did log the refusal...
    for word in ("Shaun", "Madeup", "Imaginary", "knife", "LOM-0003"):
        assert word not in lines  # ...but not what was in it


def test_an_event_body_is_not_logged_by_slack_libraries(
    logged: io.StringIO, slack_inline: SlackHarness
) -> None:
    event = signing.message_event("C0LEEDS", "U0LEEDS", PRIVATE, "1.000100")
    assert slack_inline.post(signing.event_body(event), secret="wrong-secret-again").status == 401
    assert "Shaun" not in logged.getvalue() and "knife" not in logged.getvalue()
