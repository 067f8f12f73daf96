"""Plain messages: the one `message` listener and `app_mention`.

District channels go to breach_events.on_district_message (when that module exists), run
before the ack so a report is stored before Slack is told it arrived: if storing fails, the
answer is an error and Slack delivers the message again. A DM with the bot, or a mention in
the LOM team channel, is read as a record to confirm (handlers/drafts.py).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient

from lom_bot.blocks.common import DRAFT_CONFIRM, DRAFT_EDIT, section
from lom_bot.blocks.drafts import draft_blocks
from lom_bot.domain.errors import DomainError
from lom_bot.handlers import drafts
from lom_bot.handlers.breach_dm import as_breach_report
from lom_bot.handlers.commands_listener import NOT_AUTHORISED, detail_allowed, show_form
from lom_bot.handlers.forms import FORMS
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.payload import channel_of
from lom_bot.handlers.refusal import refused
from lom_bot.handlers.registry import CommandContext

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)


def _district_handler() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("lom_bot.handlers.breach_events")
    except ModuleNotFoundError:
        return None
    handler = getattr(module, "on_district_message", None)
    return handler if callable(handler) else None


def from_bot(rt: Runtime, event: dict[str, Any]) -> bool:
    """A bot's message (our own included), unless app.yaml accepts that bot."""
    inner = event.get("message") or {}
    bot = event.get("bot_id") or inner.get("bot_id")
    if not bot and event.get("subtype") != "bot_message":
        return False
    accepted = set(rt.config.accept_bot_messages_from)
    return not ({bot, event.get("user"), inner.get("user")} & accepted)


def register(app: App, rt: Runtime) -> None:
    def district_first(
        event: dict[str, Any], client: WebClient, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        if rt.config.district_of_channel(str(event.get("channel") or "")) is None:
            return next()
        handler = _district_handler()
        if handler is None or from_bot(rt, event):
            return BoltResponse(status=200, body="")
        try:
            handler(rt, event, client)
        except Exception:
            log.exception("district message not stored; Slack will deliver it again")
            return BoltResponse(status=500, body="not stored")
        return BoltResponse(status=200, body="")

    @app.event("message", middleware=[district_first])
    def on_message(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("subtype") or from_bot(rt, event):
            return  # edits, deletions, joins and bots outside district channels need nothing
        # A DM by its channel id, never by the event's channel_type claim: a reply here goes
        # into the channel, so a claim naming a public channel must not get one.
        if is_direct_message(rt, str(event.get("channel") or "")):
            take_record(rt, context, client, body, event, ephemeral=False)
        # In other channels the bot speaks only when mentioned (app_mention).

    @app.event("app_mention")
    def on_mention(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        channel = str(event.get("channel") or "")
        if from_bot(rt, event) or rt.config.district_of_channel(channel) is not None:
            return  # a district channel's message is handled as a possible breach report
        if channel != rt.config.channels.lom_team.id:
            client.chat_postEphemeral(
                channel=channel,
                user=str(event.get("user") or ""),
                text="I take records in a DM with me or in the LOM team channel.",
            )
            return
        take_record(rt, context, client, body, event, ephemeral=True)

    @app.action(DRAFT_CONFIRM)
    def confirm(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            respond(text=NOT_AUTHORISED, replace_original=False)
            return
        channel = channel_of(body)
        ctx = CommandContext(
            rt, actor, actor.slack_id, channel, None, client, detail_allowed(rt, channel)
        )
        try:
            reply = drafts.confirm_draft(ctx, int(body["actions"][0]["value"]))
        except DomainError as exc:
            respond(text=f":warning: {exc}", replace_original=False)
            return
        respond(text=reply.text, blocks=[section(reply.text)], replace_original=True)

    @app.action(DRAFT_EDIT)
    def edit(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            respond(text=NOT_AUTHORISED, replace_original=False)
            return
        draft_id = int(body["actions"][0]["value"])
        try:
            draft = drafts.load_draft(rt.uow(), actor, draft_id)
        except DomainError as exc:
            respond(text=f":warning: {exc}", replace_original=False)
            return
        channel = channel_of(body)
        metadata = {"channel": channel, "request_key": f"draft:{draft.id}"}
        view = FORMS[draft.kind].modal(dict(draft.data), metadata)
        show_form(client, body, view, respond)


def is_direct_message(rt: Runtime, channel: str) -> bool:
    """A DM with the bot: Slack's DM ids start with D; no configured channel is one."""
    return channel.startswith("D") and rt.config.channel_by_id(channel) is None


def take_record(
    rt: Runtime,
    context: BoltContext,
    client: WebClient,
    body: dict[str, Any],
    event: dict[str, Any],
    *,
    ephemeral: bool,
) -> None:
    """Reply with what was understood and Confirm / Edit; nothing is saved yet."""
    channel = str(event.get("channel") or "")
    user = str(event.get("user") or "")
    actor = actor_of(context)
    text: str
    blocks: list[dict[str, Any]] | None = None
    if actor is None:
        text = NOT_AUTHORISED
    else:
        found = drafts.understand(str(event.get("text") or ""), rt.clock.today())
        may = drafts.may_record(actor, found.form)
        # a district officer's DM is a breach report (handlers/breach_dm.py)
        reported = (
            None if may or ephemeral else as_breach_report(rt, actor, event, body.get("event_id"))
        )
        if reported == "":
            return  # Slack's redelivery of a DM already recorded as a breach report
        if reported is not None:
            text = reported
        elif not may:
            text = refused(rt, actor, f"Your role may not record a {found.form}.", channel=channel)
        else:
            draft_id = drafts.save_draft(rt.uow(), actor, body.get("event_id"), found)
            if draft_id is None:
                return  # Slack's redelivery of a message already answered
            if draft_id == drafts.NOT_A_RECORD:
                text = drafts.POINTER
            else:
                blocks = draft_blocks(
                    found.form,
                    found.values,
                    found.subject_label,
                    found.questions,
                    draft_id,
                    date_assumed=found.date_assumed,
                    guesses=found.guesses,
                )
                text = "This is what I understood. Nothing is saved until you confirm."
    if ephemeral:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
    else:
        thread = event.get("thread_ts")
        client.chat_postMessage(channel=channel, text=text, blocks=blocks, thread_ts=thread)
