"""Recording to whom an item of intelligence was disseminated: a disclosure under s.62."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.config import AppConfig
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, HandlingCode
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.services.validation import not_future, text
from lom_bot.store.tables import Dissemination, Intelligence, Subject
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class ShareIntel:
    intel: str  # INT-00012
    recipient: str
    shared_on: date
    purpose: str
    handling: str | None = None  # P or C; the item's own code when not given


@dataclass(frozen=True)
class Shared:
    intel_ref: str
    subject_ref: str
    recipient: str
    handling: str


def recipients(config: AppConfig) -> list[str]:
    """Who intelligence may be recorded as shared with: each district, then app.yaml's list."""
    return [f"{d.name} district" for d in config.districts] + list(config.dissemination_recipients)


def _recipient(config: AppConfig, given: str) -> str:
    wanted = " ".join(given.split()).lower()
    for name in recipients(config):
        if wanted in (name.lower(), name.lower().removesuffix(" district")):
            return name
    raise InvalidInput(
        f"'{given[:40]}' is not on the list of recipients in app.yaml.",
        field="recipient",
        example=", ".join(recipients(config)),
    )


def record_dissemination(uow: UnitOfWork, actor: Actor, cmd: ShareIntel) -> Shared:
    """Record one dissemination (recipient, date, handling, purpose), audited as a disclosure."""
    with uow:
        require(actor, Action.LOG_INTEL)
        ref = cmd.intel.strip().upper()
        intel = uow.session.scalars(
            select(Intelligence).where(Intelligence.ref == ref)
        ).one_or_none()
        if intel is None:
            raise NotFound(f"There is no intelligence {cmd.intel[:20]}.", field="intel")
        owner = uow.session.get(Subject, intel.subject_id)
        assert owner is not None  # a foreign key
        subject = access_subject(uow, actor, owner.ref, purpose="record dissemination")
        recipient = _recipient(uow.config, cmd.recipient)
        today = uow.clock.today()
        not_future(cmd.shared_on, today, "date shared")
        recorded = intel.recorded_at.astimezone(uow.clock.tz).date()
        if cmd.shared_on < recorded:
            raise InvalidInput(
                f"{intel.ref} was recorded on {format_date(recorded)}: it cannot have been "
                f"shared on {format_date(cmd.shared_on)}.",
                field="date",
            )
        purpose = text(cmd.purpose, "purpose", required=True)
        handling = _handling(intel, cmd.handling)
        if uow.session.scalars(
            select(Dissemination.id).where(
                Dissemination.intelligence_id == intel.id,
                Dissemination.recipient == recipient,
                Dissemination.shared_on == cmd.shared_on,
            )
        ).first():
            raise AlreadyDone(
                f"{intel.ref} is already recorded as shared with {recipient} on "
                f"{format_date(cmd.shared_on)}. Nothing was added."
            )
        row = Dissemination(
            intelligence_id=intel.id,
            recipient=recipient,
            shared_on=cmd.shared_on,
            shared_by=actor.user_id,
            handling=handling,
            purpose=purpose,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.audit(
            actor.slack_id,
            AuditAction.DISCLOSURE,
            "intel.disseminated",
            entity="dissemination",
            entity_id=row.id,
            subject_ref=subject.ref,
            purpose=purpose,
            detail={
                "intel": intel.ref,
                "recipient": recipient,
                "shared_on": cmd.shared_on.isoformat(),
                "handling": handling,
            },
        )
        uow.commit()
        return Shared(intel.ref, subject.ref, recipient, handling)


def _handling(intel: Intelligence, given: str | None) -> str:
    """The handling code it went under; an item graded C keeps its conditions (never P)."""
    code = (given or intel.handling.value).strip().upper()[:1]
    if code not in ("P", "C"):
        raise InvalidInput(f"'{given}' is not a handling code.", field="handling", example="P or C")
    if intel.handling is HandlingCode.CONDITIONS and code == "P":
        raise InvalidInput(
            f"{intel.ref} is graded C: it is shared only under its handling conditions.",
            field="handling",
            example="C",
        )
    return code  # C's conditions are the item's own (Intelligence.handling_conditions)
