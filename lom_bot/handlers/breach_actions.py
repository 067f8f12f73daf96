"""Triage buttons, the subject picker, the breach modals and the "Report SCPO breach" shortcut.

Each calls one service; a refusal (already decided, no permission, no subject yet) is told to
the officer alone, and a modal's refusal goes back on the field with `response_action: errors`.
"""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from lom_bot.blocks import breach as ui
from lom_bot.blocks import breach_modals as modals
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.domain.errors import Ambiguous, DomainError
from lom_bot.handlers.breach_events import permalink
from lom_bot.handlers.commands_listener import NOT_AUTHORISED
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.registry import Reply
from lom_bot.handlers.surface import REPORT_BREACH
from lom_bot.handlers.views import confirm
from lom_bot.services.breach_assess import (
    AssessBreach,
    assess_breach,
    confirm_subject,
    prepare_decision,
    request_more_info,
)
from lom_bot.services.breaches import ReportBreach, report_breach
from lom_bot.services.permissions import Actor

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.bootstrap import Runtime

log = logging.getLogger(__name__)
OUTCOME = re.compile("^" + re.escape(ui.OUTCOME_PREFIX) + r"([a-z_]+)$")


def _say(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _values(view: dict[str, Any]) -> dict[str, str]:
    """A view's inputs as block_id -> text (text inputs, radio buttons, selects)."""
    out: dict[str, str] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in (elements or {}).values():
            chosen = element.get("selected_option")
            out[block_id] = str((chosen or {}).get("value") or element.get("value") or "")
    return out


def _meta(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(str(view.get("private_metadata") or "{}"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _outcome(match: re.Match[str] | None) -> AssessmentOutcome | None:
    """The outcome a button or form names; None for anything Slack would not have sent."""
    try:
        return AssessmentOutcome(match[1]) if match else None
    except ValueError:
        return None


def _int(value: object) -> int:
    """A report id from our own metadata; 0 (no such report) if it was tampered with."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _team_url(body: dict[str, Any]) -> str | None:
    """Interactivity payloads name the workspace's domain: its URL without an API call."""
    domain = (body.get("team") or {}).get("domain")
    return f"https://{domain}.slack.com/" if domain else None


def _error(exc: DomainError) -> str:
    return (exc.message + (f" For example: {exc.example}" if exc.example else ""))[:2000]


def register(app: App, rt: Runtime) -> None:
    def open_modal(
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        actor: Actor | None,
        outcome: AssessmentOutcome | None,
        build: Any,
    ) -> None:
        if actor is None:
            _say(respond, NOT_AUTHORISED)
            return
        try:
            state = prepare_decision(rt.uow(), actor, body["actions"][0]["value"], outcome)
        except DomainError as exc:
            _say(respond, f":warning: {exc.message}")
            return
        client.views_open(trigger_id=body["trigger_id"], view=build(state))

    @app.action(OUTCOME)
    def outcome_chosen(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        outcome = _outcome(OUTCOME.match(body["actions"][0]["action_id"]))
        if outcome is None:
            _say(respond, ":warning: That button is not one lom-bot knows. Nothing was changed.")
            return
        open_modal(
            body,
            client,
            respond,
            actor_of(context),
            outcome,
            lambda s: modals.assess_modal(s.breach_id, s.ref, outcome, s.subject_ref, s.escalation),
        )

    @app.action(ui.MORE_INFO)
    def more_info(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        open_modal(
            body,
            client,
            respond,
            actor_of(context),
            None,
            lambda s: modals.more_info_modal(s.breach_id, s.ref, s.where),
        )

    @app.action(ui.PICK_OTHER)
    def pick_other(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        open_modal(
            body,
            client,
            respond,
            actor_of(context),
            None,
            lambda s: modals.pick_subject_modal(s.breach_id, s.ref),
        )

    @app.action(ui.PICK_SUBJECT)
    def picked(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            _say(respond, NOT_AUTHORISED)
            return
        chosen = str((body["actions"][0].get("selected_option") or {}).get("value") or "")
        breach, _, ref = chosen.partition(":")
        try:
            _say(respond, confirm_subject(rt.uow(), actor, breach, ref))
        except DomainError as exc:
            _say(respond, f":warning: {exc.message}")

    @app.view(ui.ASSESS_VIEW)
    def assessed(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.RATIONALE: NOT_AUTHORISED})
            return
        meta, values = _meta(view), _values(view)
        outcome = _outcome(re.match(r"(.*)", str(meta.get("outcome"))))
        if outcome is None:
            ack(response_action="errors", errors={ui.RATIONALE: "This form is out of date."})
            return
        cmd = AssessBreach(
            _int(meta.get("breach_id")),
            outcome,
            values.get(ui.RATIONALE, ""),
            values.get(ui.EXCUSE) == "yes",
        )
        try:
            result = assess_breach(rt.uow(), actor, cmd)
        except DomainError as exc:
            field = ui.EXCUSE if exc.field == ui.EXCUSE else ui.RATIONALE
            ack(response_action="errors", errors={field: _error(exc)})
            return
        ack()
        confirm(client, rt.config.channels.triage.id, actor.slack_id, Reply(result.summary))

    @app.view(ui.MORE_INFO_VIEW)
    def asked(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.QUESTION: NOT_AUTHORISED})
            return
        try:
            text = request_more_info(
                rt.uow(),
                actor,
                _int(_meta(view).get("breach_id")),
                _values(view).get(ui.QUESTION, ""),
            )
        except DomainError as exc:
            ack(response_action="errors", errors={ui.QUESTION: _error(exc)})
            return
        ack()
        confirm(client, rt.config.channels.triage.id, actor.slack_id, Reply(text))

    @app.view(ui.PICK_VIEW)
    def picked_in_modal(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.SUBJECT: NOT_AUTHORISED})
            return
        try:
            text = confirm_subject(
                rt.uow(),
                actor,
                _int(_meta(view).get("breach_id")),
                _values(view).get(ui.SUBJECT, ""),
            )
        except Ambiguous as exc:
            choices = ", ".join(label for _, label in exc.candidates[:8])
            ack(
                response_action="errors",
                errors={ui.SUBJECT: f"{exc.message} {choices}. Type the LOM reference."[:2000]},
            )
            return
        except DomainError as exc:
            ack(response_action="errors", errors={ui.SUBJECT: _error(exc)})
            return
        ack()
        confirm(client, rt.config.channels.triage.id, actor.slack_id, Reply(text))

    @app.view(ui.REPORT_VIEW)
    def reported(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.WHAT: NOT_AUTHORISED})
            return
        values, channel = _values(view), str(_meta(view).get("channel") or "")
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
            ack(response_action="errors", errors={field: _error(exc)})
            return
        ack()
        if result is not None:
            confirm(client, channel, actor.slack_id, Reply(reported_text(result.ref)))

    @app.shortcut(REPORT_BREACH.callback_id)
    def shortcut(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        # Stored before the ack, as a district message is: the ack says it is safe.
        actor = actor_of(context)
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
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
            _say(respond, f":warning: {exc.message}")
            return
        except Exception:
            log.exception("shortcut report not stored")
            ack()
            _say(respond, ":warning: The report could not be saved just now. Please try again.")
            return
        ack()
        if result is None:
            return
        if not result.created:
            _say(
                respond,
                f"That message is already breach report *{result.ref}*. Nothing new was added.",
            )
            return
        _say(respond, reported_text(result.ref))


def reported_text(ref: str) -> str:
    """What the reporter is told: the reference, never who the bot thinks it is about."""
    return f":white_check_mark: Recorded as breach report *{ref}* and sent to the LOM team."
