"""Release dates: recorded as they move (home detention curfew, parole, recall, the 40% rule)
and corrected when one was wrong; every earlier date kept, the newest of each kind counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ReleaseDateKind
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.record_history import keep
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import text
from lom_bot.store import queries
from lom_bot.store.tables import ReleaseDate
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class ReleaseChange:
    ref: str
    kind: ReleaseDateKind
    before: date | None
    after: date


def record_release_date(
    uow: UnitOfWork,
    actor: Actor,
    query: str,
    kind: ReleaseDateKind,
    on: date,
    *,
    reason: str | None = None,
    correction: bool = False,
) -> ReleaseChange:
    """Record a (changed) release date, or correct a wrong one (a reason required); every
    earlier date is kept as its own row and in the history, the newest counts."""
    with uow:
        require(actor, Action.EDIT_SUBJECT)
        why = text(reason, "reason", required=correction)
        subject = access_subject(uow, actor, query, purpose="record release date")
        writable(subject)
        before = queries.release_dates(uow.session, [subject.id]).get(subject.id, {}).get(kind)
        if correction and before is None:
            raise InvalidInput(
                f"{subject.ref} has no {kind.value.upper()} recorded to correct; record it.",
                field="kind",
            )
        if before == on:
            raise InvalidInput(
                f"The {kind.value.upper()} is already {format_date(on)}.", field="date"
            )
        row = ReleaseDate(
            subject_id=subject.id,
            kind=kind,
            on=on,
            recorded_at=uow.clock.now(),
            recorded_by=actor.user_id,
        )
        uow.session.add(row)
        uow.session.flush()
        keep(
            uow,
            actor,
            subject,
            entity="release_date",
            entity_id=row.id,
            record_ref=subject.ref,
            field=f"release {kind.value.upper()}",
            before=format_date(before) if before else None,
            after=format_date(on),
            reason=why,
            correction=correction,
        )
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "subject.release_date_corrected" if correction else "subject.release_date",
            entity="subject",
            entity_id=subject.id,
            subject_ref=subject.ref,
            detail={
                "kind": kind.value,
                "from": format_date(before),
                "to": format_date(on),
                **({"reason": why[:500]} if why else {}),
            },
        )
        uow.commit()
        return ReleaseChange(subject.ref, kind, before, on)
