"""Delivering the outbox: Slack calls made after commit, retried with backoff, sent once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from lom_bot.services.ports import ChatPort
from lom_bot.store.tables import BreachReport, OutboxMessage
from lom_bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)
M = OutboxMessage

# Longer than the longest Slack call the client makes, rate-limit retries included: a message
# whose call outlasts its claim can be taken, and posted again, by another sender.
CLAIM_FOR = timedelta(minutes=5)
WAIT = timedelta(seconds=2)  # before a reply is tried again when its parent is not out yet
MAX_BACKOFF = timedelta(minutes=15)
LINKABLE = {"breach_reports": BreachReport}


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    waiting: int


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _never() -> bool:
    return False


def deliver_pending(
    uow: UnitOfWork,
    chat: ChatPort,
    *,
    limit: int = 50,
    stopping: Callable[[], bool] = _never,
) -> DeliveryReport:
    """Send what is due, oldest first; a message that fails waits and is tried again. Once
    `stopping` says so, the claims not yet used are handed back (sent at once by the next)."""
    claimed = _claim(uow, limit)
    sent = failed = waiting = 0
    for n, message in enumerate(claimed):
        if stopping():
            release(uow, claimed[n:])
            break
        outcome = _deliver_one(uow, chat, message)
        sent += outcome == "sent"
        failed += outcome == "failed"
        waiting += outcome == "waiting"
    return DeliveryReport(sent, failed, waiting)


@dataclass(frozen=True)
class Claimed:
    """A message this process has claimed for CLAIM_FOR, as read in the claim."""

    id: int
    method: str
    channel: str
    payload: dict[str, Any]
    after_id: int | None
    link_table: str | None
    link_id: int | None
    attempts: int
    claimed_until: datetime  # the claim's mark: whoever holds this value holds the message


def _claim(uow: UnitOfWork, limit: int) -> list[Claimed]:
    """Mark a batch as ours for a while, so two processes never send the same message: one
    statement that locks, marks and reads the batch (others skip what is locked)."""
    with uow:
        now = uow.clock.now()
        due = (
            select(M.id)
            .where(M.sent_at.is_(None), M.next_attempt_at <= now)
            .where(or_(M.claimed_until.is_(None), M.claimed_until < now))
            .order_by(M.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = uow.session.execute(
            update(M)
            .where(M.id.in_(due.scalar_subquery()))
            .values(claimed_until=now + CLAIM_FOR)
            .returning(*_CLAIMED),
            execution_options={"synchronize_session": False},
        ).all()
        uow.commit()
    return sorted((Claimed(*row) for row in rows), key=lambda m: m.id)


_CLAIMED = (
    M.id,
    M.method,
    M.channel,
    M.payload,
    M.after_id,
    M.link_table,
    M.link_id,
    M.attempts,
    M.claimed_until,
)


def _deliver_one(uow: UnitOfWork, chat: ChatPort, message: Claimed) -> str:
    payload = dict(message.payload)
    with uow:
        # Still ours and still unsent? A batch can outlast its claim (Slack rate limits), and
        # then another sender may have taken the rest: renew the claim, or leave the message.
        now = uow.clock.now()
        ours = uow.session.execute(
            update(M)
            .where(M.id == message.id, M.sent_at.is_(None))
            .where(M.claimed_until == message.claimed_until)
            .values(claimed_until=now + CLAIM_FOR)
            .returning(M.claimed_until)
        ).scalar_one_or_none()
        if ours is None:
            uow.commit()
            return "skipped"
        if message.after_id is not None:
            parent_ts = uow.session.scalar(select(M.result_ts).where(M.id == message.after_id))
            if parent_ts is None:  # the message it refers to is not out yet
                _mark(uow, message.id, ours, claimed_until=None, next_attempt_at=now + WAIT)
                uow.commit()
                return "waiting"
            payload["ts" if message.method == "update" else "thread_ts"] = parent_ts
        uow.commit()
    try:  # no transaction is open while Slack is called
        ts = chat.call(message.method, message.channel, payload)
    except Exception as exc:  # any failure: keep the message and try again later
        attempts = message.attempts + 1
        with uow:
            _mark(
                uow,
                message.id,
                ours,
                attempts=attempts,
                last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
                next_attempt_at=uow.clock.now() + backoff(attempts),
                claimed_until=None,
            )
            uow.commit()
        log.warning(
            "outbox message %s failed (attempt %s): %s",
            message.id,
            attempts,
            exc.__class__.__name__,
        )
        return "failed"
    with uow:
        marked = _mark(
            uow, message.id, ours, sent_at=uow.clock.now(), result_ts=ts, claimed_until=None
        )
        linked = LINKABLE.get(message.link_table or "")
        if ts and linked is not None and message.link_id is not None:
            uow.session.execute(
                update(linked).where(linked.id == message.link_id).values(triage_ts=ts)
            )
        uow.commit()
    if not marked:  # the call outlasted the renewed claim: another sender may post it again
        log.warning("outbox message %s sent after its claim ran out", message.id)
    return "sent"


def _mark(uow: UnitOfWork, message_id: int, ours: datetime, **values: Any) -> bool:
    """Update a message this sender still holds; False when its claim passed to another."""
    result = uow.session.execute(
        update(M).where(M.id == message_id, M.claimed_until == ours).values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def release(uow: UnitOfWork, messages: list[Claimed]) -> int:
    """Hand back claims this sender holds but will not use (it is stopping), so they are due
    again now rather than when the claim runs out; returns how many."""
    with uow:
        released = sum(_mark(uow, m.id, m.claimed_until, claimed_until=None) for m in messages)
        uow.commit()
    if released:
        log.info("outbox: %s claimed messages handed back", released)
    return released


def pending_count(uow: UnitOfWork) -> int:
    with uow:
        return len(
            list(
                uow.session.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)))
            )
        )
