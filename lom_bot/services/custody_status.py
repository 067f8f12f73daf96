"""The one rule for a change of custody status from a recorded event (a custody sentence, a
recall): the subject's status moves, the change is audited with what caused it, and what is
due in the community (contacts, home visits, reporting duties) pauses while in custody."""

from __future__ import annotations

from lom_bot.domain.enums import AuditAction, CustodyStatus
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Subject
from lom_bot.store.uow import UnitOfWork


def apply_custody_change(
    uow: UnitOfWork, actor: Actor, subject: Subject, status: CustodyStatus, cause: str
) -> str | None:
    """Move the subject's custody status; a sentence to say so, or None when unchanged."""
    before = subject.custody_status
    if before is status:
        return None
    subject.custody_status = status
    uow.audit(
        actor.slack_id,
        AuditAction.ALTERATION,
        "subject.custody_status",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
        detail={"from": before.value, "to": status.value, "cause": cause[:200]},
    )
    paused = status in (CustodyStatus.IN_CUSTODY, CustodyStatus.RECALLED)
    return f"{subject.ref} is now recorded as {status.value.replace('_', ' ')} ({cause})" + (
        "; contacts, home visits and reporting duties in the community pause." if paused else "."
    )
