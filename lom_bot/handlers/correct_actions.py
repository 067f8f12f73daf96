"""The Correct button on a confirmation or a card line: opens the correction form for that
record (the same form, and the same service, as `/lom correct`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from lom_bot.blocks.history import CORRECT
from lom_bot.handlers.commands.correct import FORM
from lom_bot.handlers.commands_listener import NOT_AUTHORISED, show_form
from lom_bot.handlers.middleware import actor_of

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime


def register(app: App, rt: Runtime) -> None:
    @app.action(re.compile(rf"^{CORRECT}(:\d+)?$"))
    def correct_clicked(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        if actor_of(context) is None:
            respond(text=NOT_AUTHORISED, response_type="ephemeral", replace_original=False)
            return
        action = body["actions"][0]
        channel = str((body.get("channel") or {}).get("id") or "")
        view = FORM.modal({"record": str(action.get("value") or "")}, {"channel": channel})
        show_form(client, body, view, respond)
