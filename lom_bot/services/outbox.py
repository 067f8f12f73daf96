"""Delivering the outbox: Slack calls made after commit, retried with backoff, sent once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select, update

from lom_bot.services.ports import ChatPort
from lom_bot.store.tables import BreachReport, OutboxMessage
from lom_bot.store.uow import UnitOfWork

log = logging.getLogger(__name__)

CLAIM_FOR = timedelta(seconds=60)
MAX_BACKOFF = timedelta(minutes=15)
LINKABLE = {"breach_reports": BreachReport}


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    waiting: int


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_pending(uow: UnitOfWork, chat: ChatPort, *, limit: int = 50) -> DeliveryReport:
    """Send what is due, oldest first; a message that fails waits and is tried again."""
    claimed = _claim(uow, limit)
    sent = failed = waiting = 0
    for message_id in claimed:
        outcome = _deliver_one(uow, chat, message_id)
        sent += outcome == "sent"
        failed += outcome == "failed"
        waiting += outcome == "waiting"
    return DeliveryReport(sent, failed, waiting)


def _claim(uow: UnitOfWork, limit: int) -> list[int]:
    """Mark a batch as ours for a while, so two processes never send the same message."""
    with uow:
        now = uow.clock.now()
        query = (
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .where(or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list(uow.session.scalars(query))
        if ids:
            uow.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(claimed_until=now + CLAIM_FOR)
            )
        uow.commit()
        return ids


def _deliver_one(uow: UnitOfWork, chat: ChatPort, message_id: int) -> str:
    with uow:
        message = uow.session.get(OutboxMessage, message_id)
        if message is None or message.sent_at is not None:
            return "skipped"
        payload = dict(message.payload)
        if message.after_id is not None:
            parent = uow.session.get(OutboxMessage, message.after_id)
            if parent is None or parent.result_ts is None:
                message.claimed_until = None  # the message it refers to is not out yet
                message.next_attempt_at = uow.clock.now() + timedelta(seconds=2)
                uow.commit()
                return "waiting"
            payload["ts" if message.method == "update" else "thread_ts"] = parent.result_ts
        try:
            ts = chat.call(message.method, message.channel, payload)
        except Exception as exc:  # any failure: keep the message and try again later
            message.attempts += 1
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            message.next_attempt_at = uow.clock.now() + backoff(message.attempts)
            message.claimed_until = None
            uow.commit()
            log.warning(
                "outbox message %s failed (attempt %s): %s",
                message.id,
                message.attempts,
                exc.__class__.__name__,
            )
            return "failed"
        message.sent_at = uow.clock.now()
        message.result_ts = ts
        message.claimed_until = None
        if ts and message.link_table in LINKABLE and message.link_id is not None:
            row = uow.session.get(LINKABLE[message.link_table], message.link_id)
            if row is not None:
                row.triage_ts = ts
        uow.commit()
        return "sent"


def pending_count(uow: UnitOfWork) -> int:
    with uow:
        return len(
            list(
                uow.session.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)))
            )
        )
