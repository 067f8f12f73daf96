"""Transfers between forces: the pack checklist, acceptance, and the separate-order flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain import forces
from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ChecklistKind, CustodyStatus, OrderStatus
from lom_bot.domain.errors import Duplicate, GateClosed, InvalidInput, NotFound
from lom_bot.domain.forces import Force
from lom_bot.domain.lifecycle import AFTER_GRANT, ENDED, GRANTED_NOT_ENDED, check_transition
from lom_bot.services.orders.application import ConditionDraft
from lom_bot.services.orders.arriving import (
    ArrivingOrder,
    ask_which_governs,
    record_arriving_order,
)
from lom_bot.services.orders.checklists import latest_checklist, open_checklist, steps_of
from lom_bot.services.orders.common import (
    StepDone,
    find_order,
    move,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.validation import not_future, text
from lom_bot.store import queries
from lom_bot.store.tables import EducationVisit, Transfer
from lom_bot.store.uow import UnitOfWork

PACK = (
    "Order and variations",
    "Application",
    "MG5 case summary",
    "Warning letters",
    "Subject profile",
    "Risk assessment",
    "Contact log extract",
    "ViSOR transfer",
)
SEPARATE_ORDER_WARNING = (
    "An SCPO made in England and Wales does not protect {place}: a separate order is needed "
    "there. Tell the receiving force so they can apply for one; handing over the pack is not "
    "enough."
)


SEPARATE_ORDER_ARRIVING = (
    "An order made by {force} protects {place}, not England and Wales: apply for an SCPO "
    "here before relying on it."
)


def destination_of(force_name: str, destination: str | None) -> Force:
    """The force from the list; a destination, if also given, must be that force's own."""
    found = forces.force(force_name)
    if destination:
        key = destination.strip().lower().replace(" ", "_")
        if key not in forces.JURISDICTIONS:
            raise InvalidInput(
                "Destination is one of " + ", ".join(forces.JURISDICTIONS) + ".",
                field="destination",
                example="scotland",
            )
        if key != found.jurisdiction:
            raise InvalidInput(
                f"{found.name} polices {found.place}, not {forces.JURISDICTIONS[key]}.",
                field="destination",
            )
    return found


@dataclass(frozen=True)
class TransferIn:
    subject: str
    from_force: str
    requested_on: date
    court: str | None = None  # with the order's facts, the order is recorded here
    made_on: date | None = None
    activated_on: date | None = None
    expires_on: date | None = None
    conditions: tuple[ConditionDraft, ...] = ()


