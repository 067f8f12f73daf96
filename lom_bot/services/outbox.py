"""Delivering the outbox: Slack calls made after commit, paced to Slack's limits, retried
with backoff up to an attempt limit (then a dead letter), and sent once: a post whose answer was
lost is looked up in Slack before it is sent again (SlackChat marks each post with its id)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, true, update

from lom_bot.services import outbox_marks as marks
from lom_bot.services import outbox_shared as shared
from lom_bot.services.outbox_marks import MAX_ATTEMPTS, backoff
from lom_bot.services.pacing import POSTING, Pacer
from lom_bot.services.ports import ChatPort, NotDelivered, RateLimited
from lom_bot.store.tables import OutboxMessage
from lom_bot.store.uow import UnitOfWork

__all__ = ["CLAIM_FOR", "MAX_ATTEMPTS", "DeliveryReport", "backoff", "deliver_pending"]
log = logging.getLogger(__name__)
M = OutboxMessage

# Longer than the longest Slack call the client makes (its timeout; rate limits are not waited
# out inside a call but deferred here): a call that outlasted its claim could be sent twice.
CLAIM_FOR = timedelta(minutes=5)
WAIT = timedelta(seconds=2)  # before a reply is tried again when its parent is not out yet
RECEIPT_REACTION = "white_check_mark"


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    waiting: int
    deferred: int = 0  # held back by Slack's limits
    retry_in: float | None = None  # seconds until the soonest deferred message is due


def _never() -> bool:
    return False


def deliver_pending(
    uow: UnitOfWork,
    chat: ChatPort,
    *,
    limit: int = 50,
    stopping: Callable[[], bool] = _never,
    pacer: Pacer | None = None,
) -> DeliveryReport:
    """Send what is due, oldest first (in a burst, several of a channel's posts share one);
    a message that fails waits and is tried again. Once `stopping` says so, the claims not yet
    used are handed back (sent at once by the next sender)."""
    claimed = _claim(uow, limit)
    counts: Counter[str] = Counter()
    soonest: float | None = None
    limited: dict[tuple[str, str], datetime] = {}
    sends = shared.plan(claimed)
    for n, send in enumerate(sends):
        if stopping():
            release(uow, [message for later in sends[n:] for message in later])
            break
        key = (send[0].method, send[0].channel)
        if key in limited:  # Slack said 429 for this channel and method a moment ago
            held = [(m.id, m.claimed_until) for m in send]
            marks.deferred(uow, held, key[1], key[0], limited[key], channel_wide=False)
            counts["deferred"] += len(send)
            continue
        wait = pacer.take(*key) if pacer else 0.0
        if wait == 0:
            outcome, wait = _deliver(uow, chat, send)
            if outcome == "deferred":
                limited[key] = uow.clock.now() + timedelta(seconds=wait)
        else:  # handed back, due still: this process's pacer, or another sender, decides when
            outcome = "deferred"
            release(uow, send, quiet=True)
        counts[outcome] += len(send)
        if outcome == "deferred":
            soonest = wait if soonest is None else min(soonest, wait)
    return DeliveryReport(
        counts["sent"], counts["failed"], counts["waiting"], counts["deferred"], soonest
    )


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
    maybe_sent: bool  # an earlier try may have reached Slack (or its sender stopped mid-call)


def _claim(uow: UnitOfWork, limit: int) -> list[Claimed]:
    """Mark a batch as ours for a while, so two processes never send the same message: one
    statement that locks, marks and reads the batch (others skip what is locked). A message
    whose earlier claim simply ran out was held by a sender that stopped mid-call: it may have
    reached Slack, so it is looked up before it is sent again."""
    with uow:
        now = uow.clock.now()
        due = (
            select(M.id)
            .where(M.sent_at.is_(None), M.failed_at.is_(None), M.next_attempt_at <= now)
            .where(or_(M.claimed_until.is_(None), M.claimed_until < now))
            .order_by(M.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = uow.session.execute(
            update(M)
            .where(M.id.in_(due.scalar_subquery()))
            .values(
                claimed_until=now + CLAIM_FOR,
                maybe_sent=case((M.claimed_until.is_not(None), true()), else_=M.maybe_sent),
            )
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
    M.maybe_sent,
)


def _renew(uow: UnitOfWork, message: Claimed) -> datetime | None:
    """Still ours and still unsent? A batch can outlast its claim, and then another sender may
    have taken the rest: renew the claim, or leave the message (None)."""
    renewed: datetime | None = uow.session.execute(
        update(M)
        .where(M.id == message.id, M.sent_at.is_(None))
        .where(M.claimed_until == message.claimed_until)
        .values(claimed_until=uow.clock.now() + CLAIM_FOR)
        .returning(M.claimed_until)
    ).scalar_one_or_none()
    return renewed


def _deliver(uow: UnitOfWork, chat: ChatPort, send: list[Claimed]) -> tuple[str, float]:
    """One Slack call for one message or a shared post: (outcome, seconds deferred)."""
    with uow:
        held = [(m, ours) for m in send if (ours := _renew(uow, m)) is not None]
        if not held:
            uow.commit()
            return "skipped", 0.0
        method, channel = send[0].method, send[0].channel
        if len(send) == 1:
            prepared = _prepare(uow, send[0], held[0][1])
            if prepared is None:
                uow.commit()
                return "waiting", 0.0
            method, payload = prepared
        else:
            payload = shared.shared_payload([m for m, _ in held])
        uow.commit()
    ids = [m.id for m, _ in held]
    if len(send) == 1:
        _tick(chat, channel, send[0].payload)
    ts: str | None = _look_up(chat, method, channel, payload, held)
    if ts is None:
        try:  # no transaction is open while Slack is called
            ts = _call(chat, method, channel, payload, ids)
        except RateLimited as exc:
            until = uow.clock.now() + timedelta(seconds=exc.retry_after)
            pairs = [(m.id, ours) for m, ours in held]
            marks.deferred(
                uow, pairs, channel, send[0].method, until, channel_wide=True,
                error=f"RateLimited: {exc}",
            )  # fmt: skip
            log.info("outbox: Slack rate-limited %s to %s; waiting %.0f s", method, channel,
                     exc.retry_after)  # fmt: skip
            return "deferred", exc.retry_after
        except Exception as exc:  # keep the messages and try again later
            maybe = method in POSTING and not isinstance(exc, NotDelivered)
            for message, ours in held:
                marks.failed(uow, message, ours, exc, maybe_sent=maybe)
            return "failed", 0.0
    with uow:
        marked = [
            marks.sent(uow, m.id, ours, ts, (m.link_table, m.link_id), shared=len(send) > 1)
            for m, ours in held
        ]
        uow.commit()
    if not all(marked):  # the call outlasted the renewed claim: another sender may post it again
        log.warning("outbox messages %s sent after their claim ran out", ids)
    return "sent", 0.0


def _prepare(
    uow: UnitOfWork, message: Claimed, ours: datetime
) -> tuple[str, dict[str, Any]] | None:
    """The method and payload to send; None when the message it refers to is not out yet. An
    update of a post shared by several reports goes into that post's thread instead, so the
    other reports in it are left as they are."""
    payload = shared.public(message.payload)
    method = message.method
    if message.after_id is None:
        return method, payload
    parent = uow.session.execute(
        select(M.result_ts, M.shared).where(M.id == message.after_id)
    ).one_or_none()
    if parent is None or parent.result_ts is None:
        marks.mark(uow, message.id, ours, claimed_until=None,
                   next_attempt_at=uow.clock.now() + WAIT)  # fmt: skip
        return None
    if method == "update" and parent.shared:
        method = "post"
    payload["ts" if method == "update" else "thread_ts"] = parent.result_ts
    return method, payload


def _tick(chat: ChatPort, channel: str, payload: dict[str, Any]) -> None:
    """A reporter's receipt sent on its own: first a reaction on their message, the cheapest
    acknowledgement Slack allows, then the thread reply (in a burst the shared receipt post
    does both jobs). Best effort: the reply still goes if the reaction does not."""
    react = getattr(chat, "react", None)
    thread = payload.get("thread_ts")
    if payload.get(shared.COALESCE) != "receipt" or not callable(react) or not thread:
        return
    try:
        react(channel, str(thread), RECEIPT_REACTION)
    except Exception as exc:
        log.info("outbox: no reaction on %s in %s (%s)", thread, channel, exc.__class__.__name__)


def _call(
    chat: ChatPort, method: str, channel: str, payload: dict[str, Any], ids: list[int]
) -> str | None:
    call_marked = getattr(chat, "call_marked", None)
    if callable(call_marked):
        result: str | None = call_marked(method, channel, payload, ids)
        return result
    return chat.call(method, channel, payload)


def _look_up(
    chat: ChatPort,
    method: str,
    channel: str,
    payload: dict[str, Any],
    held: list[tuple[Claimed, datetime]],
) -> str | None:
    """The ts of an earlier try that reached Slack after all, if one may have."""
    find = getattr(chat, "find_marked", None)
    suspects = [m.id for m, _ in held if m.maybe_sent]
    if not suspects or not callable(find) or method not in POSTING:
        return None
    try:
        found: str | None = find(method, channel, payload, suspects)
    except Exception as exc:  # cannot look: sending again is the lesser harm than never
        log.warning("outbox: could not look for messages %s in Slack (%s)", suspects,
                    exc.__class__.__name__)  # fmt: skip
        return None
    if found is not None:
        log.info("outbox messages %s had reached Slack already (ts %s); not sent again",
                 suspects, found)  # fmt: skip
    return found


def release(uow: UnitOfWork, messages: list[Claimed], *, quiet: bool = False) -> int:
    """Hand back claims this sender holds but will not use (it is stopping), so they are due
    again now rather than when the claim runs out; returns how many."""
    with uow:
        released = sum(marks.mark(uow, m.id, m.claimed_until, claimed_until=None) for m in messages)
        uow.commit()
    if released and not quiet:
        log.info("outbox: %s claimed messages handed back", released)
    return released


def pending_count(uow: UnitOfWork) -> int:
    """Messages still to send (dead letters not counted)."""
    with uow:
        count = select(func.count(M.id)).where(M.sent_at.is_(None), M.failed_at.is_(None))
        return int(uow.session.scalar(count) or 0)
