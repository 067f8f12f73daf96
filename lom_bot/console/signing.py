"""Signed requests and Slack-shaped payloads for driving a Bolt app over HTTP."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from lom_bot.slack_standin.ids import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    DEMO_TEAM_DOMAIN,
    DEMO_TEAM_ID,
    trigger_id_for,
)

# Slack still sends the deprecated verification token; Bolt ignores it but real bodies carry it.
VERIFICATION_TOKEN = "lom-verification-token"

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_VIEW_IDS = itertools.count(1)
# Slack makes every trigger id unique; so do these (numbered far from the stand-in's own, and
# marked with this process's run, so a second console on the same database is not a replay)
_TRIGGERS = itertools.count(1_000_000_000)

Payload = dict[str, Any]


def sign(
    signing_secret: str, body: bytes, timestamp: int, *, content_type: str | None = None
) -> dict[str, str]:
    """Headers Slack would send with `body`: a v0 signature, its timestamp and a content type."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    guessed = JSON if body.lstrip().startswith(b"{") else FORM
    return {
        "X-Slack-Signature": f"v0={digest}",
        "X-Slack-Request-Timestamp": str(timestamp),
        "Content-Type": content_type or guessed,
    }


def slash_command_body(
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    team_id: str = DEMO_TEAM_ID,
    response_url: str = "",
    trigger_id: str | None = None,
) -> bytes:
    """A slash command invocation, form-encoded as Slack posts it."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": DEMO_TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or trigger_id_for(user_id, next(_TRIGGERS)),
    }
    return urlencode(fields).encode()


def interactivity_body(payload: Payload) -> bytes:
    """An interactivity request: the payload as JSON in a `payload` form field."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def event_body(
    event: Payload,
    team_id: str = DEMO_TEAM_ID,
    event_id: str | None = None,
    api_app_id: str = APP_ID,
    event_time: int | None = None,
) -> bytes:
    """An Events API `event_callback` envelope around `event`."""
    encoded = json.dumps(event, sort_keys=True).encode()
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        # Derived from the event so that replaying the same event gives the same id.
        "event_id": event_id or "Ev" + hashlib.sha1(encoded).hexdigest()[:10].upper(),
        "event_time": event_time if event_time is not None else _event_time(event),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope).encode()


def block_actions_payload(
    user_id: str,
    team_id: str,
    channel_id: str | None,
    action_id: str,
    value: str,
    block_id: str = "b",
    message_ts: str | None = None,
    trigger_id: str | None = None,
    response_url: str | None = None,
    view: Payload | None = None,
) -> Payload:
    """A button click, on a message or (when `view` is given) inside a view."""
    payload: Payload = {
        "type": "block_actions",
        **_actor(user_id, team_id),
        "trigger_id": trigger_id or trigger_id_for(user_id, next(_TRIGGERS)),
        "state": {"values": {}},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": block_id,
                "value": value,
                "text": {"type": "plain_text", "text": value},
                "action_ts": f"{int(time.time())}.000000",
            }
        ],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        payload["view"] = view
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": False,
        }
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": _channel_name(channel_id)}
    if message_ts is not None:
        payload["message"] = _bot_message(message_ts)
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission_payload(
    user_id: str,
    team_id: str,
    callback_id: str,
    state_values: Payload,
    private_metadata: str = "",
    view_id: str | None = None,
) -> Payload:
    """A modal submission; `state_values` is keyed block_id -> action_id -> element state.
    Each call is a new view (as Slack's ids are unique) unless `view_id` names one."""
    view_id = view_id or f"V{next(_VIEW_IDS):08d}"
    view: Payload = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": private_metadata,
        "blocks": [],
        "state": {"values": state_values},
        "hash": f"{view_id}.hash",
        "title": {"type": "plain_text", "text": "LOM"},
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit"},
        "clear_on_close": False,
        "notify_on_close": False,
        "previous_view_id": None,
        "root_view_id": view_id,
        "external_id": "",
        "app_id": APP_ID,
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
    return {
        "type": "view_submission",
        **_actor(user_id, team_id),
        "trigger_id": trigger_id_for(user_id, next(_TRIGGERS)),
        "view": view,
        "response_urls": [],
    }


def message_shortcut_payload(
    user_id: str,
    team_id: str,
    channel_id: str,
    callback_id: str,
    message_ts: str,
    message_text: str = "",
    message_user: str | None = None,
    trigger_id: str | None = None,
    response_url: str = "",
) -> Payload:
    """A message shortcut (`message_action`) run on the message at `message_ts`."""
    return {
        "type": "message_action",
        **_actor(user_id, team_id),
        "callback_id": callback_id,
        "trigger_id": trigger_id or trigger_id_for(user_id, next(_TRIGGERS)),
        "action_ts": f"{int(time.time())}.000000",
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "message_ts": message_ts,
        "message": {
            "type": "message",
            "user": message_user or user_id,
            "ts": message_ts,
            "text": message_text,
        },
        "response_url": response_url,
    }


def message_event(
    channel: str,
    user: str | None,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> Payload:
    """A `message` event as the Events API delivers it."""
    event: Payload = {
        "type": "message",
        "channel": channel,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im" if channel.startswith("D") else "channel",
    }
    optional = {"user": user, "thread_ts": thread_ts, "subtype": subtype, "bot_id": bot_id}
    event.update({key: value for key, value in optional.items() if value is not None})
    return event


def _actor(user_id: str, team_id: str) -> Payload:
    """The fields naming who acted, shared by every interactivity payload."""
    return {
        "token": VERIFICATION_TOKEN,
        "api_app_id": APP_ID,
        "team": {"id": team_id, "domain": DEMO_TEAM_DOMAIN},
        "user": {
            "id": user_id,
            "username": user_id.lower(),
            "name": user_id.lower(),
            "team_id": team_id,
        },
        "enterprise": None,
        "is_enterprise_install": False,
    }


def _bot_message(ts: str) -> Payload:
    """The message a button sits on, as posted by the bot."""
    return {"type": "message", "ts": ts, "user": BOT_USER_ID, "bot_id": BOT_ID, "text": ""}


def _channel_name(channel_id: str) -> str:
    """Slack names DMs `directmessage`; other channels get a name derived from the id."""
    return "directmessage" if channel_id.startswith("D") else channel_id.lower()


def _event_time(event: Payload) -> int:
    """The event's own timestamp in whole seconds, or now when it has none."""
    stamp = event.get("event_ts") or event.get("ts")
    return int(float(stamp)) if stamp else int(time.time())