def transfer_in(uow: UnitOfWork, actor: Actor, cmd: TransferIn) -> StepDone:
    """A subject arrives from another force: request the pack; prompt a local education visit."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject = access_subject(uow, actor, cmd.subject, purpose="transfer in")
        writable(subject)
        origin = forces.force(cmd.from_force)
        force = origin.name
        check_event_date(
            cmd.requested_on,
            field="requested",
            label="date the pack was requested",
            today=uow.clock.today(),
            born=subject.born_on,
        )
        arriving = ArrivingOrder(
            cmd.court, cmd.made_on, cmd.activated_on, cmd.expires_on, cmd.conditions
        )
        order = queries.current_order(uow.session, subject.id)
        if order is not None and order.status in ENDED:
            order = None
        question = None
        if order is None:
            order = record_arriving_order(uow, subject, origin, arriving)
        elif arriving.given:  # never dropped: recorded as its own order, a supervisor decides
            held = order
            order = record_arriving_order(uow, subject, origin, arriving)
            question = ask_which_governs(uow, actor, subject, held, order)
        checklist = open_checklist(
            uow, ChecklistKind.TRANSFER_IN, subject, order, PACK, requested_on=cmd.requested_on
        )
        uow.session.add(
            Transfer(
                subject_id=subject.id,
                direction="in",
                other_force=force,
                checklist_id=checklist.id,
                started_on=cmd.requested_on,
                needs_separate_order=origin.outside_england_wales,
            )
        )
        uow.session.add(EducationVisit(order_id=order.id, officer_id=actor.user_id))
        record_event(
            uow,
            actor,
            subject,
            order,
            "transfer_in_started",
            effective_on=cmd.requested_on,
            note=f"From {force}; pack requested",
            action=AuditAction.COLLECTION,
        )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{subject.ref} transferring in from {force}: pack of {len(PACK)} items "
            f"requested {format_date(cmd.requested_on)}. A new local education visit "
            f"is due: book it with `/lom order {subject.ref} visit book dd/mm/yyyy`."
            + (f" {question}" if question else "")
            + (
                f" {SEPARATE_ORDER_ARRIVING.format(force=force, place=origin.place)}"
                if origin.outside_england_wales
                else ""
            ),
        )


@dataclass(frozen=True)
class TransferOut:
    subject: str
    to_force: str
    destination: str | None = None  # optional: must agree with the force's jurisdiction


def transfer_out(uow: UnitOfWork, actor: Actor, cmd: TransferOut) -> StepDone:
    """The subject is moving to another force: open the pack to send, flag another jurisdiction."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="transfer out", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        check_transition(order.status, OrderStatus.TRANSFERRED_OUT)
        to = destination_of(cmd.to_force, cmd.destination)
        force = to.name
        open_out = uow.session.scalars(
            select(Transfer.id).where(
                Transfer.subject_id == subject.id,
                Transfer.direction == "out",
                Transfer.accepted_on.is_(None),
            )
        ).first()
        if open_out is not None:
            raise Duplicate(f"{subject.ref} already has a transfer out under way.")
        separate = to.outside_england_wales
        checklist = open_checklist(uow, ChecklistKind.TRANSFER_OUT, subject, order, PACK)
        uow.session.add(
            Transfer(
                subject_id=subject.id,
                direction="out",
                other_force=force,
                checklist_id=checklist.id,
                started_on=uow.clock.today(),
                needs_separate_order=separate,
            )
        )
        note = f"To {force}" + (" (needs a separate order there)" if separate else "")
        record_event(uow, actor, subject, order, "transfer_out_started", note=note)
        message = (
            f"{subject.ref} transferring out to {force}: send the {len(PACK)}-item pack, "
            "then record the receiving force's acceptance."
        )
        if separate:
            message = SEPARATE_ORDER_WARNING.format(place=to.place) + " " + message
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, message)


@dataclass(frozen=True)
class AcceptTransfer:
    subject: str
    accepted_on: date
    reference: str | None = None  # the receiving force's reference, kept in the event


def accept_transfer(uow: UnitOfWork, actor: Actor, cmd: AcceptTransfer) -> StepDone:
    """The receiving force accepted: the order is transferred out, the record read-only here."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="transfer accepted", acts_on=AFTER_GRANT
        )
        writable_order(subject, order)
        transfer = uow.session.scalars(
            select(Transfer)
            .where(
                Transfer.subject_id == subject.id,
                Transfer.direction == "out",
                Transfer.accepted_on.is_(None),
            )
            .order_by(Transfer.id.desc())
        ).first()
        if transfer is None:
            raise NotFound(f"{subject.ref} has no transfer out under way.")
        not_future(cmd.accepted_on, uow.clock.today(), "date accepted")
        their_ref = text(cmd.reference, "reference")
        checklist = latest_checklist(uow, order, ChecklistKind.TRANSFER_OUT)
        steps = steps_of(uow, checklist) if checklist else []
        unsent = [s.name for s in steps if s.done_on is None]
        if unsent:
            raise GateClosed("The pack is not all sent yet: " + ", ".join(unsent) + ".")
        transfer.accepted_on = cmd.accepted_on
        if checklist is not None:
            checklist.completed_on = checklist.completed_on or cmd.accepted_on
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.TRANSFERRED_OUT,
            "transferred_out",
            effective_on=cmd.accepted_on,
            note=f"Accepted by {transfer.other_force} on {format_date(cmd.accepted_on)}"
            + (f"; their reference {their_ref}" if their_ref else ""),
        )
        subject.read_only = True
        subject.custody_status = CustodyStatus.MOVED_OUT
        message = (
            f"{subject.ref} accepted by {transfer.other_force}; {order.ref} is transferred "
            "out and the record is now read-only for this force."
        )
        if transfer.needs_separate_order:
            message += " Reminder: a separate order is needed in the new jurisdiction."
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, message)
