"""Bolt's single-workspace authorisation, made safe to fail: when Slack cannot confirm the bot
token (auth.test fails, as on a freshly started process while Slack is unreachable), Bolt
would answer 200 and Slack would never deliver the request again, so a district report was
acknowledged and lost. Here an event (and a form) gets a 503 instead, so Slack redelivers it
(an answer worker keeps it in the inbox and tries again); a person who typed or clicked is
told that nothing was done."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_bolt.middleware.authorization.internals import (
    _is_no_auth_required,
    _is_no_auth_test_call_required,
)
from slack_bolt.middleware.authorization.single_team_authorization import (
    SingleTeamAuthorization,
)
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.webhook import WebhookClient

from lom_bot.answers.worker import INBOX_HEADER

if TYPE_CHECKING:
    from slack_bolt import App

log = logging.getLogger(__name__)

SLACK_UNCONFIRMED = (
    "lom-bot cannot reach Slack to confirm who it is just now, so nothing was done. "
    "Please try again in a minute."
)


class RedeliverableAuthorization(SingleTeamAuthorization):
    """SingleTeamAuthorization whose auth.test failure leaves events unacknowledged (503)."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        if (
            not self.auth_test_result
            and not _is_no_auth_required(req)
            and not _is_no_auth_test_call_required(req)
        ):
            try:
                self.auth_test_result = req.context.client.auth_test()
            except Exception as exc:  # SlackApiError, or the connection after its retries
                log.error("auth.test failed (%s); request left unanswered", type(exc).__name__)
                return unanswered(req)
        return super().process(req=req, resp=resp, next=next)


def unanswered(req: BoltRequest) -> BoltResponse:
    """An event or a form: 503 (Slack delivers it again, or keeps the form open). A person
    waiting hears that nothing was done."""
    body = req.body if isinstance(req.body, dict) else {}
    kind = str(body.get("type") or "")
    if kind in ("event_callback", "view_submission") or not (body.get("command") or kind):
        return BoltResponse(status=503, body="")
    return answer_person(req, SLACK_UNCONFIRMED)


def answer_person(req: BoltRequest, text: str) -> BoltResponse:
    """Tell whoever typed or clicked, without running anything: a command's ack shows it;
    otherwise (or in an answer worker, whose ack goes nowhere) through the response URL."""
    body = req.body if isinstance(req.body, dict) else {}
    if body.get("command") and INBOX_HEADER not in req.headers:
        return BoltResponse(status=200, body=text)
    url = body.get("response_url")
    if isinstance(url, str) and url.startswith("http"):
        try:
            WebhookClient(url, timeout=5).send(text=text, response_type="ephemeral")
        except Exception:  # a courtesy; the person sees nothing happened
            log.warning("could not tell the user why nothing was done")
    return BoltResponse(status=200, body="")


def install(app: App) -> None:
    """Swap Bolt's SingleTeamAuthorization for the redeliverable one (same position)."""
    middleware = app._middleware_list
    for i, each in enumerate(middleware):
        if type(each) is SingleTeamAuthorization:
            middleware[i] = RedeliverableAuthorization(
                auth_test_result=each.auth_test_result,
                user_facing_authorize_error_message=each.user_facing_authorize_error_message,
            )
