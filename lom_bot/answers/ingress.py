"""The web process's side: a signed request whose ack carries nothing (a slash command, a button,
a shortcut, an event) is stored in the inbox, an answer worker is woken, and Slack gets an
empty 200 at once. Everything else (modal submissions, whose ack carries validation errors;
URL verification; requests from another workspace or with a bad signature) goes to Bolt
in this process as before, and so does any request the inbox cannot take just now."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from lom_bot.answers.wakeup import NOBODY, OUTBOX, Notifier
from lom_bot.store import inbox

log = logging.getLogger(__name__)

DEFERRED_PAYLOADS = frozenset({"block_actions", "shortcut", "message_action"})
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Deferrable:
    kind: str  # command | block_actions | shortcut | message_action | event
    event_id: str | None
    team_id: str | None
    enterprise_id: str | None


def classify(body: str, content_type: str) -> Deferrable | None:
    """What this request is, if its answer may come after an empty ack; None otherwise."""
    try:
        if content_type.startswith("application/json"):
            data = json.loads(body)
            if not isinstance(data, dict) or data.get("type") != "event_callback":
                return None
            event_id = data.get("event_id")
            return Deferrable(
                "event",
                event_id if isinstance(event_id, str) and event_id else None,
                _str(data.get("team_id")),
                _str(data.get("enterprise_id")),
            )
        form = parse_qs(body, keep_blank_values=True)
        if "payload" in form:
            payload = json.loads(form["payload"][0])
            kind = payload.get("type") if isinstance(payload, dict) else None
            if kind not in DEFERRED_PAYLOADS:
                return None
            team = payload.get("team") or {}
            enterprise = payload.get("enterprise") or {}
            return Deferrable(
                str(kind),
                None,
                _str(team.get("id")) if isinstance(team, dict) else None,
                _str(enterprise.get("id")) if isinstance(enterprise, dict) else None,
            )
        if "command" in form and "ssl_check" not in form:
            return Deferrable(
                "command",
                None,
                _first(form, "team_id"),
                _first(form, "enterprise_id"),
            )
    except (ValueError, AttributeError, IndexError):  # malformed: Bolt answers it (400)
        return None
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _first(form: dict[str, list[str]], key: str) -> str | None:
    values = form.get(key)
    return values[0] if values and values[0] else None


class Ingress:
    """Takes a request into the inbox, or says (None) that Bolt should answer it here."""

    def __init__(
        self, engine: Engine, notifier: Notifier, signing_secret: str, team_id: str | None
    ) -> None:
        self.engine = engine
        self.notifier = notifier
        self.verifier = SignatureVerifier(signing_secret)
        self.team_id = team_id

    def accept(self, body: bytes, headers: dict[str, str]) -> bool:
        """True when stored (or already stored) for an answer worker: ack with an empty 200."""
        if not self.notifier.available():
            return False
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not self.verifier.is_valid(body, timestamp, signature):
            return False  # Bolt refuses it (401) and logs it
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return False
        content_type = headers.get("content-type", FORM)
        request = classify(text, content_type)
        if request is None or not self._ours(request):
            return False
        try:
            row_id = inbox.store(
                self.engine,
                kind=request.kind,
                content_type=content_type,
                body=text,
                event_id=request.event_id,
                now=datetime.now(UTC),
            )
        except IntegrityError:  # Slack redelivered an event we hold already
            log.info("event %s delivered again; already stored", request.event_id)
            return True
        except SQLAlchemyError:  # Bolt, here, gives the database-down answer (503 for events)
            log.warning("inbox unavailable; answering in the web process")
            return False
        told = self.notifier.notify(row_id, person_waiting=request.kind != "event")
        if told == NOBODY and inbox.discard(self.engine, row_id):
            log.warning("no answer worker is listening; answering in the web process")
            return False  # taken back: Bolt answers it here
        return True

    def renew_notifier(self) -> None:
        """After a fork: a socket of this process's own (the parent's is closed here)."""
        from lom_bot.answers.wakeup import Notifier

        directory = self.notifier.directory
        self.notifier.close()
        self.notifier = Notifier(directory)

    def wake_outbox(self) -> bool:
        """After a web process queued Slack posts (a modal's answer): an answer worker sends
        them, so the web processes spend no time sending. False when none is listening."""
        return self.notifier.notify(OUTBOX) != NOBODY

    def _ours(self, request: Deferrable) -> bool:
        """Other workspaces are refused by Bolt's guard, in the web process."""
        if self.team_id is None:
            return True
        return self.team_id in {request.team_id, request.enterprise_id}
