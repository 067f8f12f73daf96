"""Triage buttons, the subject picker and the decision modals (reporting and follow-ups:
handlers/breach_reporting.py).

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
from lom_bot.handlers.commands_listener import NOT_AUTHORISED, show_form
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.registry import Reply
from lom_bot.handlers.views import confirm
from lom_bot.services.breach_assess import (
    AssessBreach,
    assess_breach,
    confirm_subject,
    prepare_decision,
    request_more_info,
)
from lom_bot.services.breach_pick import confirm_subjects
from lom_bot.services.breach_sighting import split_subjects
from lom_bot.services.permissions import Actor

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)
OUTCOME = re.compile("^" + re.escape(ui.OUTCOME_PREFIX) + r"([a-z_]+)$")


def say_privately(respond: Respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def view_values(view: dict[str, Any]) -> dict[str, str]:
    """A view's inputs as block_id -> text (text inputs, radio buttons, selects)."""
    out: dict[str, str] = {}
    for block_id, elements in ((view.get("state") or {}).get("values") or {}).items():
        for element in (elements or {}).values():
            chosen = element.get("selected_option")
            out[block_id] = str((chosen or {}).get("value") or element.get("value") or "")
    return out


def view_choices(view: dict[str, Any], block_id: str) -> list[str]:
    """The values chosen in a view's multi-select (or checkboxes) input."""
    elements = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    return [
        str(option.get("value") or "")
        for element in elements.values()
        for option in (element.get("selected_options") or [])
    ]


def view_meta(view: dict[str, Any]) -> dict[str, Any]:
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


def as_id(value: object) -> int:
    """A report id from our own metadata; 0 (no such report) if it was tampered with."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else 0


def error_text(exc: DomainError) -> str:
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
            say_privately(respond, NOT_AUTHORISED)
            return
        try:
            state = prepare_decision(rt.uow(), actor, body["actions"][0]["value"], outcome)
        except DomainError as exc:
            say_privately(respond, f":warning: {exc.message}")
            return
        show_form(client, body, build(state), respond)

    @app.action(OUTCOME)
    def outcome_chosen(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        outcome = _outcome(OUTCOME.match(body["actions"][0]["action_id"]))
        if outcome is None:
            say_privately(
                respond, ":warning: That button is not one lom-bot knows. Nothing was changed."
            )
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
            lambda s: modals.pick_subject_modal(s.breach_id, s.ref, s.candidates),
        )

    @app.action(ui.PICK_SUBJECT)
    def picked(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        actor = actor_of(context)
        if actor is None:
            say_privately(respond, NOT_AUTHORISED)
            return
        chosen = str((body["actions"][0].get("selected_option") or {}).get("value") or "")
        breach, _, ref = chosen.partition(":")
        try:
            say_privately(respond, confirm_subject(rt.uow(), actor, breach, ref))
        except DomainError as exc:
            say_privately(respond, f":warning: {exc.message}")

    @app.view(ui.ASSESS_VIEW)
    def assessed(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        view, actor = body["view"], actor_of(context)
        if actor is None:
            ack(response_action="errors", errors={ui.RATIONALE: NOT_AUTHORISED})
            return
        meta, values = view_meta(view), view_values(view)
        outcome = _outcome(re.match(r"(.*)", str(meta.get("outcome"))))
        if outcome is None:
            ack(response_action="errors", errors={ui.RATIONALE: "This form is out of date."})
            return
        cmd = AssessBreach(
            as_id(meta.get("breach_id")),
            outcome,
            values.get(ui.RATIONALE, ""),
            values.get(ui.EXCUSE) == "yes",
        )
        try:
            result = assess_breach(rt.uow(), actor, cmd)
        except DomainError as exc:
            field = ui.EXCUSE if exc.field == ui.EXCUSE else ui.RATIONALE
            ack(response_action="errors", errors={field: error_text(exc)})
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
                as_id(view_meta(view).get("breach_id")),
                view_values(view).get(ui.QUESTION, ""),
            )
        except DomainError as exc:
            ack(response_action="errors", errors={ui.QUESTION: error_text(exc)})
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
        chosen = view_choices(view, ui.SUBJECTS)
        typed = split_subjects(view_values(view).get(ui.SUBJECT, ""))
        try:
            text = confirm_subjects(
                rt.uow(), actor, as_id(view_meta(view).get("breach_id")), chosen + typed
            )
        except Ambiguous as exc:
            choices = ", ".join(label for _, label in exc.candidates[:8])
            ack(
                response_action="errors",
                errors={ui.SUBJECT: f"{exc.message} {choices}. Type the LOM reference."[:2000]},
            )
            return
        except DomainError as exc:
            ack(response_action="errors", errors={ui.SUBJECT: error_text(exc)})
            return
        ack()
        confirm(client, rt.config.channels.triage.id, actor.slack_id, Reply(text))

    from lom_bot.handlers import breach_reporting  # it uses this module's helpers

    breach_reporting.register(app, rt)  # the shortcut, the report form, follow-ups
