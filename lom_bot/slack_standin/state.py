"""The stand-in's stored workspace and the helpers every Web API method shares."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from lom_bot.slack_standin.ids import BOT_ID, BOT_USER_ID, DEMO_TEAM_ID
from lom_bot.slack_standin.limits import Holds, RateLimits
from lom_bot.slack_standin.records import (
    Call,
    Listener,
    Message,
    Params,
    SlackError,
    UploadedFile,
    dm_for,
)
from lom_bot.slack_standin.server import Server
from lom_bot.slack_standin.wire import Fault

FIRST_TS = 1_764_000_000
_UNKNOWN_USER = "UNKNOWN"


@dataclass
class Responder:
    """Where a response URL posts, and the last message it produced."""

    user: str
    channel: str
    last_ts: str | None


class StandInState:
    """Calls, messages, views and files the stand-in holds, guarded by one condition."""

    def __init__(
        self,
        team_id: str = DEMO_TEAM_ID,
        users: dict[str, str] | None = None,
        channels: dict[str, str] | None = None,
        first_ts: float = FIRST_TS,
        rate_limits: RateLimits | None = None,
    ) -> None:
        self.team_id = team_id
        # Slack's rate limits (slack_standin/limits.py): off unless given, so most tests stay fast.
        self.limits = rate_limits
        self.holds = Holds()
        # Tests keep the fixed default; the console starts at the current time so a reused
        # database never sees a new message with the (channel, ts) of an earlier session's.
        self._first_us = int(first_ts * 1_000_000)
        self.users = dict(users or {})
        self.channels = dict(channels or {})
        self.calls: list[Call] = []
        self.messages: dict[str, list[Message]] = {}
        self.views: dict[str, Params] = {}
        self.modals: list[Params] = []
        self.homes: dict[str, Params] = {}  # each user's published Home tab
        self.files: dict[str, UploadedFile] = {}
        self._cond = threading.Condition()
        self._faults: dict[str, deque[Fault]] = {}
        self._responders: dict[str, Responder] = {}
        self._view_owner: dict[str, str] = {}
        self._views_by_id: dict[str, Params] = {}
        self._listeners: list[Listener] = []
        self._counter = itertools.count(1)
        self._run = secrets.token_hex(3).upper()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def root(self) -> str:
        """Base URL of the server, without the `/api/` prefix."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # -- state helpers (caller holds the lock) ---------------------------------------------

    def _next_ts(self) -> str:
        """A message timestamp later than every earlier one."""
        micros = self._first_us + next(self._counter) * 100
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_id(self, prefix: str) -> str:
        """An id in Slack's style, e.g. V0LOM3FA9C200012: unique across runs, as Slack's are
        (a form in a second console on the same database is not taken for a replay)."""
        return f"{prefix}0LOM{self._run}{next(self._counter):05d}"

    def _store(self, message: Message) -> Message:
        """Append `message` to its channel."""
        self.messages.setdefault(message.channel, []).append(message)
        return message

    def _find(self, channel: str, ts: str | None) -> Message | None:
        """The live message with `ts` in `channel`, if any."""
        for message in self.messages.get(channel, []):
            if message.ts == ts and not message.deleted:
                return message
        return None

    def _bot_message(self, params: Params, channel: str, **extra: Any) -> Message:
        """A message from the bot built from chat.* parameters."""
        return Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(params.get("text") or ""),
            user=BOT_USER_ID,
            bot_id=BOT_ID,
            blocks=list(params.get("blocks") or []),
            attachments=list(params.get("attachments") or []),
            thread_ts=params.get("thread_ts") or None,
            metadata=params.get("metadata"),
            **extra,
        )

    def _channel(self, params: Params, key: str = "channel") -> str:
        """The channel named in `params`; a user id means the DM with that user."""
        channel = params.get(key)
        if not channel:
            raise SlackError("channel_not_found")
        return dm_for(channel) if channel[0] in "UW" else str(channel)

    def _trigger_user(self, trigger_id: str | None) -> str:
        """The user a trigger id belongs to, read from ids shaped like `n.<user>.x`."""
        # Real trigger ids are opaque; ours name the user so modals can be filed per user.
        if not trigger_id:
            raise SlackError("invalid_trigger_id")
        parts = trigger_id.split(".")
        return parts[1] if len(parts) == 3 and parts[1][:1] in ("U", "W") else _UNKNOWN_USER
