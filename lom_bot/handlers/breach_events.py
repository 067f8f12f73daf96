"""District channel messages: captured as breach reports BEFORE Slack gets its ack.

Bolt acks events before listeners run (process_before_response=False), so the capture is a
global middleware: it stores the report (or edit, deletion, thread reply) and only then lets
Bolt ack. If the database is down it answers 503, Slack delivers the event again, and the
event id (SeenEvent) and (channel, ts) dedupe make the retry store it once. The `message`
listener's middleware (handlers/messages.py) then calls on_district_message, which has nothing
left to do unless this middleware did not run; it repeats the capture idempotently if so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from lom_bot.domain.errors import DomainError
from lom_bot.services.breach_thread import attach_reply, record_deletion, record_edit
from lom_bot.services.breaches import ReportBreach, Reported, report_breach

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

Event = dict[str, Any]
Next = Callable[[], BoltResponse]
PLAIN = frozenset({None, "thread_broadcast", "file_share", "me_message"})
RETRY_PLEASE = "The report could not be stored; Slack will deliver it again."
# Set on the event by the middleware once stored, so the listener does not store it again.
CAPTURED = "lom_breach_captured"


def register(app: App, rt: Runtime) -> None:
    app.use(capture_middleware(rt))


def capture_middleware(
    rt: Runtime,
) -> Callable[[dict[str, Any], BoltContext, Next], BoltResponse | None]:
    """Store district messages before the ack; anything else passes straight through."""

    def capture(body: dict[str, Any], context: BoltContext, next: Next) -> BoltResponse | None:
        event = body.get("event") if body.get("type") == "event_callback" else None
        if not isinstance(event, dict) or event.get("type") != "message":
            return next()
        if rt.config.district_of_channel(str(event.get("channel") or "")) is None:
            return next()
        try:
            handle_district_event(
                rt,
                event,
                event_id=body.get("event_id"),
                workspace_url=workspace_url(context.client),
            )
        except SQLAlchemyError:  # the database is down or busy: Slack must deliver it again
            log.exception("district message not stored; asking Slack to deliver it again")
            return BoltResponse(status=503, body=RETRY_PLEASE)
        except DomainError as exc:  # refused by a rule: a redelivery would be refused again
            log.warning("district message not taken as a report: %s", _why(exc))
        except Exception:  # a malformed event: redelivering the same bytes cannot help
            log.exception("district message event could not be read; acknowledged")
        event[CAPTURED] = True
        return next()

    return capture


def from_bot(rt: Runtime, message: Event) -> bool:
    """The bot's own messages and other bots' are ignored, unless app.yaml accepts that bot."""
    accepted = set(rt.config.accept_bot_messages_from)
    ids = {message.get("bot_id"), message.get("user"), message.get("app_id")} - {None}
    if ids & accepted:
        return False
    if message.get("user") in rt.config.bot_user_ids:
        return True
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message"


_URLS: dict[tuple[str, str | None], str] = {}


def workspace_url(client: WebClient | None) -> str | None:
    """The workspace's URL (auth.test, asked once per token and API address: Bolt gives each
    request a new WebClient), to build permalinks without a chat.getPermalink call per message
    before the ack. None if Slack cannot say just now."""
    if client is None:
        return None
    key = (client.base_url, client.token)
    if key not in _URLS:
        try:
            url = client.auth_test().get("url")
        except Exception:  # a link is a convenience: never let it stop a report being stored
            log.info("auth.test failed; this report is stored without a permalink")
            return None
        if not url:
            return None
        _URLS[key] = str(url)
    return _URLS[key]


def permalink(workspace_url: str | None, channel: str, message: Event) -> str | None:
    """The link Slack's chat.getPermalink gives for this message, built without a call."""
    if not workspace_url:
        return None
    ts = str(message.get("ts") or "")
    link = f"{workspace_url.rstrip('/')}/archives/{channel}/p{ts.replace('.', '')}"
    thread = message.get("thread_ts")
    if thread and thread != ts:
        link += f"?thread_ts={thread}&cid={channel}"
    return link


