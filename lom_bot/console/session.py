"""The console's engine: the real Bolt app, a Slack stand-in, and signed requests between them.

Each step (a command, a message, a click, a submitted modal) is dispatched to the app as a
signed request with Slack's payload shape; listeners run to completion before the step ends
(an inline executor), then the outbox is delivered and what changed in the stand-in is
returned as a Step for the REPL to show."""

from __future__ import annotations

import contextvars
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from slack_bolt import App, BoltRequest, BoltResponse

from lom_bot.answers.inline import InlineExecutor
from lom_bot.bootstrap import build_app, outbox_worker
from lom_bot.console import signing
from lom_bot.console.render import Clickable
from lom_bot.runtime import Runtime
from lom_bot.slack_standin.ids import BOT_USER_ID, DEMO_TEAM_ID
from lom_bot.slack_standin.records import Message
from lom_bot.slack_standin.standin import SlackStandIn

SECRET = "lom-console-signing-secret"
TOKEN = "xoxb-lom-console"
Payload = dict[str, Any]


@dataclass
class Step:
    """What one request caused: the app's HTTP answer and everything it sent to Slack."""

    status: int = 200
    body: str = ""
    new: list[Message] = field(default_factory=list)
    changed: list[Message] = field(default_factory=list)
    modal: Payload | None = None  # the modal open for the acting user when the step ended
    home: Payload | None = None  # the acting user's Home tab, when it was published
    notes: list[str] = field(default_factory=list)

    def ack(self) -> Payload | None:
        """The ack's body as JSON (slash command replies, view_submission answers)."""
        if not self.body.strip().startswith("{"):
            return None
        data = json.loads(self.body)
        return data if isinstance(data, dict) else None


@dataclass
class _Snapshot:
    calls: int
    messages: dict[tuple[str, str], str]
    modals: dict[str, str]


