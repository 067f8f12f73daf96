"""Tables that make the bot reliable and accountable: audit, outbox, event dedupe, job ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from lom_bot.store.tables.base import Base
from lom_bot.store.types import UTCDateTime


class AuditEntry(Base):
    """Append-only and hash-chained: each row's hash covers its content and the previous hash."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_subject", "subject_ref"),
        Index("ix_audit_actor", "actor"),
        Index("ix_audit_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(32))  # Slack user id, or "system"
    action: Mapped[str] = mapped_column(String(20))  # collection, alteration, consultation, ...
    what: Mapped[str] = mapped_column(String(80))  # e.g. "contact.logged"
    entity: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    subject_ref: Mapped[str | None] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(String(200))
    recipient: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row holding the chain's tip; updating it serialises writers of the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class OutboxMessage(Base):
    """A Slack call to make after the transaction that caused it commits."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    method: Mapped[str] = mapped_column(String(40))  # post, update, ephemeral, upload, dm
    channel: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    # After sending, the ts is stored so later messages (thread replies, updates) can refer to it.
    result_ts: Mapped[str | None] = mapped_column(String(32))
    after_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))  # thread under it
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    link_table: Mapped[str | None] = mapped_column(String(40))  # where to store result_ts
    link_id: Mapped[int | None] = mapped_column(Integer)
    # Dead letter: given up after MAX_ATTEMPTS (lom-bot outbox list --failed, /health).
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last attempt may have reached Slack (its answer was lost): look before resending.
    maybe_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SeenEvent(Base):
    """Slack event ids already handled, so a redelivery is a no-op."""

    __tablename__ = "seen_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobRun(Base):
    """The run ledger: one row per job per period makes each scheduled post happen once."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_runs_job_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(20))  # 2026-11-25, 2026-W48, 2026-11
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))  # running | done | failed
    trigger: Mapped[str] = mapped_column(String(20))  # schedule | catch-up | manual
    owner: Mapped[str | None] = mapped_column(String(80))
    summary: Mapped[str | None] = mapped_column(Text)


class InboundRequest(Base):
    """A Slack request acknowledged by a web process and waiting for an answer worker.

    Written (and committed) before Slack gets its ack, so nothing a user sends is lost when a
    process stops; deleted once answered. `event_id` is unique, so a redelivered event is
    stored once. See handlers/inbox.py."""

    __tablename__ = "inbound_requests"
    __table_args__ = (Index("ix_inbound_state", "state", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))  # command, block_actions, event, shortcut
    event_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)  # the raw request body, as signed by Slack
    state: Mapped[str] = mapped_column(String(12))  # queued | working
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # dead letter