def handle_district_event(
    rt: Runtime, event: Event, *, event_id: str | None, workspace_url: str | None = None
) -> str | None:
    """Store what a district channel event means for breach reports; returns a report ref."""
    channel = str(event.get("channel") or "")
    subtype = event.get("subtype")
    if not _well_formed(event):
        log.warning("malformed message event in %s ignored (subtype %r)", channel, subtype)
        return None
    when = str(event.get("event_ts") or event.get("ts") or "")
    if subtype == "message_changed":
        message = event.get("message") or {}
        if from_bot(rt, message):
            return None
        if message.get("subtype") == "tombstone":  # a deleted parent that has replies
            return record_deletion(
                rt.uow(), channel, str(message.get("ts")), delete_ts=when, event_id=event_id
            )
        ts = str(message.get("ts") or "")
        ref = record_edit(
            rt.uow(),
            channel,
            ts,
            str(message.get("text") or ""),
            message.get("user"),
            edit_ts=when,
            event_id=event_id,
        )
        if ref is not None:
            return ref
        thread = message.get("thread_ts")
        if thread and thread != ts and message.get("text"):
            # An edited reply under a report: the new wording joins the report (by the edit's ts).
            text = f"(edited) {message.get('text')}"
            ref = attach_reply(
                rt.uow(), channel, str(thread), when, message.get("user"), text, event_id=event_id
            )
            if ref is not None:
                return ref
        # An edit can turn chat into a report: judge the new text as if just posted.
        return _capture(rt, channel, message, event_id, permalink(workspace_url, channel, message))
    if subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        ts = str(event.get("deleted_ts") or previous.get("ts") or "")
        return record_deletion(rt.uow(), channel, ts, delete_ts=when, event_id=event_id)
    if subtype not in PLAIN or from_bot(rt, event):
        return None
    thread_ts = event.get("thread_ts")
    if thread_ts and thread_ts != event.get("ts"):
        ref = attach_reply(
            rt.uow(),
            channel,
            str(thread_ts),
            str(event.get("ts")),
            event.get("user"),
            str(event.get("text") or ""),
            event_id=event_id,
        )
        if ref is not None:
            return ref
    return _capture(rt, channel, event, event_id, permalink(workspace_url, channel, event))


def _well_formed(event: Event) -> bool:
    """The fields the capture reads have the types Slack sends (strings, a message object)."""
    strings = ("subtype", "text", "ts", "thread_ts", "user", "deleted_ts", "event_ts")
    inner = event.get("message")
    if inner is not None and not isinstance(inner, dict):
        return False
    return all(
        part.get(key) is None or isinstance(part.get(key), str)
        for part in (event, inner or {})
        for key in strings
    )


def _capture(
    rt: Runtime, channel: str, message: Event, event_id: str | None, link: str | None
) -> str | None:
    ts = str(message.get("ts"))
    if not message.get("user") or not str(message.get("text") or "").strip():
        # a join, a file without words: nothing a person could assess
        log.info("district message %s in %s ignored: no words from a person", ts, channel)
        return None
    result = report_breach(
        rt.uow(),
        None,
        ReportBreach(
            source="message",
            text=str(message.get("text") or ""),
            reporter=str(message["user"]),
            channel_id=channel,
            message_ts=str(message.get("ts")),
            permalink=link,
            event_id=event_id,
        ),
    )
    _log_decision(channel, ts, str(message["user"]), event_id, result)
    return result.ref if result else None


def _why(exc: DomainError) -> str:
    """A refusal named for the log by its kind and field: its message may quote the report."""
    return f"{type(exc).__name__} on {exc.field or 'the message'}"


def _log_decision(
    channel: str, ts: str, user: str, event_id: str | None, result: Reported | None
) -> None:
    """What the capture decided, at INFO: ids and references only, never the text."""
    where = f"district message {ts} in {channel} from {user} (event {event_id or '-'})"
    if result is None:
        log.info("%s not captured: no subject on the caseload named", where)
    elif not result.created:
        log.info("%s already captured as %s (a redelivery or edit)", where, ", ".join(result.refs))
    else:
        log.info("%s captured as %s (%s, subject %s)", where, ", ".join(result.refs),
                 result.status.value, result.subject_ref or "to confirm")  # fmt: skip


def on_district_message(rt: Runtime, event: Event, client: WebClient) -> None:
    """Called by the `message` listener's middleware, still before the ack: the capture
    middleware normally stored it already; if it did not run, store it now (idempotent)."""
    if event.get(CAPTURED):
        return
    try:
        handle_district_event(rt, event, event_id=None)
    except DomainError as exc:  # refused by a rule: acknowledge, a redelivery changes nothing
        log.warning("district message not taken as a report: %s", _why(exc))
