"""The /lom listener: ack at once, resolve the actor, dispatch on the first word, reply.

Every input gets an answer: the result, a choice (ambiguous subject), a modal (incomplete
text), or a short usage message with an example. Never a stack trace, never silence.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

import lom_bot.handlers.commands  # noqa: F401  (registers every subcommand)
from lom_bot.blocks.common import ambiguous_blocks, context_note, escape
from lom_bot.domain.errors import Ambiguous, DomainError
from lom_bot.domain.text import without_bidi_controls
from lom_bot.handlers.middleware import actor_of
from lom_bot.handlers.refusal import audit_if_refusal, refused
from lom_bot.handlers.registry import REGISTRY, CommandContext, Reply, declared
from lom_bot.services.permissions import Actor

if TYPE_CHECKING:
    from slack_bolt import App

    from lom_bot.runtime import Runtime

log = logging.getLogger(__name__)

NOT_AUTHORISED = "You are not authorised to use lom-bot. Ask a LOM admin for access."
PRIVATE_NOTE = (
    "Only you can see this: this channel is not marked sensitive, so subject detail is "
    "shown to you alone."
)


def register(app: App, rt: Runtime) -> None:
    @app.command("/lom")
    def lom(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        actor = actor_of(context)
        channel = str(body.get("channel_id") or "")
        user = str(body.get("user_id") or "")
        if actor is None:
            send_reply(client, respond, channel, user, Reply(NOT_AUTHORISED), sensitive=False)
            return
        ctx = CommandContext(
            rt=rt,
            actor=actor,
            user_id=user,
            channel_id=channel,
            trigger_id=body.get("trigger_id"),
            client=client,
            detail_allowed_in_channel=detail_allowed(rt, channel),
        )
        reply = dispatch(ctx, str(body.get("text") or ""))
        send_reply(
            client,
            respond,
            channel,
            user,
            reply,
            sensitive=ctx.detail_allowed_in_channel,
            trigger_id=ctx.trigger_id,
        )


def detail_allowed(rt: Runtime, channel_id: str) -> bool:
    """DMs and channels marked sensitive in app.yaml may see subject detail."""
    if channel_id.startswith("D"):
        return True
    configured = rt.config.channel_by_id(channel_id)
    return configured is not None and configured.sensitive


def dispatch(ctx: CommandContext, text: str) -> Reply:
    """Run `/lom <text>` for ctx.actor and return what to answer; never raises."""
    word, _, rest = text.strip().partition(" ")
    name = word.lower()
    if not name:
        name, rest = "help", ""
    spec = REGISTRY.get(name)
    if spec is None:
        return unknown_subcommand(ctx.actor, word)
    if not spec.allows(ctx.actor):
        role = ctx.actor.role.value.replace("_", " ")
        message = f"Your role ({role}) may not use `/lom {spec.name}`."
        return Reply(
            refused(ctx.rt, ctx.actor, message, needed=spec.permission, channel=ctx.channel_id)
        )
    try:
        return spec.handler(ctx, rest.strip())
    except Ambiguous as exc:
        retry = [retry_text(spec.name, rest.strip(), exc.message, ref) for ref, _ in exc.candidates]
        return Reply(
            exc.message, blocks=ambiguous_blocks(exc.message, exc.candidates, spec.name, retry)
        )
    except DomainError as exc:
        audit_if_refusal(ctx.rt, exc)
        return Reply(error_text(exc, spec.usage, spec.examples))
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("/lom %s failed (incident %s)", spec.name, incident)
        return Reply(
            f"Sorry, something went wrong running `/lom {spec.name}` and nothing was saved. "
            f"Try again; if it keeps happening tell the LOM admin (incident {incident})."
        )


_QUOTED = re.compile(r"^'(.+?)' matches")


def retry_text(command: str, rest: str, message: str, ref: str) -> str:
    """The same command with the ambiguous name replaced by the chosen reference."""
    quoted = _QUOTED.match(message)
    if quoted:
        query = quoted[1]
        at = rest.lower().find(query.lower())
        if at >= 0:
            return f"{command} {rest[:at]}{ref}{rest[at + len(query) :]}".strip()
    return f"subject {ref}"


def error_text(exc: DomainError, usage: str, examples: tuple[str, ...]) -> str:
    """The error as the officer should read it, with the syntax and an example."""
    lines = [f":warning: {escape(exc.message)}"]
    if exc.example:
        lines.append(f"For example: {escape(exc.example)}")
    lines.append(f"Usage: `/lom {escape(usage)}`")
    if examples and not exc.example:
        lines.append(f"Example: `{escape(examples[0])}`")
    return "\n".join(lines)


def unknown_subcommand(actor: Actor, word: str) -> Reply:
    visible = [s for s in declared() if s.allows(actor)]
    names = ", ".join(f"`{s.name}`" for s in visible)
    shown = escape(word[:40].replace("`", "'"))
    return Reply(
        f"I don't know `/lom {shown}`. Commands: {names}.\n"
        "For example: `/lom subject LOM-0042`. `/lom help` lists them all."
    )


def send_reply(
    client: WebClient,
    respond: Respond | None,
    channel: str,
    user: str,
    reply: Reply,
    *,
    sensitive: bool,
    trigger_id: str | None = None,
) -> None:
    """Open the modal or answer: in the channel only where detail may be shown there."""
    if reply.modal is not None and open_modal(client, trigger_id, reply.modal):
        return
    in_channel = reply.in_channel and sensitive
    blocks = list(reply.blocks) if reply.blocks else None
    if blocks and not sensitive:
        blocks.append(context_note(PRIVATE_NOTE))
    elif reply.in_channel and not sensitive:
        reply = Reply(reply.text + f"\n_{PRIVATE_NOTE}_", None, False, None, reply.more)
    _post(client, respond, channel, user, reply.text, blocks, in_channel)
    for extra in reply.more:
        send_reply(client, respond, channel, user, extra, sensitive=sensitive)


FORM_TOO_LATE = (
    "The form could not be opened: Slack allows 3 seconds after a click, and lom-bot was busy. "
    "Please click again."
)
FORM_RATE_LIMITED = (
    "The form could not be opened: Slack is limiting how fast lom-bot may open forms just now. "
    "Please wait a few seconds and click again."
)
FORM_REFUSED = (
    "The form could not be opened: Slack refused it ({error}). This is a fault in lom-bot, not "
    "something you did; it has been logged for the administrator."
)
FORM_UNREACHABLE = (
    "The form could not be opened: lom-bot could not reach Slack ({error}). Please try again in "
    "a minute; if it keeps happening, tell your administrator."
)
EXPIRED = frozenset({"expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id"})


def show_form(
    client: WebClient, body: dict[str, Any], view: dict[str, Any], respond: Respond
) -> None:
    """A button's modal; if Slack does not open it, the person is told what actually went
    wrong (a click too late, Slack's rate limit, a form Slack refused, Slack unreachable)."""
    failure = open_modal_or_why(client, body.get("trigger_id"), view)
    if failure is not None:
        respond(text=failure, response_type="ephemeral", replace_original=False)


def open_modal(client: WebClient, trigger_id: str | None, view: dict[str, Any]) -> bool:
    return open_modal_or_why(client, trigger_id, view) is None


def open_modal_or_why(
    client: WebClient, trigger_id: str | None, view: dict[str, Any]
) -> str | None:
    """None when the modal opened; else what to tell the person."""
    if not trigger_id:
        return FORM_UNREACHABLE.format(error="Slack sent no trigger id with the click")
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return None
    except SlackApiError as exc:
        status = int(getattr(exc.response, "status_code", 0) or 0)
        error = str(exc.response.get("error") or f"HTTP {status}")
        log.warning("views.open failed: %s (HTTP %s)", error, status)
        if error in EXPIRED:
            return FORM_TOO_LATE
        if status == 429 or error == "ratelimited":
            return FORM_RATE_LIMITED
        if status == 200:  # Slack read the form and said no: invalid_arguments and the like
            return FORM_REFUSED.format(error=error)
        return FORM_UNREACHABLE.format(error=f"HTTP {status}")
    except Exception as exc:  # a dropped connection, DNS, a proxy
        log.warning("views.open failed: %s", exc.__class__.__name__)
        return FORM_UNREACHABLE.format(error=exc.__class__.__name__)


def _post(
    client: WebClient,
    respond: Respond | None,
    channel: str,
    user: str,
    text: str,
    blocks: list[dict[str, Any]] | None,
    in_channel: bool,
) -> None:
    text = without_bidi_controls(text)  # the fallback text shows names as blocks do
    if respond is not None and respond.response_url:
        respond(
            text=text,
            blocks=blocks,
            response_type="in_channel" if in_channel else "ephemeral",
            replace_original=False,
        )
    elif in_channel:
        client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    else:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
