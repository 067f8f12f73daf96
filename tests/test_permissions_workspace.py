"""Where requests may come from: only the configured workspace is served; unsigned, wrongly
signed and stale requests are refused (401) before anything runs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from lom_bot.console import signing
from lom_bot.handlers.guard import describe
from lom_bot.runtime import Runtime
from lom_bot.store.tables import AuditEntry, BreachReport
from tests.e2e.harness import SlackHarness, harness


@pytest.fixture
def slack(demo: Runtime) -> Iterator[SlackHarness]:
    yield from harness(demo)


def counts(rt: Runtime) -> tuple[int, int]:
    with rt.uow() as uow:
        s = uow.session
        return (
            int(s.scalar(select(func.count(AuditEntry.id))) or 0),
            int(s.scalar(select(func.count(BreachReport.id))) or 0),
        )


def command_from(team: str | None, text: str = "subject LOM-0001", **extra: str) -> bytes:
    fields = {
        "team_id": team or "",
        "channel_id": "C0LOMTEAM",
        "user_id": "U0OFF1",
        "command": "/lom",
        "text": text,
        "api_app_id": signing.APP_ID,
        "response_url": "",
        "trigger_id": "1.U0OFF1.lomtrigger",
        **extra,
    }
    if team is None:
        del fields["team_id"]
    return urlencode(fields).encode()


def district_post(team: str) -> bytes:
    event = signing.message_event(
        "C0LEEDS", "U0LEEDS", "LOM-0001 seen driving a car", "1764064800.000100"
    )
    return signing.event_body(event, team_id=team)


def test_the_configured_workspace_is_served(slack: SlackHarness) -> None:
    result = slack.post(command_from("T0LOMDEMO"))
    assert result.status == 200 and "LOM-0001" in result.text


@pytest.mark.parametrize("team", ["T0OTHER", None])
def test_another_or_no_workspace_gets_no_data_and_nothing_is_stored(
    slack: SlackHarness, team: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    before = counts(slack.rt)
    with caplog.at_level(logging.WARNING):
        result = slack.post(command_from(team))
        event = slack.post(district_post(team or ""))
    assert result.status == 200 and event.status == 200
    assert "LOM-0001" not in result.body
    # Bolt's own auth.test (who the bot is) may run once; nothing else reaches Slack
    assert [c.method for c in result.calls + event.calls if c.method != "auth.test"] == []
    assert counts(slack.rt) == before
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_an_enterprise_grid_org_is_matched_by_its_enterprise_id(demo: Runtime) -> None:
    demo.config = demo.config.model_copy(update={"workspace_team_id": "E0GRID"})
    for h in harness(demo):
        served = h.post(command_from("T0ANYTEAM", enterprise_id="E0GRID"))
        assert "LOM-0001" in served.text
        refused = h.post(command_from("T0ANYTEAM", enterprise_id="E0ELSE"))
        assert "LOM-0001" not in refused.body
        assert [c.method for c in refused.calls if c.method != "auth.test"] == []


def test_a_wrong_signature_is_refused(slack: SlackHarness) -> None:
    before = counts(slack.rt)
    result = slack.post(command_from("T0LOMDEMO"), secret="not-the-secret")
    assert result.status == 401 and result.calls == []
    assert counts(slack.rt) == before


def test_a_stale_timestamp_is_refused(slack: SlackHarness) -> None:
    result = slack.post(command_from("T0LOMDEMO"), timestamp=int(time.time()) - 6 * 60)
    assert result.status == 401 and result.calls == []


def test_a_body_changed_after_signing_is_refused(slack: SlackHarness) -> None:
    import urllib.error
    import urllib.request

    body = command_from("T0LOMDEMO")
    headers = signing.sign("e2e-signing-secret", body, int(time.time()))
    tampered = body.replace(b"LOM-0001", b"LOM-0002")
    request = urllib.request.Request(slack.url, data=tampered, headers=headers, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_log_lines_name_the_action_but_never_the_text() -> None:
    assert describe({"command": "/lom", "text": "contact LOM-0001 call"}) == "/lom contact"
    assert describe({"command": "/lom", "text": "Darren Fictional"}) == "/lom ?"
    assert describe({"type": "block_actions", "actions": [{"action_id": "x"}]}) == "action:x"
    assert describe({"type": "view_submission", "view": {"callback_id": "c"}}) == (
        "view_submission:c"
    )
    assert describe({"event": {"type": "message", "text": "secret"}}) == "event:message"
