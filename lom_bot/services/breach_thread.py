"""What happens to a report's message afterwards: thread replies, edits and deletion.

Each is idempotent (a redelivered event changes nothing twice) and keeps history: an edit keeps
the earlier text, a deletion flags the report and erases nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lom_bot.domain.enums import AuditAction, BreachStatus
from lom_bot.services.breach_rematch import rematch_after_edit
from lom_bot.services.breach_routing import refresh_triage
from lom_bot.services.breach_sighting import linked_reports
from lom_bot.services.breaches import find_by_message, seen_before
from lom_bot.store.tables import BreachEdit, BreachReport, Subject
from lom_bot.store.uow import UnitOfWork


def _subject_ref(uow: UnitOfWork, report: BreachReport) -> str | None:
    subject = uow.session.get(Subject, report.subject_id) if report.subject_id else None
    return subject.ref if subject else None


def _already(uow: UnitOfWork, report: BreachReport, kind: str, ts: str | None) -> bool:
    if ts is None:
        return False
    return (
        uow.session.scalars(
            select(BreachEdit.id).where(
                BreachEdit.breach_id == report.id,
                BreachEdit.kind == kind,
                BreachEdit.message_ts == ts,
            )
        ).first()
        is not None
    )


def _record(
    uow: UnitOfWork, report: BreachReport, kind: str, text: str, user: str | None, ts: str | None
) -> None:
    uow.session.add(
        BreachEdit(
            breach_id=report.id,
            kind=kind,
            text=text,
            by_slack_id=user,
            at=uow.clock.now(),
            message_ts=ts,
        )
    )
    uow.audit(
        user or "system",
        AuditAction.ALTERATION if kind != "reply" else AuditAction.COLLECTION,
        f"breach.{kind}",
        entity="breach_report",
        entity_id=report.id,
        subject_ref=_subject_ref(uow, report),
        detail={"message_ts": ts},
    )


def attach_reply(
    uow: UnitOfWork,
    channel: str,
    thread_ts: str,
    ts: str,
    user: str | None,
    text: str,
    *,
    event_id: str | None = None,
) -> str | None:
    """A thread reply under a report joins it; answers a request for more information."""
    try:
        with uow:
            if seen_before(uow, event_id):
                return None
            report = find_by_message(uow, channel, thread_ts)
            if report is None:
                return None
            if not _already(uow, report, "reply", ts):
                # a reply under the message is about every report made from it
                for each in [report, *linked_reports(uow, report)]:
                    _record(uow, each, "reply", (text or "").strip()[:40_000], user, ts)
                    if each.status is BreachStatus.NEED_INFO:
                        each.status = BreachStatus.NEW if each.subject_id else BreachStatus.POSSIBLE
                    refresh_triage(uow, each, user or "system")
            uow.commit()
            return report.ref
    except IntegrityError:
        return None  # the same event, delivered twice at once: the other delivery recorded it


def record_edit(
    uow: UnitOfWork,
    channel: str,
    ts: str,
    new_text: str,
    user: str | None,
    *,
    edit_ts: str | None,
    event_id: str | None = None,
) -> str | None:
    """The reporter edited their message: the report takes the new text, the old is kept, and
    the new text is matched again (breach_rematch).

    Returns the report's reference, or None when the message is not a report.
    """
    try:
        with uow:
            if seen_before(uow, event_id):
                return None
            report = find_by_message(uow, channel, ts)
            if report is None:  # not a report: the caller decides what it is (nothing stored)
                return None
            new = (new_text or "").strip()
            if new and new != report.text and not _already(uow, report, "edit", edit_ts):
                _record(uow, report, "edit", report.text, user, edit_ts)
                report.text = new[:40_000]
                rematch_after_edit(uow, report, user)
                refresh_triage(uow, report, user or "system")
            uow.commit()
            return report.ref
    except IntegrityError:
        return None


def record_deletion(
    uow: UnitOfWork,
    channel: str,
    ts: str,
    *,
    delete_ts: str | None,
    user: str | None = None,
    event_id: str | None = None,
) -> str | None:
    """The message was deleted in Slack: the report is flagged, never erased."""
    try:
        with uow:
            if seen_before(uow, event_id):
                return None
            report = find_by_message(uow, channel, ts)
            if report is None:  # not a report: the caller decides what it is (nothing stored)
                return None
            for each in [report, *linked_reports(uow, report)] if not report.deleted else []:
                each.deleted = True
                _record(uow, each, "deleted", each.text, user, delete_ts)
                refresh_triage(uow, each, user or "system")
            uow.commit()
            return report.ref
    except IntegrityError:
        return None
