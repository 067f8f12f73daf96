"""Buttons: each calls the same function as the /lom command that does the same thing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy import select

from lom_bot.blocks import common
from lom_bot.handlers.commands_listener import (
    NOT_AUTHORISED,
    detail_allowed,
    dispatch,
    send_reply,
    show_form,
)
from lom_bot.handlers.forms import FORMS
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.refusal import refused
from lom_bot.handlers.registry import CommandContext, Reply
from lom_bot.services.permissions import Action, Actor, can
from lom_bot.store.tables import Check, Contact, Task

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

# button -> (form, permission, table whose request_key shows it was already done)
CARD_FORMS: dict[str, tuple[str, Action, type[Contact] | type[Check] | type[Task]]] = {
    common.LOG_CONTACT: ("contact", Action.LOG_CONTACT, Contact),
    common.LOG_CHECK: ("check", Action.LOG_CHECK, Check),
    common.RAISE_TASK: ("task", Action.CREATE_TASK, Task),
}


def _pattern(action_id: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(action_id)}(:\d+)?$")


def _click(body: dict[str, Any]) -> tuple[str, str, str, str]:
    """(action_id without row suffix, value, channel, message ts) of the pressed button."""
    action = body["actions"][0]
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    return action["action_id"].split(":")[0], str(action.get("value") or ""), channel, ts


def register(app: App, rt: Runtime) -> None:
    @app.action(_pattern(common.RERUN))
    def rerun(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        _, text, channel, _ = _click(body)
        user = body["user"]["id"]
        sensitive = detail_allowed(rt, channel)
        actor = actor_of(context)
        if actor is None:
            send_reply(client, respond, channel, user, Reply(NOT_AUTHORISED), sensitive=False)
            return
        ctx = CommandContext(rt, actor, user, channel, body.get("trigger_id"), client, sensitive)
        reply = dispatch(ctx, text)
        send_reply(
            client, respond, channel, user, reply, sensitive=sensitive, trigger_id=ctx.trigger_id
        )

    @app.action(_pattern(common.OPEN_FORM))
    def open_named_form(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        """A button that opens a form pre-filled (e.g. approve with a comment); submitting it
        runs the form's own command, which checks permission."""
        ack()
        _, value, channel, _ = _click(body)
        name, _, ref = value.partition(" ")
        if actor_of(context) is None or name not in FORMS:
            user = body["user"]["id"]
            send_reply(client, respond, channel, user, Reply(NOT_AUTHORISED), sensitive=False)
            return
        show_form(client, body, FORMS[name].modal({"subject": ref}, {"channel": channel}), respond)

    for action_id in CARD_FORMS:

        @app.action(_pattern(action_id))
        def open_form(
            ack: Ack,
            body: dict[str, Any],
            client: WebClient,
            context: BoltContext,
            respond: Respond,
        ) -> None:
            ack()
            pressed, ref, channel, ts = _click(body)
            user = body["user"]["id"]
            answer = card_action(rt, actor_of(context), pressed, ref, channel, ts, user)
            if isinstance(answer, Reply):
                send_reply(client, respond, channel, user, answer, sensitive=False)
            else:
                show_form(client, body, answer, respond)


def card_action(
    rt: Runtime, actor: Actor | None, pressed: str, ref: str, channel: str, ts: str, user: str
) -> Reply | dict[str, Any]:
    """The modal a card button opens, or why it does not (no permission, already done)."""
    form_name, permission, table = CARD_FORMS[pressed]
    if actor is None:
        return Reply(NOT_AUTHORISED)
    if not can(actor, permission):
        message = f"Your role ({actor.role.value.replace('_', ' ')}) may not do that."
        return Reply(refused(rt, actor, message, needed=permission, channel=channel))
    # One record per card and button: a double click or an old card cannot add a second one.
    key = f"card:{ts}:{pressed}:{user}"[:80]
    with rt.uow(reads=True) as uow:
        done = uow.session.scalars(select(table.id).where(table.request_key == key)).first()
    if done is not None:
        return Reply(
            f"That was already done from this card, so nothing new was added. "
            f"For another one, open a fresh card: `/lom subject {ref}`."
        )
    metadata = {"channel": channel, "request_key": key}
    return FORMS[form_name].modal({"subject": ref}, metadata)
