"""Buttons on the daily digest that log a contact or a check for one line's subject.

A digest message carries many subjects, so these are not the card buttons (whose "already
done" key is one per message): the key here also names the subject. The modal and its
submission are the card's own (handlers/actions.py, handlers/views.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from lom_bot.blocks import common
from lom_bot.blocks.digest import DIGEST_LOG_CHECK, DIGEST_LOG_CONTACT
from lom_bot.handlers.actions import card_action
from lom_bot.handlers.commands_listener import send_reply, show_form
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.registry import Reply

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

# digest button -> the card button whose form it opens
CARD_BUTTON = {DIGEST_LOG_CONTACT: common.LOG_CONTACT, DIGEST_LOG_CHECK: common.LOG_CHECK}
PATTERN = re.compile(rf"^({DIGEST_LOG_CONTACT}|{DIGEST_LOG_CHECK})(:\d+)?$")


def register(app: App, rt: Runtime) -> None:
    @app.action(PATTERN)
    def digest_button(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        action = body["actions"][0]
        pressed = CARD_BUTTON[action["action_id"].split(":")[0]]
        ref = str(action.get("value") or "")
        channel = (body.get("channel") or {}).get("id") or ""
        ts = (body.get("container") or {}).get("message_ts") or ""
        user = body["user"]["id"]
        # The subject is part of the "already done" key: one record per line, not per message.
        answer = card_action(rt, actor_of(context), pressed, ref, channel, f"{ts}/{ref}", user)
        if isinstance(answer, Reply):
            send_reply(client, respond, channel, user, answer, sensitive=False)
        else:
            show_form(client, body, answer, respond)
