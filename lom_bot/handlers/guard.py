"""Where requests may come from: only the configured Slack workspace (team or enterprise id) is
served. Anything else gets an empty 200 (nothing to show, nothing for Slack to retry) and a log
line. It also stamps each request's log records with a request id, the user and the action."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltResponse

from lom_bot.handlers.registry import REGISTRY
from lom_bot.logging_setup import bind, new_request_id

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.bootstrap import Runtime

log = logging.getLogger(__name__)

Next = Callable[[], BoltResponse]
Guard = Callable[[BoltContext, dict[str, Any], Next], BoltResponse | None]


def register(app: App, rt: Runtime) -> None:
    app.use(workspace_guard(rt))


def workspace_guard(rt: Runtime) -> Guard:
    """Refuse requests from any workspace but the configured one, before anything else runs."""

    def guard(context: BoltContext, body: dict[str, Any], next: Next) -> BoltResponse | None:
        bind(request_id=new_request_id(), user=context.user_id, action=describe(body))
        allowed = rt.config.workspace_team_id
        if allowed is None:  # unset in app.yaml: a single-workspace install, nothing to check
            return next()
        ids = {context.team_id, context.enterprise_id} - {None, ""}
        if allowed in ids:
            return next()
        log.warning(
            "request refused: workspace %s (enterprise %s) is not %s",
            context.team_id or "unknown",
            context.enterprise_id or "none",
            allowed,
        )
        return BoltResponse(status=200, body="")

    return guard


def describe(body: dict[str, Any]) -> str:
    """What was asked, without its text: `/lom contact`, an action id, a callback id, an event."""
    if not isinstance(body, dict):
        return "unknown"
    if body.get("command"):
        first = str(body.get("text") or "").strip().split(" ", 1)[0].lower()
        # only a known subcommand: the first word might otherwise be a person's name
        return f"{body['command']} {first if first in REGISTRY else '?'}"
    kind = str(body.get("type") or "")
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        first_action = actions[0] if isinstance(actions[0], dict) else {}
        return f"action:{str(first_action.get('action_id') or '?')[:60]}"
    if kind in ("view_submission", "view_closed"):
        view = body.get("view") or {}
        return f"{kind}:{str(view.get('callback_id') or '?')[:60]}"
    if kind in ("shortcut", "message_action"):
        return f"shortcut:{str(body.get('callback_id') or '?')[:60]}"
    event = body.get("event")
    if isinstance(event, dict):
        return f"event:{str(event.get('type') or '?')[:40]}"
    return kind[:40] or "unknown"
