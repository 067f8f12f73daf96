"""Vehicles a subject uses and people they may not associate with: added and removed in chat,
each change kept in the history (a removed vehicle keeps its row, with the date)."""

from __future__ import annotations

import re

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput, NotFound
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.record_history import keep
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import text
from lom_bot.store.tables import Associate, Subject, Vehicle
from lom_bot.store.uow import UnitOfWork

_PLATE = re.compile(r"^[A-Z0-9]{2,8}$")


def plate(registration: str) -> str:
    """A registration mark as written on the plate, checked for shape (UK and foreign)."""
    joined = "".join(registration.split()).upper()
    if not (_PLATE.match(joined) and any(c.isdigit() for c in joined)):
        raise InvalidInput(
            f"'{registration[:20]}' is not a registration mark.",
            field="vehicles",
            example="YX19 ABC",
        )
    return joined


def add_links(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    vehicles: tuple[str, ...] = (),
    associates: tuple[str, ...] = (),
) -> list[str]:
    """Add vehicles ("YX19 ABC white Transit") and non-associates (call inside `with uow`)."""
    done = []
    now = uow.clock.now()
    for entry in vehicles:
        mark, _, description = entry.strip().partition(" ")
        words = entry.split()
        # "YX19 ABC white van": a UK mark is two words; try them first
        if len(words) >= 2 and _PLATE.match(f"{words[0]}{words[1]}".upper()) and len(words[0]) == 4:
            mark, description = f"{words[0]} {words[1]}", " ".join(words[2:])
        registration = plate(mark)
        uow.session.add(
            Vehicle(
                subject_id=subject.id,
                registration=registration,
                description=text(description, "vehicle description"),
                added_at=now,
            )
        )
        done.append(_kept(uow, actor, subject, "vehicle", None, registration, "added"))
    for name in associates:
        cleaned = text(name, "name", required=True) or ""
        uow.session.add(Associate(subject_id=subject.id, name=cleaned[:120]))
        done.append(_kept(uow, actor, subject, "non-associate", None, cleaned, "added"))
    return done


def change_links(
    uow: UnitOfWork, actor: Actor, query: str, what: str, verb: str, value: str
) -> str:
    """`vehicle add|remove <mark>` or `associate add <name>` on one subject."""
    with uow:
        require(actor, Action.EDIT_SUBJECT)
        subject = access_subject(uow, actor, query, purpose="edit subject")
        writable(subject)
        if what == "vehicle" and verb == "remove":
            registration = plate(value)
            row = uow.session.scalars(
                select(Vehicle).where(
                    Vehicle.subject_id == subject.id,
                    Vehicle.registration == registration,
                    Vehicle.removed_at.is_(None),
                )
            ).first()
            if row is None:
                raise NotFound(f"{subject.ref} has no vehicle {registration}.", field="value")
            row.removed_at = uow.clock.now()
            line = _kept(uow, actor, subject, "vehicle", registration, None, "removed")
        elif verb == "add" and what in ("vehicle", "associate"):
            links = {"vehicles": (value,)} if what == "vehicle" else {"associates": (value,)}
            line = add_links(uow, actor, subject, **links)[0]
        else:
            raise InvalidInput(
                "Say `vehicle add <mark> [description]`, `vehicle remove <mark>` or "
                "`associate add <name>`.",
                field="value",
            )
        uow.commit()
        return line


def _kept(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    field: str,
    before: str | None,
    after: str | None,
    verb: str,
) -> str:
    keep(
        uow,
        actor,
        subject,
        entity="subject",
        entity_id=subject.id,
        record_ref=subject.ref,
        field=field,
        before=before,
        after=after,
        reason=None,
        correction=False,
    )
    uow.audit(
        actor.slack_id,
        AuditAction.ALTERATION,
        f"subject.{field.replace('-', '_')}_{verb}",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
    )
    return f"{subject.ref}: {field} {after or before} {verb}; kept in the history."
