"""s.22E: the charge an extension waits for. The order stays in force until the charge is
disposed of; expiry and closure wait for the disposal, and the due list chases it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.court_rules import check_disposal
from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import IllegalTransition, InvalidInput, NotFound
from lom_bot.domain.lifecycle import AFTER_GRANT, IN_FORCE
from lom_bot.services.orders.common import StepDone, find_order, record_event, writable_order
from lom_bot.services.orders.court import back_to_active
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.store.tables import Order, OrderCharge, Subject
from lom_bot.store.uow import UnitOfWork


def charges_of(uow: UnitOfWork, order: Order) -> list[OrderCharge]:
    return list(
        uow.session.scalars(
            select(OrderCharge).where(OrderCharge.order_id == order.id).order_by(OrderCharge.id)
        )
    )


def undisposed(uow: UnitOfWork, order: Order) -> list[OrderCharge]:
    """The charges the order is held in force for (s.22E)."""
    return [c for c in charges_of(uow, order) if c.disposed_on is None]


def describe(charge: OrderCharge) -> str:
    where = f" at {charge.court}" if charge.court else ""
    text_ = f"{charge.offence} (charged {format_date(charge.charged_on)}{where})"
    if charge.disposed_on:
        text_ += f": {charge.disposal}, {format_date(charge.disposed_on)}"
    return text_


def held_for(uow: UnitOfWork, order: Order) -> str | None:
    """Why the order cannot expire or close yet, when a charge is undisposed."""
    pending = undisposed(uow, order)
    if not pending:
        return None
    return (
        f"{order.ref} stays in force until the charge is disposed of (s.22E): "
        + "; ".join(describe(c) for c in pending)
        + f". Record it with `/lom order {order.ref} disposal outcome=... date=...`."
    )


def open_charge(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    order: Order,
    offence: str,
    charged_on: date,
    court: str | None,
) -> OrderCharge:
    """The charge an extension is made for, checked like every other recorded date."""
    check_event_date(
        charged_on,
        field="charged",
        label="date charged",
        today=uow.clock.today(),
        born=subject.born_on,
        not_before=order.made_on,
    )
    charge = OrderCharge(
        order_id=order.id,
        offence=text(offence, "charge", required=True) or "",
        charged_on=charged_on,
        court=text(court, "court"),
        recorded_by=actor.user_id,
        recorded_at=uow.clock.now(),
    )
    uow.session.add(charge)
    return charge


@dataclass(frozen=True)
class Extend:
    subject: str
    court: str
    made_on: date
    expires_on: date | None  # None: in force until the charge is disposed of, however long
    charge: str  # the offence charged
    charged_on: date | None = None  # default: the date of the extension
    charge_court: str | None = None  # where the charge is to be tried


def extend(uow: UnitOfWork, actor: Actor, cmd: Extend) -> StepDone:
    """s.22E: extended while a charge is pending; this may run past 5 years."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record extension", acts_on=IN_FORCE
        )
        writable_order(subject, order)
        if order.status not in IN_FORCE:
            raise IllegalTransition(
                f"Only an order in force can be extended under s.22E; "
                f"{order.ref} is {order.status.value.replace('_', ' ')}."
            )
        court = text(cmd.court, "court", required=True)
        charge = text(cmd.charge, "charge", required=True)
        check_event_date(
            cmd.made_on,
            field="made",
            label="date of the extension",
            today=uow.clock.today(),
            not_before=order.made_on,
        )
        if cmd.expires_on and order.expires_on and cmd.expires_on <= order.expires_on:
            raise InvalidInput(
                f"An extension must end after the current end date "
                f"{format_date(order.expires_on)}.",
                field="expires_on",
            )
        held = open_charge(
            uow,
            actor,
            subject,
            order,
            charge or "",
            cmd.charged_on or cmd.made_on,
            cmd.charge_court,
        )
        before = order.expires_on
        order.expires_on = cmd.expires_on or order.expires_on
        order.version += 1
        if order.pending_court_event == "extension":
            order.pending_court_event = None
        note = (
            f"Extended (s.22E) at {court} while a charge is pending: {describe(held)}; "
            + (
                f"{format_date(before)} -> {format_date(cmd.expires_on)}"
                if cmd.expires_on
                else "in force"
            )
            + " and in any case until the charge is disposed of"
        )
        back_to_active(uow, actor, subject, order, cmd.made_on, note, "extended_s22e")
        uow.commit()
        return StepDone(
            subject.ref, order.ref, order.status, f"{order.ref} version {order.version}: {note}."
        )


@dataclass(frozen=True)
class DisposeCharge:
    subject: str
    disposal: str  # e.g. "convicted, 2 years' custody", "acquitted", "discontinued"
    disposed_on: date
    charge: int | None = None  # which pending charge (1 = the first listed) when several


def _which(pending: list[OrderCharge], number: int | None) -> OrderCharge:
    """The charge disposed of: the only one pending, or the one named; never a guess."""
    if number is None and len(pending) == 1:
        return pending[0]
    listed = "; ".join(f"{n}: {describe(c)}" for n, c in enumerate(pending, start=1))
    if number is None or not 1 <= number <= len(pending):
        raise InvalidInput(
            f"{len(pending)} s.22E charges wait for their disposal ({listed}): say which with "
            "charge=<number>.",
            field="charge",
            example="charge=1",
        )
    return pending[number - 1]


def dispose_charge(uow: UnitOfWork, actor: Actor, cmd: DisposeCharge) -> StepDone:
    """The s.22E charge is disposed of: the order may now expire on its end date."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="charge disposal", acts_on=AFTER_GRANT
        )
        writable_order(subject, order)
        pending = undisposed(uow, order)
        if not pending:
            raise NotFound(f"{order.ref} has no s.22E charge waiting for its disposal.")
        disposal = text(cmd.disposal, "outcome", required=True) or ""
        check_disposal(disposal)
        charge = _which(pending, cmd.charge)
        check_event_date(
            cmd.disposed_on,
            field="date",
            label="date of disposal",
            today=uow.clock.today(),
            not_before=charge.charged_on,
            not_before_what="the charge",
        )
        if len(disposal) > 200:
            raise InvalidInput("Say the disposal in under 200 characters.", field="outcome")
        charge.disposal = disposal
        charge.disposed_on = cmd.disposed_on
        record_event(
            uow,
            actor,
            subject,
            order,
            "charge_disposed",
            effective_on=cmd.disposed_on,
            note=describe(charge),
        )
        uow.commit()
        left = len(pending) - 1
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref}: charge disposed of: {describe(charge)}."
            + (
                f" {left} more charge(s) still hold the order in force."
                if left
                else " The order now ends on its end date "
                f"({format_date(order.expires_on)}) or at the next expiry check if that has passed."
            ),
        )
