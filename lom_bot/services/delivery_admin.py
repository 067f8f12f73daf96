"""Looking after delivery: dead letters (messages Slack never took), sending one again, and
purging what was delivered long ago."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from lom_bot.store.classification import Classification
from lom_bot.store.tables import OutboxMessage, SeenEvent
from lom_bot.store.uow import UnitOfWork

M = OutboxMessage


@dataclass(frozen=True)
class DeadLetter:
    id: int
    method: str
    channel: str
    attempts: int
    failed_at: datetime | None
    last_error: str


def dead_letters(uow: UnitOfWork) -> list[DeadLetter]:
    """Outbox messages given up after the attempt limit, oldest first."""
    with uow:
        rows = uow.session.execute(
            select(M.id, M.method, M.channel, M.attempts, M.failed_at, M.last_error)
            .where(M.failed_at.is_not(None), M.sent_at.is_(None))
            .order_by(M.id)
        ).all()
    return [DeadLetter(r[0], r[1], r[2], r[3], r[4], r[5] or "") for r in rows]


def retry_dead_letter(uow: UnitOfWork, message_id: int) -> bool:
    """Make a dead letter due again now, with a fresh set of attempts; False if it is none."""
    with uow:
        result = uow.session.execute(
            update(M)
            .where(M.id == message_id, M.failed_at.is_not(None), M.sent_at.is_(None))
            .values(failed_at=None, attempts=0, next_attempt_at=uow.clock.now())
        )
        uow.commit()
    return bool(getattr(result, "rowcount", 0))


@dataclass(frozen=True)
class Purged:
    messages: int
    event_ids: int


def purge_delivered(uow: UnitOfWork, days: int) -> Purged:
    """Delete messages sent more than `days` ago and Slack event ids seen that long ago. A post
    a record points at (a triage card, which later updates edit) or that a later message
    threads under is kept; dead letters stay until someone deals with them."""
    cutoff = uow.clock.now() - timedelta(days=days)
    with uow:
        referenced = select(M.after_id).where(M.after_id.is_not(None))
        messages = uow.session.execute(
            delete(M)
            .where(M.sent_at.is_not(None), M.sent_at < cutoff, M.link_table.is_(None))
            .where(M.id.not_in(referenced))
        )
        events = uow.session.execute(delete(SeenEvent).where(SeenEvent.seen_at < cutoff))
        uow.commit()
    return Purged(
        int(getattr(messages, "rowcount", 0) or 0), int(getattr(events, "rowcount", 0) or 0)
    )


def announce_dead_request(uow: UnitOfWork, request_id: int, kind: str, attempts: int) -> None:
    """Once, in the LOM team channel: a Slack request that could never be answered (a district
    message that cannot be captured, for one) has been set aside."""
    text = (
        f":warning: A Slack {kind} received by lom-bot could not be processed after {attempts} "
        f"attempts and has been set aside (inbox request {request_id}). An administrator can "
        "list these with `lom-bot outbox list --failed` and try one again with "
        "`lom-bot outbox retry --request ID`."
    )
    with uow:
        uow.send(
            "post", uow.config.channels.lom_team.id, {"text": text, "_no_announce": True},
            classification=Classification.REFERENCE, purpose="delivery failure",
            dedupe_key=f"dead-request:{request_id}",
        )  # fmt: skip
        uow.commit()
