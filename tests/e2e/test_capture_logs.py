"""Each capture decision is logged at INFO with ids and references only, never the text."""

from __future__ import annotations

import logging

import pytest

from tests.e2e.harness import SlackHarness
from tests.e2e.test_breach_e2e import SIGHTING, district_say, report_for


def decisions(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "lom_bot.handlers.breach_events" and r.levelno == logging.INFO
    ]


def test_captured_ignored_and_redelivered_messages_are_logged_without_their_words(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lom_bot.handlers.breach_events")
    ts, _ = district_say(slack, SIGHTING, event_id="EvLOGGED1")
    ref = report_for(slack, ts).ref
    district_say(slack, "Anyone know if the canteen is open today?", event_id="EvLOGGED2")
    message = slack.standin.messages_in("C0LEEDS")[0]
    from lom_bot.console import signing

    slack.event(signing.message_event("C0LEEDS", "U0LEEDS", SIGHTING, message.ts),
                event_id="EvLOGGED1", retry_num=1)  # fmt: skip
    said = decisions(caplog)
    assert any(f"district message {ts} in C0LEEDS from U0LEEDS (event EvLOGGED1) captured as "
               f"{ref} (new, subject LOM-" in line for line in said), said  # fmt: skip
    assert any("(event EvLOGGED2) not captured: no subject on the caseload named" in line
               for line in said), said  # fmt: skip
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Shaun" not in logged and "Madeup" not in logged and "canteen" not in logged
