"""The Slack app manifest is one Slack accepts, and it says what the code actually serves."""

from __future__ import annotations

import contextvars
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from lom_bot.cli import cli
from lom_bot.console import signing
from lom_bot.console.session import ConsoleSession
from lom_bot.handlers import surface
from lom_bot.handlers.registry import declared
from lom_bot.runtime import Runtime

# Slack's published schema, kept with the tests (tests/data/README.md) so any clone can run them.
SCHEMA = Path(__file__).resolve().parent / "data" / "slack-manifest.schema.json"
URL = "https://lom.example.org"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA.read_text(encoding="utf-8")))


def invoke(*args: str) -> Result:
    """The command line in this process; its log bindings stay in a context of their own."""
    return contextvars.copy_context().run(CliRunner().invoke, cli, list(args))


def manifest(*args: str) -> dict[str, Any]:
    result = invoke("manifest", *args)
    assert result.exit_code == 0, result.output
    return dict(yaml.safe_load(result.output))


def test_the_socket_mode_manifest_is_valid_and_has_no_request_urls(schema: dict[str, Any]) -> None:
    data = manifest()
    jsonschema.validate(data, schema)
    assert data["settings"]["socket_mode_enabled"] is True
    assert "url" not in data["features"]["slash_commands"][0]
    assert "request_url" not in data["settings"]["interactivity"]
    assert "request_url" not in data["settings"]["event_subscriptions"]


def test_the_http_manifest_is_valid_and_sends_everything_to_slack_events(
    schema: dict[str, Any],
) -> None:
    data = manifest("--http-url", URL + "/")
    jsonschema.validate(data, schema)
    settings = data["settings"]
    assert settings["socket_mode_enabled"] is False
    urls = {
        data["features"]["slash_commands"][0]["url"],
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    }
    assert urls == {URL + "/slack/events"}


def test_the_schema_would_refuse_a_broken_manifest(schema: dict[str, Any]) -> None:
    data = manifest()
    data["features"]["shortcuts"][0]["name"] = "A shortcut name far too long for Slack"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_the_lom_command_hint_names_every_declared_subcommand() -> None:
    command = manifest()["features"]["slash_commands"][0]
    assert command["command"] == surface.COMMAND == "/lom"
    for spec in declared():
        assert spec.name in command["usage_hint"]


def test_shortcuts_events_and_scopes_come_from_the_surface_declarations() -> None:
    data = manifest()
    shortcuts = {s["callback_id"]: s for s in data["features"]["shortcuts"]}
    assert shortcuts["report_breach"]["name"] == "Report SCPO breach"
    assert shortcuts["report_breach"]["type"] == "message"
    events = data["settings"]["event_subscriptions"]["bot_events"]
    assert events == [e.name for e in surface.BOT_EVENTS]
    assert {"message.channels", "message.im", "app_mention", "app_home_opened"} <= set(events)
    scopes = data["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes))
    for event in surface.BOT_EVENTS:
        assert set(event.scopes) <= set(scopes), event.name
    assert {"commands", "chat:write"} <= set(scopes)
    assert data["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }
    assert data["settings"]["interactivity"]["is_enabled"] is True


def test_a_request_url_that_is_not_a_url_is_refused_in_one_line() -> None:
    result = invoke("manifest", "--http-url", "lom.example.org")
    assert result.exit_code != 0
    assert "is not a URL" in result.output
    assert "Traceback" not in result.output


def test_every_subscribed_event_and_shortcut_has_a_listener(demo: Runtime) -> None:
    """Slack retries anything answered 404: each declared event and shortcut must be handled."""
    session = ConsoleSession(demo)  # the real app from bootstrap, Slack replaced by a stand-in
    try:
        ts = "1764000000.000100"
        samples = {
            "message.channels": signing.message_event("C0LOMTEAM", "U0OFF1", "hello", ts),
            "message.groups": {
                **signing.message_event("G0PRIVATE", "U0OFF1", "hello", ts),
                "channel_type": "group",
            },
            "message.im": signing.message_event("DU0OFF1", "U0OFF1", "hello", ts),
            "app_mention": {
                "type": "app_mention",
                "user": "U0OFF1",
                "text": f"<@{signing.BOT_USER_ID}> hello",
                "ts": ts,
                "channel": "C0LOMTEAM",
                "event_ts": ts,
            },
            "app_home_opened": {
                "type": "app_home_opened",
                "user": "U0OFF1",
                "channel": "DU0OFF1",
                "tab": "home",
                "event_ts": ts,
            },
            "file_shared": {
                "type": "file_shared",
                "file_id": "F0NOSUCH",
                "user_id": "U0OFF1",
                "channel_id": "C0TRIAGE",
                "event_ts": ts,
            },
        }
        assert set(samples) == set(surface.event_names())
        for name, event in samples.items():
            step = session.run_request(signing.event_body(event, team_id=session.team))
            assert step.status == 200, name
        for shortcut in surface.SHORTCUTS:
            payload = signing.message_shortcut_payload(
                "U0LEEDS",
                session.team,
                "C0LEEDS",
                shortcut.callback_id,
                ts,
                "LOM-0003 seen",
                response_url=session.standin.response_url("U0LEEDS", "C0LEEDS"),
            )
            step = session.run_request(signing.interactivity_body(payload))
            assert step.status == 200, shortcut.callback_id
    finally:
        session.close()
