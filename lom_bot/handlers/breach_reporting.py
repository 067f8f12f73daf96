"""The "Report SCPO breach" shortcut, the report form behind `/lom breach`, and the follow-up
buttons on a decided triage post (draft the letter, mark done)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from lom_bot.blocks import breach as ui
from lom_bot.domain.errors import DomainError
from lom_bot.handlers.breach_actions import as_id, error_text, say_privately, view_meta, view_values
from lom_bot.handlers.breach_events import permalink
from lom_bot.handlers.commands_listener import NOT_AUTHORISED
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.payload import channel_of
from lom_bot.handlers.registry import Reply
from lom_bot.handlers.surface import REPORT_BREACH
from lom_bot.handlers.views import confirm
from lom_bot.services.breach_followup import complete_follow_up
from lom_bot.services.breaches import ReportBreach, report_breach
from lom_bot.services.letters import GenerateLetter, generate_letter

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)


def _team_url(body: dict[str, Any]) -> str | None:
    """Interactivity payloads name the workspace's domain: its URL without an API call."""
    domain = (body.get("team") or {}).get("domain")
    return f"https://{domain}.slack.com/" if domain else None


def register(app: App, rt: Runtime) -> None:
    @app.action(ui.FOLLOW_UP_DONE)
    def follow_up_done(
        ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            say_privately(respond, NOT_AUTHORISED)
            return
        try:
            say_privately(
                respond, complete_follow_up(rt.uow(), actor, str(body["actions"][0]["value"]))
            )
        except DomainError as exc:
            say_privately(respond, f":warning: {exc.message}")

    @app.action(ui.PREPARE_LETTER)
    def prepare_letter(
        ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            say_privately(respond, NOT_AUTHORISED)
            return
        cmd = GenerateLetter(kind="", follow_up_id=as_id(body["actions"][0]["value"]))
        try:
            letter = generate_letter(rt.uow(), actor, cmd)
        except DomainError as exc:
            hint = (
                " Use `/lom order <subject> letter` to name them."
                if exc.field == "conditions"
                else ""
            )
            say_privately(respond, f":warning: {exc.message}{hint}")
            return
        say_privately(respond, f":page_facing_up: {letter.title} drafted and sent to you in a DM.")

    @app.view(ui.REPORT_VIEW)
    def reported(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.WHAT: NOT_AUTHORISED})
            return
        values, channel = view_values(view), str(view_meta(view).get("channel") or "")
        cmd = ReportBreach(
            source="modal",
            text=values.get(ui.WHAT, ""),
            reporter=actor.slack_id,
            channel_id=channel or None,
            subject=values.get(ui.SUBJECT) or None,
            seen_at=values.get(ui.WHEN) or None,
            seen_where=values.get(ui.WHERE) or None,
        )
        try:
            result = report_breach(rt.uow(), actor, cmd)
        except DomainError as exc:
            field = exc.field if exc.field in (ui.SUBJECT, ui.WHAT) else ui.WHAT
            ack(response_action="errors", errors={field: error_text(exc)})
            return
        ack()
        if result is not None:
            confirm(client, channel, actor.slack_id, Reply(ui.reported_text(*result.refs)))

    @app.shortcut(REPORT_BREACH.callback_id)
    def shortcut(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        # Stored before the ack, as a district message is: the ack says it is safe.
        actor = actor_of(context)
        message = body.get("message") or {}
        channel = channel_of(body)
        text = (
            str(message.get("text") or "").strip() or "(a message with no text: see the original)"
        )
        cmd = ReportBreach(
            source="shortcut",
            text=text,
            reporter=str(body["user"]["id"]),
            channel_id=channel,
            message_ts=str(message.get("ts") or body.get("message_ts") or ""),
            permalink=permalink(_team_url(body), channel, message),
        )
        try:
            result = report_breach(rt.uow(), actor, cmd)
        except DomainError as exc:
            ack()
            say_privately(respond, f":warning: {exc.message}")
            return
        except Exception:
            log.exception("shortcut report not stored")
            ack()
            say_privately(
                respond, ":warning: The report could not be saved just now. Please try again."
            )
            return
        ack()
        if result is None:
            return
        if not result.created:
            say_privately(
                respond,
                f"That message is already breach report *{result.ref}*. Nothing new was added.",
            )
            return
        say_privately(respond, ui.reported_text(*result.refs))