class ConsoleSession:
    """One console: who is acting, where, and the app they are talking to."""

    def __init__(self, rt: Runtime, *, user: str = "U0OFF1", channel: str | None = None) -> None:
        self.rt = rt
        self.team = rt.config.workspace_team_id or DEMO_TEAM_ID
        users = {u.slack_id: u.name for u in rt.config.users}
        channels = {c.id: c.name for c in rt.config.all_channels()}
        self.standin = SlackStandIn(
            self.team, users=users, channels=channels, first_ts=time.time()
        ).start()
        rt.settings = rt.settings.model_copy(
            update={
                "slack_bot_token": SecretStr(TOKEN),
                "slack_signing_secret": SecretStr(SECRET),
                "slack_api_url": self.standin.url,
            }
        )
        self.app: App = build_app(rt, start_worker=False, listener_executor=InlineExecutor())
        self.user = user
        self.channel = channel or rt.config.channels.lom_team.id

    def close(self) -> None:
        outbox_worker(self.app).stop()
        self.standin.stop()

    # -- what the officer does ---------------------------------------------------------------

    def command(self, command: str, text: str) -> Step:
        """`/lom <text>` typed in the current channel."""
        body = signing.slash_command_body(
            command,
            text,
            self.user,
            self.channel,
            team_id=self.team,
            response_url=self.standin.response_url(self.user, self.channel),
            trigger_id=self.standin.trigger_id(self.user),
        )
        return self._step(lambda: self._dispatch(body))

    def say(self, text: str, thread_ts: str | None = None) -> Step:
        """A plain message in the current channel (a thread reply with `thread_ts`)."""
        text = text.replace("@lom-bot", f"<@{BOT_USER_ID}>")

        def send() -> BoltResponse:
            message = self.standin.post_user_message(self.channel, self.user, text, thread_ts)
            event = signing.message_event(self.channel, self.user, text, message.ts, thread_ts)
            if self.channel.startswith("G"):
                event["channel_type"] = "group"
            response = self._dispatch(signing.event_body(event, team_id=self.team))
            if f"<@{BOT_USER_ID}>" in text and not self.channel.startswith("D"):
                # Slack delivers a mention twice: as a message and as an app_mention.
                mention = {k: v for k, v in event.items() if k != "channel_type"}
                mention["type"] = "app_mention"
                self._dispatch(signing.event_body(mention, team_id=self.team))
            return response

        return self._step(send)

    def change(self, message: Message, text: str | None = None) -> Step:
        """Edit one of the user's messages (new `text`) or, with no text, delete it: the
        stand-in changes it and the app gets the `message_changed` / `message_deleted` event
        Slack sends."""
        text = None if text is None else text.replace("@lom-bot", f"<@{BOT_USER_ID}>")

        def send() -> BoltResponse:
            done = self.standin.change_user_message(
                message.channel, message.ts, text=text, delete=text is None
            )
            if done is None:
                return BoltResponse(status=200, body="")
            before, when = done
            previous = _as_event_message(before)
            event: Payload = {
                "type": "message",
                "channel": before.channel,
                "hidden": True,
                "ts": when,
                "event_ts": when,
                "channel_type": "im" if before.channel.startswith("D") else "channel",
                "previous_message": previous,
            }
            if text is None:
                event.update(subtype="message_deleted", deleted_ts=before.ts)
            else:
                edited = {"user": before.user, "ts": when}
                message_now = {**previous, "text": text, "edited": edited}
                event.update(subtype="message_changed", message=message_now)
            return self._dispatch(signing.event_body(event, team_id=self.team))

        return self._step(send)

    def click(self, target: Clickable, option: tuple[str, str] | None = None) -> Step:
        """Press a button (or choose `option` from a menu) on a message or in a view."""
        payload = signing.block_actions_payload(
            self.user,
            self.team,
            None if target.view is not None else target.channel,
            target.action_id,
            target.value,
            block_id=target.block_id,
            message_ts=target.ts,
            trigger_id=self.standin.trigger_id(self.user),
            response_url=(
                self.standin.response_url(self.user, target.channel, target.ts)
                if target.channel
                else None
            ),
            view=target.view,
        )
        action = payload["actions"][0]
        if option is not None:
            action.pop("value", None)
            label = {"type": "plain_text", "text": option[0]}
            action.update(type=target.kind, selected_option={"text": label, "value": option[1]})
        if target.view is None and target.channel and target.ts:
            self._attach_message(payload, target)
        return self._step(lambda: self._dispatch(signing.interactivity_body(payload)))

    def submit(self, view: Payload, values: Payload) -> Step:
        """Submit a modal with its inputs' state."""
        payload = signing.view_submission_payload(
            self.user,
            self.team,
            str(view.get("callback_id") or ""),
            values,
            str(view.get("private_metadata") or ""),
            view_id=str(view.get("id") or "V1"),
        )
        payload["view"] = {**payload["view"], **view, "state": {"values": values}}
        return self._step(lambda: self._dispatch(signing.interactivity_body(payload)))

    def open_home(self) -> Step:
        """Open the App Home tab, as clicking the app in Slack's sidebar does."""
        ts = f"{time.time():.6f}"
        event = {
            "type": "app_home_opened",
            "user": self.user,
            "channel": f"D{self.user}",
            "tab": "home",
            "event_ts": ts,
        }
        step = self._step(lambda: self._dispatch(signing.event_body(event, team_id=self.team)))
        step.home = step.home or self.standin.homes.get(self.user)
        return step

    def run_request(self, body: bytes) -> Step:
        """Any signed request body (an event, a shortcut): the app's answer and its effects."""
        return self._step(lambda: self._dispatch(body))

    def run(self, action: Callable[[], None]) -> Step:
        """Anything else that makes the bot send (a scheduled job): its posts, as a step."""

        def wrapped() -> BoltResponse:
            action()
            return BoltResponse(status=200, body="")

        return self._step(wrapped)

    # -- mechanics ---------------------------------------------------------------------------

    def _dispatch(self, body: bytes) -> BoltResponse:
        headers: dict[str, str | Sequence[str]] = {**signing.sign(SECRET, body, int(time.time()))}
        return self.app.dispatch(BoltRequest(body=body.decode(), headers=headers))

    def _step(self, action: Callable[[], BoltResponse]) -> Step:
        before = self._snapshot()
        # Listeners run inline here; a context of its own keeps each step's log bindings
        # (request id, user) from leaking into the next, as a server's threads would.
        response = contextvars.copy_context().run(action)
        outbox_worker(self.app).flush()
        step = Step(status=response.status, body=str(response.body or ""))
        self._collect(step, before)
        return step

    def _snapshot(self) -> _Snapshot:
        return _Snapshot(
            calls=len(self.standin.calls),
            messages={
                (m.channel, m.ts): _fingerprint(m)
                for msgs in self.standin.messages.values()
                for m in msgs
            },
            modals={str(v["id"]): json.dumps(v, sort_keys=True) for v in self.standin.modals},
        )

    def _collect(self, step: Step, before: _Snapshot) -> None:
        for messages in list(self.standin.messages.values()):
            for message in messages:
                key = (message.channel, message.ts)
                if key not in before.messages:
                    if message.user != self.user or message.bot_id:
                        step.new.append(message)
                elif before.messages[key] != _fingerprint(message):
                    step.changed.append(message)
        for view in self.standin.modals:
            if before.modals.get(str(view["id"])) != json.dumps(view, sort_keys=True):
                step.modal = view
        calls = self.standin.calls[before.calls :]
        if any(c.method == "views.publish" and c.params.get("user_id") == self.user for c in calls):
            step.home = self.standin.homes.get(self.user)
        step.notes += [f"Slack refused {c.method}" for c in calls if c.failed]

    def _attach_message(self, payload: Payload, target: Clickable) -> None:
        """Slack sends the clicked message with the click (not for ephemeral messages)."""
        container = payload["container"]
        container["is_ephemeral"] = target.ephemeral
        if target.ephemeral:
            payload.pop("message", None)
            return
        for message in self.standin.messages_in(str(target.channel)):
            if message.ts == target.ts:
                payload["message"] = {
                    "type": "message",
                    "ts": message.ts,
                    "user": message.user,
                    "bot_id": message.bot_id,
                    "text": message.text,
                    "blocks": message.blocks,
                    **({"thread_ts": message.thread_ts} if message.thread_ts else {}),
                }


def _fingerprint(message: Message) -> str:
    return json.dumps([message.text, message.blocks, message.attachments, message.deleted])


def _as_event_message(message: Message) -> Payload:
    """A person's message as Slack puts it inside an edit or deletion event."""
    body: Payload = {"type": "message", "user": message.user, "text": message.text}
    body["ts"] = message.ts
    if message.thread_ts:
        body["thread_ts"] = message.thread_ts
    return body
