"""What the stand-in records and stores: calls, messages, uploaded files, and their JSON shapes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lom_bot.slack_standin.ids import DEMO_TEAM_DOMAIN

Params = dict[str, Any]


@dataclass
class Call:
    """One request the stand-in received; `failed` when it answered with an error."""

    method: str
    params: Params
    token: str | None = None
    failed: bool = False


@dataclass
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal and its upload URL."""

    id: str
    name: str
    title: str
    content: bytes = b""
    channels: list[str] = field(default_factory=list)


@dataclass
class Message:
    """A message as the stand-in stores it, ephemeral ones included."""

    channel: str
    ts: str
    text: str = ""
    user: str | None = None
    bot_id: str | None = None
    blocks: list[Any] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    thread_ts: str | None = None
    ephemeral_to: str | None = None
    files: list[UploadedFile] = field(default_factory=list)
    metadata: Params | None = None
    deleted: bool = False
    reactions: list[str] = field(default_factory=list)  # names the bot added


class SlackError(Exception):
    """Raised by a method handler to answer `{"ok": false, "error": ...}`."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


Handler = Callable[[Params], Params]
Listener = Callable[[Call], None]


def permalink(channel: str, ts: str) -> str:
    """The permalink Slack gives the message `ts` in `channel`."""
    return f"https://{DEMO_TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"


def dm_for(user: str) -> str:
    """The DM channel id the stand-in uses for `user`."""
    return f"D{user}"


def require_content(params: Params) -> None:
    """Slack refuses a message with no text, blocks or attachments."""
    if not (params.get("text") or params.get("blocks") or params.get("attachments")):
        raise SlackError("no_text")


def apply_edit(message: Message, params: Params) -> None:
    """Replace the parts of `message` that `params` provides."""
    if "text" in params:
        message.text = str(params["text"] or "")
    if "blocks" in params:
        message.blocks = list(params["blocks"] or [])
    if "attachments" in params:
        message.attachments = list(params["attachments"] or [])


def is_public(message: Message) -> bool:
    """Whether conversations.history would show the message."""
    return not message.deleted and message.ephemeral_to is None


def message_json(message: Message) -> Params:
    """A message in the shape the Web API returns it."""
    data: Params = {"type": "message", "ts": message.ts, "text": message.text}
    optional = {
        "user": message.user,
        "bot_id": message.bot_id,
        "blocks": message.blocks,
        "attachments": message.attachments,
        "thread_ts": message.thread_ts,
        "metadata": message.metadata,
        "files": [
            {"id": file.id, "name": file.name, "title": file.title} for file in message.files
        ],
    }
    data.update({key: value for key, value in optional.items() if value})
    return data
