"""The Correct button on a confirmation or a card line, and the card's Edit buttons: each opens
the form for that record or part (the same forms and services as `/lom correct` and
`/lom subject <ref> ...`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from lom_bot.blocks.history import CORRECT, EDIT_SUBJECT
from lom_bot.domain.errors import DomainError
from lom_bot.handlers.commands.correct import FORM
from lom_bot.handlers.commands.subject_edit import EDIT_FORMS
from lom_bot.handlers.commands_listener import NOT_AUTHORISED, show_form
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.payload import channel_of
from lom_bot.handlers.refusal import audit_if_refusal
from lom_bot.services.subject_edits import details_of

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
        channel = channel_of(body)
        view = FORM.modal({"record": str(action.get("value") or "")}, {"channel": channel})
        show_form(client, body, view, respond)

    @app.action(re.compile(rf"^{EDIT_SUBJECT}(:\d+)?$"))
    def edit_clicked(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            respond(text=NOT_AUTHORISED, response_type="ephemeral", replace_original=False)
            return
        part, _, ref = str(body["actions"][0].get("value") or "").partition(":")
        channel = channel_of(body)
        form = EDIT_FORMS.get(part)
        try:
            if form is None:
                raise DomainError("That button is not one lom-bot knows. Nothing was changed.")
            values = details_of(rt.uow(), actor, ref)
        except DomainError as exc:
            audit_if_refusal(rt, exc, channel)
            respond(
                text=f":warning: {exc.message}", response_type="ephemeral", replace_original=False
            )
            return
        show_form(client, body, form.modal(values, {"channel": channel}), respond)
