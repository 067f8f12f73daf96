"""What the order card adds so a supervisor can see what replaced what and what is still
owed: supersede links both ways, a missing release date, the education visit after an
override or transfer in, s.22E charges and their disposal, a which-order-governs question."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import Commencement, OrderStatus
from lom_bot.domain.lifecycle import IN_FORCE
from lom_bot.domain.workdays import add_working_days
from lom_bot.services.orders.charges import charges_of, describe
from lom_bot.services.orders.next_steps import Step
from lom_bot.services.orders.visit import visit_done, visits_of
from lom_bot.services.permissions import Action
from lom_bot.store.tables import Order, Transfer
from lom_bot.store.uow import UnitOfWork

AWAITING = frozenset(
    {
        OrderStatus.GRANTED,
        OrderStatus.RECORDED,
        OrderStatus.AWAITING_ACTIVATION,
        OrderStatus.EDUCATED,
    }
)
M = Action.MANAGE_ORDER


@dataclass
class OrderOwes:
    links: list[str] = field(default_factory=list)
    owed: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def _state(order: Order) -> str:
    return order.status.value.replace("_", " ")


def owed_by(uow: UnitOfWork, order: Order) -> OrderOwes:
    """The links and the things still owed on this order, with the steps that settle them."""
    out = OrderOwes()
    if order.supersedes_id is not None:
        old = uow.session.get_one(Order, order.supersedes_id)
        line = f"Replaces {old.ref} ({_state(old)})"
        if old.status in IN_FORCE:
            line += ": monitoring continues from it until this order is active"
        out.links.append(line + ".")
    for new in uow.session.scalars(select(Order).where(Order.supersedes_id == order.id)):
        out.links.append(f"Replaced by {new.ref} ({_state(new)}).")
    if order.governs_question:
        out.owed.append(f"A supervisor decides {order.governs_question}.")
        out.steps.append(Step("governs", "Decide which order governs", Action.OVERRIDE_GATE))
    if (
        order.status in AWAITING
        and order.commencement is Commencement.ON_RELEASE
        and order.starts_on is None
    ):
        out.owed.append("A release date: none is held, so no horizon or digest can count down.")
    if order.status in IN_FORCE and visit_done(uow, order) is None:
        arrived = uow.session.scalar(
            select(Transfer.started_on)
            .where(Transfer.subject_id == order.subject_id, Transfer.direction == "in")
            .order_by(Transfer.started_on.desc())
        )
        if order.education_override or arrived or visits_of(uow, order):
            since = max(order.activated_on or uow.clock.today(), arrived or uow.clock.today())
            days = uow.config.due.education_visit_after_activation_working_days
            out.owed.append(
                f"The education visit (due by {format_date(add_working_days(since, days))})."
            )
            out.steps += [
                Step("visit_book", "Book education visit", M),
                Step("visit_record", "Record education visit", M),
            ]
    charges = charges_of(uow, order)
    for charge in charges:
        if charge.disposed_on is None:
            out.owed.append(
                f"The disposal of the s.22E charge {describe(charge)}: the order stays in "
                "force until then."
            )
        else:
            out.links.append(f"s.22E charge {describe(charge)}.")
    if any(c.disposed_on is None for c in charges):
        out.steps.append(Step("disposal", "Charge disposed of", M))
    return out
