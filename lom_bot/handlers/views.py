"""Modal submissions: every form's modal runs the same function as its /lom command."""

from __future__ import annotations

import json
import logging
import re
import uuid
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from lom_bot.domain.errors import Ambiguous, DomainError
from lom_bot.handlers.commands_listener import NOT_AUTHORISED, detail_allowed
from lom_bot.handlers.forms import CALLBACK_PREFIX, FORMS, Form, state_values
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.refusal import audit_if_refusal
from lom_bot.handlers.registry import CommandContext, Reply

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: App, rt: Runtime) -> None:
    @app.view(re.compile("^" + re.escape(CALLBACK_PREFIX)))
    def submitted(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view = body["view"]
        form = FORMS.get(str(view.get("callback_id", "")).removeprefix(CALLBACK_PREFIX))
        if form is None:
            ack()
            return
        metadata = _metadata(view.get("private_metadata"))
        actor = actor_of(context)
        first = form.fields[0].name
        if actor is None:
            ack(response_action="errors", errors={first: NOT_AUTHORISED})
            return
        values = state_values((view.get("state") or {}).get("values") or {})
        values["request_key"] = str(metadata.get("request_key") or f"view:{view.get('id')}")[:80]
        channel = str(metadata.get("channel") or "")
        user = str(body["user"]["id"])
        ctx = CommandContext(rt, actor, user, channel, None, client, detail_allowed(rt, channel))
        errors, reply = run_form(form, ctx, values)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if reply is not None:
            confirm(client, channel, user, reply)


def run_form(
    form: Form, ctx: CommandContext, values: dict[str, str]
) -> tuple[dict[str, str], Reply | None]:
    """Run the form; a refusal comes back as {field: message} for response_action errors."""
    try:
        return {}, form.run(ctx, values)
    except Ambiguous as exc:
        choices = ", ".join(label for _, label in exc.candidates[:8])
        return {"subject": f"{exc.message} {choices}. Type the LOM reference."[:2000]}, None
    except DomainError as exc:
        audit_if_refusal(ctx.rt, exc, ctx.channel_id)
        text = exc.message + (f" For example: {exc.example}" if exc.example else "")
        return {form.field_for(exc.field): text[:2000]}, None
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("form %s failed (incident %s)", form.name, incident)
        text = f"Something went wrong and nothing was saved (incident {incident}). Try again."
        return {form.fields[0].name: text}, None


def confirm(client: WebClient, channel: str, user: str, reply: Reply) -> None:
    """Tell the officer it is done: in the channel they started from (only to them), or a DM."""
    try:
        if channel:
            client.chat_postEphemeral(
                channel=channel, user=user, text=reply.text, blocks=reply.blocks
            )
            return
    except SlackApiError as exc:  # e.g. the bot is not in that channel
        log.info("ephemeral confirmation failed (%s); sending a DM", exc.response.get("error"))
    opened = client.conversations_open(users=user)
    client.chat_postMessage(channel=opened["channel"]["id"], text=reply.text, blocks=reply.blocks)


def _metadata(raw: object) -> dict[str, Any]:
    try:
        data = json.loads(str(raw or "{}"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
