"""Every command, click and form from Slack runs once: a replay of the same signed request
(Bolt accepts its timestamp for 5 minutes) or a double submission is answered, not run again.

The key is what Slack makes unique per request: a command's or click's trigger id (or, for a
command without one, the signed body's hash); a form's view id and hash with what was typed
in it. The key is recorded before the request runs (Bolt runs listeners after its middleware
returns); a form sent back with errors saved nothing, so its key is then forgotten."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltRequest, BoltResponse
from sqlalchemy.exc import SQLAlchemyError

from lom_bot.handlers.authorisation import answer_person
from lom_bot.services.replay import first_time, forget

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

ALREADY_RUN = (
    "That request was already received, so it was not run again and nothing new was recorded."
)
ALREADY_SUBMITTED = "This form was already submitted; nothing new was recorded."


def register(app: App, rt: Runtime) -> None:
    app.use(replay_guard(rt))


def request_key(body: dict[str, Any], raw: str) -> str | None:
    """The request's own identity, or None for what needs none (events dedupe by event id)."""
    trigger = body.get("trigger_id")
    trigger = trigger if isinstance(trigger, str) and trigger else None
    if body.get("command"):
        if trigger:
            return f"command:{trigger}"
        return "body:" + hashlib.sha256(raw.encode()).hexdigest()
    if body.get("type") in ("block_actions", "shortcut", "message_action"):
        return f"click:{trigger}" if trigger else None  # Slack's own, one per click
    if body.get("type") == "view_submission":
        view = body.get("view") or {}
        if isinstance(view, dict) and view.get("id"):
            typed = json.dumps((view.get("state") or {}).get("values"), sort_keys=True)
            digest = hashlib.sha256(typed.encode()).hexdigest()
            return f"view:{view.get('id')}:{view.get('hash') or ''}:{digest}"
    return None


def replay_guard(rt: Runtime) -> Callable[..., BoltResponse | None]:
    def guard(
        body: dict[str, Any], request: BoltRequest, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        key = request_key(body, request.raw_body) if isinstance(body, dict) else None
        if key is None:
            return next()
        try:
            repeated = not first_time(rt.uow(), key)
        except SQLAlchemyError:  # database down: nothing can be recorded twice; the listener
            return next()  # answers as it does when the database is down
        if repeated:
            log.warning("a repeated request was not run again (%s)", key.split(":", 1)[0])
            if body.get("type") == "view_submission":
                return _form_error(body, ALREADY_SUBMITTED)
            return answer_person(request, ALREADY_RUN)
        if key.startswith("view:"):  # saved nothing: the same form may be sent again
            request.context["ack"] = ForgettingAck(lambda: _forget(rt, key))
        return next()

    return guard


class ForgettingAck(Ack):
    """The form's ack: when it sends the form back with errors, nothing was saved, so its
    request key is forgotten and the same values may be submitted again (after a failure
    that was not theirs, say)."""

    def __init__(self, forget: Callable[[], None]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._forget = forget

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        if kwargs.get("response_action") == "errors":
            self._forget()
        return response


def _forget(rt: Runtime, key: str) -> None:
    try:
        forget(rt.uow(), key)
    except SQLAlchemyError:  # the database is down: the form says so already
        log.warning("could not release a form's request key")


def _form_error(body: dict[str, Any], text: str) -> BoltResponse:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    if not isinstance(values, dict) or not values:
        return BoltResponse(status=200, body="")
    errors = {str(next(iter(values))): text}
    return BoltResponse(
        status=200,
        body=json.dumps({"response_action": "errors", "errors": errors}),
        headers={"Content-Type": "application/json"},
    )
