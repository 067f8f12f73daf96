"""Subjects created and kept current in chat: a new subject checked for duplicates as the
importer does, and each detail changed (the facts moved) or corrected (it was wrong), the
earlier value kept with who, when and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction, CustodyStatus, RiskLevel
from lom_bot.domain.errors import Duplicate, InvalidInput
from lom_bot.domain.identifiers import valid_pnc
from lom_bot.services.corrections import shown
from lom_bot.services.importer.dedupe import SubjectIndex
from lom_bot.services.importer.rows import ValidRow
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.record_history import keep
from lom_bot.services.subject_links import add_links
from lom_bot.services.subjects import NewSubject, access_subject, create_subject, writable
from lom_bot.services.validation import text
from lom_bot.store.tables import Subject, User
from lom_bot.store.uow import UnitOfWork

# field -> (attribute, type); `officer` takes a Slack user id
FIELDS: dict[str, tuple[str, type]] = {
    "given_names": ("given_names", str),
    "family_name": ("family_name", str),
    "born": ("born_on", date),
    "pnc": ("pnc_id", str),
    "niche": ("niche_id", str),
    "visor": ("visor_ref", str),
    "prison_number": ("prison_number", str),
    "address": ("address", str),
    "district": ("district", str),
    "description": ("description", str),
    "risk": ("risk_level", RiskLevel),
    "custody": ("custody_status", CustodyStatus),
    "officer": ("officer_id", str),
}
REQUIRED = {"given_names", "family_name", "district"}


def new_subject(
    uow: UnitOfWork,
    actor: Actor,
    new: NewSubject,
    *,
    allow_possible: bool = False,
    vehicles: tuple[str, ...] = (),
    associates: tuple[str, ...] = (),
) -> Subject:
    """Create a subject from the chat form: PNC check letter checked; the same PNC ID, or the
    same name and date of birth, is the existing record (offered, not duplicated); a similar
    name with the same date of birth is held back unless the officer says it is someone else."""
    with uow:
        require(actor, Action.EDIT_SUBJECT)
        if new.pnc_id:
            new = replace(new, pnc_id=valid_pnc(new.pnc_id))
        index = SubjectIndex(uow.session, uow.config.matching.name_threshold)
        found = index.match(ValidRow(0, new, None))
        held = found.known if found is not None else None
        if (
            found is not None
            and held is not None
            and (found.kind != "possible" or not allow_possible)
        ):
            different = " If this is someone else, tick 'a different person' and submit again."
            raise Duplicate(
                f"{held.label} is already held ({found.why}): open it with "
                f"`/lom subject {held.ref}`. Nothing was added."
                + (different if found.kind == "possible" else ""),
                field="pnc_id" if "PNC" in found.why else "family_name",
            )
        subject = create_subject(uow, actor, new, commit=False)
        add_links(uow, actor, subject, vehicles, associates)
        uow.commit()
        return subject


def change_subject(
    uow: UnitOfWork,
    actor: Actor,
    query: str,
    field: str,
    value: object,
    *,
    reason: str | None = None,
    correction: bool = False,
) -> str:
    """Change one detail (custody, risk, address...) or correct it (a reason required)."""
    if field not in FIELDS:
        names = ", ".join(FIELDS)
        raise InvalidInput(
            f"A subject has no '{field[:30]}' to change; one of: {names}.", field="field"
        )
    done = edit_subject(
        uow, actor, query, {field: value}, reason=reason, correction=correction, on="value"
    )
    return done[0]


def edit_subject(
    uow: UnitOfWork,
    actor: Actor,
    query: str,
    changes: dict[str, object],
    *,
    reason: str | None = None,
    correction: bool = False,
    on: str | None = None,
) -> list[str]:
    """Change (or correct) several details at once, in one transaction; unchanged ones are
    left alone. A refused value is reported on its own field (or on `on`)."""
    with uow:
        require(actor, Action.EDIT_SUBJECT)
        why = text(reason, "reason", required=correction)
        subject = access_subject(uow, actor, query, purpose="edit subject")
        writable(subject)
        done = []
        for field, value in changes.items():
            line = _change(uow, actor, subject, field, value, why, correction, on or field)
            if line:
                done.append(line)
        if not done:
            first = on or next(iter(changes), "value")
            shown_value = shown(next(iter(changes.values()), None)) if len(changes) == 1 else None
            already = f" is already {shown_value}" if shown_value else ": nothing changed"
            raise InvalidInput(f"{subject.ref}'s {first.replace('_', ' ')}{already}.", field=first)
        subject.version += 1
        uow.commit()
        return done


def _change(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    field: str,
    value: object,
    why: str | None,
    correction: bool,
    error_field: str,
) -> str | None:
    """One detail changed and kept in the history; None when it is unchanged."""
    attr, kind = FIELDS[field]
    try:
        new = _checked(uow, subject, field, kind, value)
    except InvalidInput as exc:
        exc.field = error_field
        raise
    before = getattr(subject, attr)
    if before == new:
        return None
    setattr(subject, attr, new)
    if field == "officer":
        before, new = _officer_name(uow, before), _officer_name(uow, new)
    secret = field in ("address", "description")  # kept in the history, not in the audit
    keep(
        uow,
        actor,
        subject,
        entity="subject",
        entity_id=subject.id,
        record_ref=subject.ref,
        field=field,
        before=shown(before),
        after=shown(new),
        reason=why,
        correction=correction,
    )
    uow.audit(
        actor.slack_id,
        AuditAction.ALTERATION,
        "subject.corrected" if correction else "subject.updated",
        entity="subject",
        entity_id=subject.id,
        subject_ref=subject.ref,
        detail={
            "field": field,
            "from": "(kept in history)" if secret else shown(before),
            "to": "(kept in history)" if secret else shown(new),
            **({"reason": why[:500]} if why else {}),
        },
    )
    verb = "corrected" if correction else "changed"
    return (
        f"{subject.ref} {field.replace('_', ' ')} {verb} from {shown(before) or 'blank'} "
        f"to {shown(new) or 'blank'}; the earlier value is kept in the history."
    )


def details_of(uow: UnitOfWork, actor: Actor, query: str) -> dict[str, str]:
    """The subject's details as an edit form shows them; the read is audited."""
    with uow:
        require(actor, Action.EDIT_SUBJECT)
        subject = access_subject(uow, actor, query, purpose="edit subject form")
        uow.commit()
        return {
            "subject": subject.ref,
            "given_names": subject.given_names,
            "family_name": subject.family_name,
            "born": subject.born_on.strftime("%d/%m/%Y") if subject.born_on else "",
            "pnc": subject.pnc_id or "",
            "niche": subject.niche_id or "",
            "visor": subject.visor_ref or "",
            "prison_number": subject.prison_number or "",
            "address": subject.address or "",
            "district": subject.district,
            "description": subject.description or "",
            "risk": subject.risk_level.value,
            "custody": subject.custody_status.value,
        }


