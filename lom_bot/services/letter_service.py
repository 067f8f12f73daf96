"""A letter's service record: how and when it was served. A letter is issued when served, so
the confirmation of expiry ticks its closure step here, not when it is generated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.services.validation import not_future
from lom_bot.store.tables import Document, Subject
from lom_bot.store.uow import UnitOfWork

SERVICE_WAYS = ("in person", "recorded delivery", "first class post", "left at the address")
_REF = re.compile(r"^\s*LET-?0*(\d{1,9})\s*$", re.IGNORECASE)


def letter_ref(document_id: int) -> str:
    return f"LET-{document_id:05d}"


@dataclass(frozen=True)
class ServeLetter:
    letter: str  # LET-00003
    how: str
    served_on: date


def serve_letter(uow: UnitOfWork, actor: Actor, cmd: ServeLetter) -> str:
    """Record how and when a letter was served; audited; the expiry letter's step ticked."""
    from lom_bot.services.letters import EXPIRY, tick_expiry_step

    with uow:
        require(actor, Action.GENERATE_LETTER)
        match = _REF.match(cmd.letter or "")
        document = uow.session.get(Document, int(match.group(1))) if match else None
        if document is None:
            raise NotFound(
                f"There is no letter {cmd.letter[:20]}.", field="letter", example="LET-00003"
            )
        owner = uow.session.get_one(Subject, document.subject_id)
        subject = access_subject(uow, actor, owner.ref, purpose="record a letter's service")
        how = " ".join(cmd.how.lower().replace("_", " ").split())
        if how not in SERVICE_WAYS:
            raise InvalidInput(
                f"'{cmd.how[:30]}' is not a way of serving a letter.",
                field="how",
                example=", ".join(SERVICE_WAYS),
            )
        not_future(cmd.served_on, uow.clock.today(), "date served")
        made = document.created_at.astimezone(uow.clock.tz).date()
        if cmd.served_on < made:
            raise InvalidInput(
                f"{letter_ref(document.id)} was written on {format_date(made)}: it cannot have "
                f"been served on {format_date(cmd.served_on)}.",
                field="date",
            )
        if document.served_on is not None:
            raise AlreadyDone(
                f"{letter_ref(document.id)} was already served {document.served_how} on "
                f"{format_date(document.served_on)}."
            )
        document.served_on, document.served_how = cmd.served_on, how
        document.served_by = actor.user_id
        if document.kind == EXPIRY:
            tick_expiry_step(uow, actor, subject, cmd.served_on, letter_ref(document.id))
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "letter.served",
            entity="document",
            entity_id=document.id,
            subject_ref=subject.ref,
            detail={"how": how, "on": cmd.served_on.isoformat(), "kind": document.kind},
        )
        uow.commit()
        return (
            f"{letter_ref(document.id)} ({document.kind.replace('_', ' ')}, {subject.ref}) "
            f"recorded as served {how} on {format_date(cmd.served_on)}: it is now issued."
        )
