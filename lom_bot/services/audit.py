"""The audit log read back: verify the hash chain, and export entries as a disclosure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import AuditEntry, AuditHead
from lom_bot.store.uow import GENESIS, UnitOfWork, audit_fields, entry_hash

EXPORT_COLUMNS = (
    "seq",
    "at",
    "actor",
    "action",
    "what",
    "entity",
    "entity_id",
    "subject_ref",
    "purpose",
    "recipient",
    "detail",
    "hash",
)


@dataclass(frozen=True)
class Break:
    """One place where the chain does not hold."""

    seq: int | None
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry seq {self.seq}" if self.seq is not None else "the chain's head"
        if self.entry_id is not None:
            where += f" (id {self.entry_id})"
        return f"{where}: {self.problem}"


@dataclass
class VerifyReport:
    entries: int = 0
    tip_seq: int = 0
    tip_hash: str = GENESIS
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks

    @property
    def first_break(self) -> Break | None:
        return self.breaks[0] if self.breaks else None

    def summary(self) -> str:
        if self.intact:
            return (
                f"{self.entries} entries, chain intact "
                f"(tip {self.tip_seq}:{self.tip_hash[:16]}; keep it to check with --anchor)"
            )
        more = len(self.breaks) - 1
        tail = f"; {more} further problem(s)" if more else ""
        return f"{self.entries} entries, chain BROKEN at {self.breaks[0]}{tail}"


def verify_chain(
    uow: UnitOfWork,
    *,
    batch: int = 1000,
    anchors: dict[int, str] | None = None,
    anchored_at: dict[int, datetime] | None = None,
) -> VerifyReport:
    """Recompute every hash in seq order; report each edited, deleted or reordered entry.

    `anchors` are {seq: hash} pairs recorded earlier outside the database (the tip that
    `lom-bot audit verify` prints, or the daily anchor post): they catch a rewrite of the
    whole chain after that point, or its truncation. `anchored_at` says when each was
    recorded: an entry after an anchor dated before it was appended back-dated.
    """
    report = VerifyReport()
    pending = dict(anchors or {})
    times = sorted((anchored_at or {}).items())
    with uow:
        prev_seq, prev_hash = 0, GENESIS
        for entry in _in_seq_order(uow, batch):
            report.entries += 1
            recorded = [at for seq, at in times if seq < entry.seq]
            if recorded and _utc(entry.at) < max(recorded) - CLOCK_SKEW:
                report.breaks.append(
                    Break(
                        entry.seq,
                        entry.id,
                        f"dated {_utc(entry.at):%Y-%m-%d %H:%M}, before the anchor recorded "
                        f"at {max(recorded):%Y-%m-%d %H:%M} for an earlier entry (back-dated)",
                    )
                )
            if entry.seq != prev_seq + 1:
                missing = (
                    f"seq {prev_seq + 1}"
                    if entry.seq == prev_seq + 2
                    else f"seq {prev_seq + 1} to {entry.seq - 1}"
                )
                if entry.seq > prev_seq + 1:
                    problem = f"missing entries before it ({missing} deleted?)"
                else:
                    problem = f"seq repeats or goes backwards after seq {prev_seq}"
                report.breaks.append(Break(entry.seq, entry.id, problem))
            if entry.prev_hash != prev_hash:
                report.breaks.append(
                    Break(
                        entry.seq,
                        entry.id,
                        "does not follow the entry before it (prev_hash differs: an entry "
                        "before it was removed, reordered or re-hashed)",
                    )
                )
            recomputed = entry_hash(entry.prev_hash, audit_fields(entry.seq, entry.at, entry))
            if recomputed != entry.hash:
                report.breaks.append(
                    Break(entry.seq, entry.id, "content does not match its hash (edited)")
                )
            anchored = pending.pop(entry.seq, None)
            if anchored is not None and not entry.hash.startswith(anchored.lower()):
                report.breaks.append(
                    Break(entry.seq, entry.id, "hash differs from the one recorded (rewritten)")
                )
            prev_seq, prev_hash = entry.seq, entry.hash
        report.tip_seq, report.tip_hash = prev_seq, prev_hash
        for seq in sorted(pending):
            report.breaks.append(Break(seq, None, "a recorded entry is missing (deleted)"))
        head = uow.session.get(AuditHead, 1)
        if head is None:
            report.breaks.append(Break(None, None, "the audit_head row is missing"))
        elif head.seq != prev_seq or head.hash != prev_hash:
            report.breaks.append(
                Break(
                    None,
                    None,
                    f"head says seq {head.seq} but the log ends at seq {prev_seq}"
                    if head.seq != prev_seq
                    else f"head hash differs from the last entry's hash (seq {prev_seq})",
                )
            )
    return report


CLOCK_SKEW = timedelta(minutes=5)


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _in_seq_order(uow: UnitOfWork, batch: int) -> Iterator[AuditEntry]:
    """Page by seq so a large log never sits in memory at once."""
    after: int | None = None
    while True:
        query = select(AuditEntry).order_by(AuditEntry.seq).limit(batch)
        if after is not None:
            query = query.where(AuditEntry.seq > after)
        rows = list(uow.session.scalars(query))
        if not rows:
            return
        yield from rows
        uow.session.expunge_all()
        after = rows[-1].seq


@dataclass(frozen=True)
class ExportFilter:
    """Which entries an export covers; at least one criterion is required."""

    subject_ref: str | None = None
    user: str | None = None
    from_: date | None = None
    to: date | None = None

    def describe(self) -> dict[str, str]:
        parts = {
            "subject": self.subject_ref,
            "user": self.user,
            "from": self.from_.isoformat() if self.from_ else None,
            "to": self.to.isoformat() if self.to else None,
        }
        return {k: v for k, v in parts.items() if v}


def export_audit(
    uow: UnitOfWork,
    actor: Actor,
    *,
    subject_ref: str | None = None,
    user: str | None = None,
    from_: date | None = None,
    to: date | None = None,
    purpose: str = "audit export",
    recipient: str = "export",
) -> list[dict[str, Any]]:
    """Entries about a subject, by a user, or in a date range; the export is itself audited."""
    wanted = ExportFilter(
        subject_ref.strip().upper() if subject_ref else None,
        user.strip() if user else None,
        from_,
        to,
    )
    with uow:
        rows = _export(uow, actor, wanted, purpose=purpose, recipient=recipient)
        uow.commit()
    return rows


def _export(
    uow: UnitOfWork, actor: Actor, wanted: ExportFilter, *, purpose: str, recipient: str
) -> list[dict[str, Any]]:
    require(actor, Action.VIEW_AUDIT)
    rows = [_row(entry) for entry in uow.session.scalars(_export_query(uow, wanted))]
    uow.audit(
        actor.slack_id,
        AuditAction.DISCLOSURE,
        "audit.exported",
        entity="audit_log",
        subject_ref=wanted.subject_ref,
        purpose=purpose[:200],
        recipient=recipient[:80],
        detail={**wanted.describe(), "entries": len(rows)},
    )
    return rows


def _export_query(uow: UnitOfWork, wanted: ExportFilter) -> Select[AuditEntry]:
    if not (wanted.subject_ref or wanted.user or wanted.from_ or wanted.to):
        raise InvalidInput(
            "Say what to export: a subject, a user, or a date range.",
            field="filter",
            example="--subject LOM-0001, --user U0OFF1, or --from 2026-11-01 --to 2026-11-30",
        )
    if wanted.from_ and wanted.to and wanted.from_ > wanted.to:
        raise InvalidInput("The start date is after the end date.", field="from")
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if wanted.subject_ref:
        query = query.where(AuditEntry.subject_ref == wanted.subject_ref)
    if wanted.user:
        query = query.where(AuditEntry.actor == wanted.user)
    tz = uow.clock.tz
    if wanted.from_:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.from_, time(), tz))
    if wanted.to:  # inclusive: the whole of the last day, in the force's time zone
        end = datetime.combine(wanted.to + timedelta(days=1), time(), tz)
        query = query.where(AuditEntry.at < end)
    return query


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "what": entry.what,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "subject_ref": entry.subject_ref,
        "purpose": entry.purpose,
        "recipient": entry.recipient,
        "detail": entry.detail,
        "hash": entry.hash,
    }


def subject_history(
    uow: UnitOfWork, actor: Actor, query: str, *, channel: str, limit: int = 40
) -> tuple[str, int, list[dict[str, Any]]]:
    """Who did what to one subject, for /lom audit: (ref, total, newest first)."""
    with uow:
        require(actor, Action.VIEW_AUDIT)
        require(actor, Action.VIEW_SUBJECT)  # an admin audits roles, not people's records
        subject = access_subject(uow, actor, query, purpose="supervisor audit query")
        rows = _export(
            uow,
            actor,
            ExportFilter(subject_ref=subject.ref),
            purpose="supervisor audit query in Slack",
            recipient=channel,
        )
        uow.commit()
    return subject.ref, len(rows), list(reversed(rows))[:limit]


def recent_refusals(
    uow: UnitOfWork, actor: Actor, *, channel: str, limit: int = 40
) -> tuple[int, list[dict[str, Any]]]:
    """The newest refused requests, for /lom audit refusals: (total, newest first)."""
    with uow:
        require(actor, Action.VIEW_AUDIT)
        refusal = AuditEntry.action == AuditAction.REFUSAL.value
        total = uow.session.scalar(select(func.count(AuditEntry.id)).where(refusal)) or 0
        newest = select(AuditEntry).where(refusal).order_by(AuditEntry.seq.desc()).limit(limit)
        rows = [_row(entry) for entry in uow.session.scalars(newest)]
        uow.audit(
            actor.slack_id,
            AuditAction.DISCLOSURE,
            "audit.refusals_shown",
            entity="audit_log",
            purpose="supervisor audit query in Slack",
            recipient=channel[:80],
            detail={"entries": len(rows)},
        )
        uow.commit()
    return total, rows
