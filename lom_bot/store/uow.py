"""The unit of work: one transaction that rolls back unless committed.

Audit entries and outbox messages are written inside the same transaction as the change,
so a failed change leaves no audit claim and sends no message.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import event, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from lom_bot.asking import current
from lom_bot.config import AppConfig
from lom_bot.domain.clock import Clock
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import Ambiguous, NotAuthorised
from lom_bot.domain.text import without_bidi_controls
from lom_bot.operator import os_user
from lom_bot.store.classification import Classification, check_destination
from lom_bot.store.db import reading
from lom_bot.store.tables import AuditEntry, AuditHead, OutboxMessage

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# the audit append's statements, built once
_HEAD = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
_ENTRIES = insert(AuditEntry)
_NEW_HEAD = insert(AuditHead).values(id=1)
_MOVE_HEAD = update(AuditHead).where(AuditHead.id == 1)


@dataclass(frozen=True)
class PendingAudit:
    actor: str
    action: AuditAction
    what: str
    entity: str | None
    entity_id: str | None
    subject_ref: str | None
    purpose: str | None
    recipient: str | None
    detail: dict[str, Any] | None


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical form of the entry."""
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def audit_fields(seq: int, at: datetime, p: PendingAudit | AuditEntry) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.isoformat(),
        "actor": p.actor,
        "action": str(p.action),
        "what": p.what,
        "entity": p.entity,
        "entity_id": p.entity_id,
        "subject_ref": p.subject_ref,
        "purpose": p.purpose,
        "recipient": p.recipient,
        "detail": p.detail,
    }


