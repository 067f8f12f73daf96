"""What the outbox records about one message after a try: sent, failed (then, past the attempt
limit, a dead letter announced once in the LOM team channel), or deferred by Slack's limits."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from lom_bot.store.classification import Classification
from lom_bot.store.tables import BreachReport, OutboxMessage
from lom_bot.store.uow import UnitOfWork

log = logging.getLogger("lom_bot.services.outbox")
M = OutboxMessage
MAX_BACKOFF = timedelta(minutes=15)
MAX_ATTEMPTS = 8  # 5 s doubling up to 15 min: about 40 minutes of failures, then a dead letter
LINKABLE = {"breach_reports": BreachReport}
QUIET = "_no_announce"  # a dead-letter announcement is not itself announced when it dies


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def mark(uow: UnitOfWork, message_id: int, ours: datetime, **values: Any) -> bool:
    """Update a message this sender still holds; False when its claim passed to another."""
    result = uow.session.execute(
        update(M).where(M.id == message_id, M.claimed_until == ours).values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def sent(
    uow: UnitOfWork,
    message_id: int,
    ours: datetime,
    ts: str | None,
    link: tuple[str | None, int | None],
    *,
    shared: bool = False,
) -> bool:
    """Mark it sent (within the caller's transaction); its ts on the record it posted about."""
    marked = mark(
        uow, message_id, ours, sent_at=uow.clock.now(), result_ts=ts, claimed_until=None,
        maybe_sent=False, shared=shared,
    )  # fmt: skip
    linked = LINKABLE.get(link[0] or "")
    if ts and linked is not None and link[1] is not None:
        uow.session.execute(update(linked).where(linked.id == link[1]).values(triage_ts=ts))
    return marked


def failed(
    uow: UnitOfWork,
    message: Any,
    ours: datetime,
    exc: Exception,
    *,
    maybe_sent: bool,
) -> None:
    """One more failed attempt: tried again after a backoff, or given up as a dead letter."""
    attempts = message.attempts + 1
    now = uow.clock.now()
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    dead = attempts >= MAX_ATTEMPTS
    with uow:
        mark(
            uow, message.id, ours, attempts=attempts, last_error=error, claimed_until=None,
            next_attempt_at=now + backoff(attempts), maybe_sent=maybe_sent,
            failed_at=now if dead else None,
        )  # fmt: skip
        if dead and not message.payload.get(QUIET):
            _announce(uow, message, attempts)
        uow.commit()
    if dead:
        log.error("outbox message %s (%s to %s) failed %s times; given up: %s",
                  message.id, message.method, message.channel, attempts,
                  exc.__class__.__name__)  # fmt: skip
    else:
        log.warning("outbox message %s failed (attempt %s): %s",
                    message.id, attempts, exc.__class__.__name__)  # fmt: skip


def _announce(uow: UnitOfWork, message: Any, attempts: int) -> None:
    """Once, in the LOM team channel: which message Slack never took, and where to look."""
    team = uow.config.channels.lom_team.id
    text = (
        f":warning: A Slack {message.method} to <#{message.channel}> could not be sent after "
        f"{attempts} attempts and has been set aside (outbox message {message.id}). An "
        "administrator can list these with `lom-bot outbox list --failed` and send one again "
        "with `lom-bot outbox retry ID`."
    )
    uow.send(
        "post", team, {"text": text, QUIET: True}, classification=Classification.REFERENCE,
        purpose="delivery failure", dedupe_key=f"dead-letter:{message.id}",
    )  # fmt: skip


def deferred(
    uow: UnitOfWork,
    held: list[tuple[int, datetime]],
    channel: str,
    method: str,
    until: datetime,
    *,
    channel_wide: bool,
    error: str | None = None,
) -> None:
    """Not now (Slack's limits): the held messages (id, claim) are due again at `until`, no
    attempt counted. `channel_wide`: every unsent message of that channel and method waits too
    (Slack answered 429, which holds for every sender)."""
    with uow:
        for message_id, ours in held:
            mark(uow, message_id, ours, claimed_until=None, next_attempt_at=until,
                 last_error=error)  # fmt: skip
        if channel_wide:
            uow.session.execute(
                update(M)
                .where(M.sent_at.is_(None), M.failed_at.is_(None))
                .where(M.channel == channel, M.method == method)
                .where(M.next_attempt_at < until)
                .values(next_attempt_at=until)
            )
        uow.commit()
