"""Where requests may come from: only the configured Slack workspace (team or enterprise id) is
served. Anything else gets an empty 200 (nothing to show, nothing for Slack to retry) and a log
line. It also stamps each request's log records with a request id, the user and the action,
and installs the app's error handler: with the database down a person gets a clear answer and
an event is left unacknowledged so that Slack delivers it again."""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_sdk.webhook import WebhookClient
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from lom_bot.answers.worker import INBOX_HEADER
from lom_bot.asking import asking_of, bind_asking
from lom_bot.handlers.registry import REGISTRY
from lom_bot.logging_setup import bind, new_request_id

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

Next = Callable[[], BoltResponse]
Guard = Callable[[BoltContext, dict[str, Any], Next], BoltResponse | None]


DB_DOWN = (
    "lom-bot cannot reach its database just now, so nothing was looked up or saved. "
    "Please try again in a minute."
)
PEOPLE_WAITING = ("block_actions", "view_submission", "shortcut", "message_action")


def register(app: App, rt: Runtime) -> None:
    app.use(workspace_guard(rt))
    app.error(on_error)
    runner = app.listener_runner
    if not isinstance(runner.listener_executor, ContextExecutor):
        runner.listener_executor = ContextExecutor(runner.listener_executor)


class ContextExecutor(Executor):
    """Runs each listener with the submitting request's context, so its log records carry the
    request id, user and action bound by the guard."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self.inner.submit(contextvars.copy_context().run, fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def workspace_guard(rt: Runtime) -> Guard:
    """Refuse requests from any workspace but the configured one, before anything else runs."""

    def guard(context: BoltContext, body: dict[str, Any], next: Next) -> BoltResponse | None:
        asked = describe(body)
        bind(request_id=new_request_id(), user=context.user_id, action=asked)
        bind_asking(asking_of(body, context.user_id, asked))
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


def on_error(
    error: Exception, body: dict[str, Any], request: BoltRequest, response: BoltResponse | None
) -> BoltResponse | None:
    """Bolt's last resort. With the database down, a person gets a clear answer and an event
    is left unacknowledged (503) so that Slack delivers it again; anything else is logged and
    answered 500 as Bolt does. After the ack (Bolt then passes no response), or in an answer
    worker (whose ack goes nowhere), the person is told through the response URL."""
    if not database_down(error):
        log.error("unhandled error in a Slack request", exc_info=error)
        return None
    log.error("database unavailable: %s", error.__class__.__name__)
    acked = response is None or INBOX_HEADER in request.headers
    if not isinstance(body, dict):
        return None if response is None else BoltResponse(status=503, body="")
    kind = str(body.get("type") or "")
    if kind == "view_submission" and response is not None:
        return form_stays_open(body)  # never an empty 200: Slack would close it, unsaved
    if body.get("command") or kind in PEOPLE_WAITING:
        if acked or not body.get("command"):
            _tell(body.get("response_url"))
            return None if response is None else BoltResponse(status=200, body="")
        return BoltResponse(status=200, body=DB_DOWN)  # the ack: shown to the user who typed it
    return None if response is None else BoltResponse(status=503, body="")


def form_stays_open(body: dict[str, Any]) -> BoltResponse:
    """A submitted form that could not be saved stays open, saying so on its first field; one
    without fields gets a 503, which Slack shows in the form (also left open)."""
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    if not isinstance(values, dict) or not values:
        return BoltResponse(status=503, body="")
    errors = {str(next(iter(values))): DB_DOWN + " Your form has not been saved."}
    return BoltResponse(
        status=200,
        body=json.dumps({"response_action": "errors", "errors": errors}),
        headers={"Content-Type": "application/json"},
    )


def database_down(error: BaseException | None) -> bool:
    """An error caused, anywhere in its chain, by the database being unreachable."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OperationalError | InterfaceError | DisconnectionError):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _tell(response_url: object) -> None:
    """Best effort: say so through the response URL, which needs no database."""
    if not isinstance(response_url, str) or not response_url.startswith("http"):
        return
    try:
        WebhookClient(response_url, timeout=5).send(
            text=DB_DOWN, response_type="ephemeral", replace_original=False
        )
    except Exception:  # the answer is a courtesy; the 200 already acknowledged the click
        log.warning("could not tell the user the database is down")


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
