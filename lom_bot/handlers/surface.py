"""What the app shows Slack, declared once: the slash command, shortcuts, bot events and the
scopes they need. Listeners register against these names and the manifest is built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

COMMAND = "/lom"
APP_NAME = "lom-bot"


@dataclass(frozen=True)
class Shortcut:
    """A shortcut in Slack's menus; `callback_id` is what the listener matches."""

    name: str  # at most 24 characters (Slack's limit)
    callback_id: str
    description: str
    type: Literal["message", "global"] = "message"


@dataclass(frozen=True)
class BotEvent:
    """An Events API subscription and the bot scopes Slack requires for it."""

    name: str
    scopes: tuple[str, ...]
    why: str


REPORT_BREACH = Shortcut(
    "Report SCPO breach",
    "report_breach",
    "Send this message to the LOM team as a possible breach of a Serious Crime Prevention Order",
)

SHORTCUTS: tuple[Shortcut, ...] = (REPORT_BREACH,)

# Every subscribed event needs a listener, or Bolt answers 404 and Slack keeps retrying.
BOT_EVENTS: tuple[BotEvent, ...] = (
    BotEvent("message.channels", ("channels:history",), "district reports, thread replies"),
    BotEvent("message.groups", ("groups:history",), "the same in private channels"),
    BotEvent("message.im", ("im:history",), "plain-language records in a DM with the bot"),
    BotEvent("app_mention", ("app_mentions:read",), "@lom-bot in the LOM team channel"),
    BotEvent("app_home_opened", (), "the officer's App Home"),
    BotEvent("file_shared", ("files:read",), "a transfer pack shared into the LOM team channel"),
)

# Scopes for Web API calls the bot makes, each with the reason it is needed.
CALL_SCOPES: dict[str, str] = {
    "commands": "/lom and the shortcuts",
    "chat:write": "posts, replies, ephemeral answers, card updates",
    "im:write": "opening a DM to tell an officer something (conversations.open)",
    "users:read": "an officer's name and time zone (users.info)",
    "files:write": "the weekly summary chart and exported documents (files_upload_v2)",
    "reactions:write": "a tick on a district officer's report as soon as it is recorded",
}


def bot_scopes() -> list[str]:
    """The bot token scopes: what the calls need plus what the events need, each once."""
    scopes = list(CALL_SCOPES)
    for event in BOT_EVENTS:
        scopes.extend(s for s in event.scopes if s not in scopes)
    return scopes


def event_names() -> list[str]:
    return [event.name for event in BOT_EVENTS]