class UnitOfWork:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        config: AppConfig,
        clock: Clock,
        on_outbox: Callable[[], None] | None = None,
        *,
        reads: bool = False,
    ) -> None:
        """`reads`: this unit of work only reads, and audits what it read. On SQLite it takes
        no write lock while it reads; its audit entries are written after, in a short
        transaction of their own. Writing anything else in it is a programming error."""
        self._sessions = sessions
        self._reads = reads
        self.config = config
        self.clock = clock
        self._on_outbox = on_outbox
        self._queued = False
        self._session: Session | None = None
        self._audit: list[PendingAudit] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'with'")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("unit of work is not re-entrant")
        bind = self._sessions.kw.get("bind")
        if self._reads and isinstance(bind, Engine):
            self._session = self._sessions(bind=reading(bind))
            event.listen(self._session, "before_flush", _reads_only)
        else:
            self._session = self._sessions()
        self._audit = []
        self._queued = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.close()  # rolls back what was not committed; loaded objects stay readable
        finally:
            self._session = None
            self._audit = []
        if isinstance(exc, NotAuthorised) and not exc.audited:
            # Every service refuses inside a unit of work: this is where all their refusals
            # are audited, after the refused work was rolled back.
            self.record_refusal(exc.who, exc.message, needed=exc.asked, subject_ref=exc.subject_ref)
            exc.audited = True
        if isinstance(exc, Ambiguous) and exc.who and not exc.audited:
            self.record_listing(exc.who, [ref for ref, _ in exc.candidates], exc.query)
            exc.audited = True

    def record_listing(self, who: str, refs: list[str], query: str | None) -> None:
        """Audit, as a consultation of each, the subjects a search listed for a choice (its
        own transaction: the search itself was rolled back). Call it outside `with`."""
        if self._session is not None:
            raise RuntimeError("a listing is recorded outside the unit of work that made it")
        saved, self._audit = self._audit, []
        for ref in refs:
            self.audit(
                who[:32],
                AuditAction.CONSULTATION,
                "subject.listed",
                entity="subject",
                subject_ref=ref,
                purpose="choose a subject",
                detail={"query": (query or "")[:80], "listed": len(refs)},
            )
        try:
            with self._sessions() as writer:
                self._write_audit(writer)
                writer.commit()
        except Exception:  # the person still chooses; the failure is loud in the log
            log.exception("could not audit a listing of subjects")
        finally:
            self._audit = saved

    def record_refusal(
        self,
        who: str | None,
        reason: str,
        *,
        needed: str | None = None,
        subject_ref: str | None = None,
        channel: str | None = None,
        asked: str | None = None,
    ) -> None:
        """Audit a refused request in a transaction of its own that writes nothing else: who,
        what they asked, which subject if one was named, and the channel. Call it outside
        `with` (the refused work, if any, has been rolled back)."""
        if self._session is not None:
            raise RuntimeError("a refusal is recorded outside the refused unit of work")
        scope = current()
        detail = {"asked": (asked or scope.asked or "?")[:120], "reason": reason[:200]}
        if needed:
            detail["needed"] = needed[:60]
        entry = PendingAudit(
            (who or scope.user or "unknown")[:32],
            AuditAction.REFUSAL,
            "request.refused",
            None,
            None,
            subject_ref or scope.subject_ref,
            None,
            (channel or scope.channel or "")[:80] or None,
            detail,
        )
        saved, self._audit = self._audit, [entry]
        try:
            with self._sessions() as writer:
                self._write_audit(writer)
                writer.commit()
        except Exception:  # the person is still refused; the failure is loud in the log
            log.exception("could not audit a refused request")
        finally:
            self._audit = saved

    def audit(
        self,
        actor: str,
        action: AuditAction,
        what: str,
        *,
        entity: str | None = None,
        entity_id: object | None = None,
        subject_ref: str | None = None,
        purpose: str | None = None,
        recipient: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Queue an audit entry; it is chained and written at commit."""
        self._audit.append(
            PendingAudit(
                actor,
                action,
                what,
                entity,
                None if entity_id is None else str(entity_id),
                subject_ref,
                purpose,
                recipient,
                detail,
            )
        )

    def send(
        self,
        method: str,
        channel: str,
        payload: dict[str, Any],
        *,
        actor: str = "system",
        classification: Classification = Classification.DETAIL,
        subjects: Iterable[str] = (),
        purpose: str | None = None,
        dedupe_key: str | None = None,
        after: OutboxMessage | None = None,
        link: tuple[str, int] | None = None,
    ) -> OutboxMessage:
        """Queue a Slack call to be made after commit (the transactional outbox).

        The channel's classification is checked here, before anything is queued, so no bug
        upstream can put subject detail or intelligence into a district channel; each subject
        named is audited as disclosed to the channel.
        """
        if self._reads:
            raise RuntimeError("a reading unit of work cannot send; use rt.uow()")
        check_destination(self.config, method, channel, classification)
        if isinstance(payload.get("text"), str):  # names in the fallback text, as on cards
            payload = {**payload, "text": without_bidi_controls(payload["text"])}
        for ref in dict.fromkeys(subjects):
            self.audit(
                actor,
                AuditAction.DISCLOSURE,
                f"chat.{method}",
                subject_ref=ref,
                recipient=channel,
                purpose=purpose,
                detail={"classification": classification.value},
            )
        message = OutboxMessage(
            created_at=self.clock.now(),
            method=method,
            channel=channel,
            payload=payload,
            dedupe_key=dedupe_key,
            next_attempt_at=self.clock.now(),
            link_table=link[0] if link else None,
            link_id=link[1] if link else None,
        )
        if after is not None:
            self.session.flush()
            message.after_id = after.id
        self.session.add(message)
        self._queued = True
        return message

    def commit(self) -> None:
        if self._reads:
            self.session.commit()  # ends the reading transaction
            if self._audit:
                with self._sessions() as writer:
                    self._write_audit(writer)
                    writer.commit()
            self._audit = []
            return
        if self._audit:
            self._write_audit(self.session)
        self.session.commit()
        self._audit = []
        if self._queued and self._on_outbox is not None:
            self._on_outbox()  # wake the outbox sender: send-on-commit
        self._queued = False

    def _write_audit(self, session: Session) -> None:
        """Chain the queued entries onto the head (locked until commit) and write them: the
        lock, one INSERT for all the entries, and the new head."""
        head = session.execute(_HEAD).one_or_none()  # flushes the change first, then locks
        seq, prev = (head.seq, head.hash) if head is not None else (0, GENESIS)
        now = self.clock.now()
        rows: list[dict[str, Any]] = []
        login = os_user()
        for pending in self._audit:
            seq += 1
            if login is not None:  # a command-line run: who was at the keyboard, too
                pending = replace(pending, detail={**(pending.detail or {}), "os_user": login})
            fields = audit_fields(seq, now, pending)
            digest = entry_hash(prev, fields)
            rows.append(
                {
                    "seq": seq,
                    "at": now,
                    "actor": pending.actor,
                    "action": fields["action"],
                    "what": pending.what,
                    "entity": pending.entity,
                    "entity_id": pending.entity_id,
                    "subject_ref": pending.subject_ref,
                    "purpose": pending.purpose,
                    "recipient": pending.recipient,
                    "detail": pending.detail,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        connection = session.connection()
        connection.execute(_ENTRIES, rows)
        connection.execute(_NEW_HEAD if head is None else _MOVE_HEAD, {"seq": seq, "hash": prev})


def _reads_only(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a reading unit of work tried to write; use rt.uow()")