def _checked(uow: UnitOfWork, subject: Subject, field: str, kind: type, value: object) -> object:
    """The new value, checked by the same rules as a new subject's."""
    if kind is str:
        cleaned = text(str(value or ""), field.replace("_", " "), required=field in REQUIRED)
        if field == "pnc" and cleaned:
            pnc = valid_pnc(cleaned)
            held = uow.session.scalars(
                select(Subject.ref).where(Subject.pnc_id == pnc, Subject.id != subject.id)
            ).first()
            if held:
                raise Duplicate(f"PNC ID {pnc} already belongs to {held}.", field="value")
            return pnc
        if field == "district":
            district = uow.config.district(cleaned or "")
            if district is None:
                names = ", ".join(d.name for d in uow.config.districts)
                raise InvalidInput(f"Use one of: {names}.", field="value", example="Leeds")
            return district.name
        if field == "officer":
            user = uow.session.scalars(select(User).where(User.slack_id == cleaned)).first()
            if user is None or user.role is None:
                raise InvalidInput(f"{cleaned} is not a lom-bot user.", field="value")
            return user.id
        return cleaned
    if not isinstance(value, kind):
        raise InvalidInput(f"That is not a {field.replace('_', ' ')}.", field="value")
    if isinstance(value, date) and value >= uow.clock.today():
        raise InvalidInput("The date of birth must be in the past.", field="value")
    return value


def _officer_name(uow: UnitOfWork, user_id: object) -> str | None:
    user = uow.session.get(User, user_id) if isinstance(user_id, int) else None
    return user.name if user else None
