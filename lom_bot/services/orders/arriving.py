"""An order arriving with a subject from another force, recorded as that force's order: its
court, dates and the court's own wording, checked as every other route checks them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.date_sanity import check_event_date, check_made_on
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.errors import InvalidInput, NotFound
from lom_bot.domain.forces import Force
from lom_bot.domain.lifecycle import ENDED, check_age, check_duration
from lom_bot.domain.order_dates import check_still_in_force
from lom_bot.domain.templates import template
from lom_bot.domain.wording import check_final_wording
from lom_bot.services.orders.application import ConditionDraft
from lom_bot.services.orders.common import (
    StepDone,
    find_order,
    move,
    next_order_ref,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.store.tables import Condition, Order, Subject
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class ArrivingOrder:
    """What the other force's order says (its certified copy)."""

    court: str | None
    made_on: date | None
    activated_on: date | None
    expires_on: date | None
    conditions: tuple[ConditionDraft, ...]

    @property
    def given(self) -> bool:
        return bool(self.court or self.made_on or self.conditions)


def record_arriving_order(
    uow: UnitOfWork, subject: Subject, origin: Force, arriving: ArrivingOrder
) -> Order:
    """The other force's order as its own record; refused if any fact cannot be right."""
    today = uow.clock.today()
    court = text(arriving.court, "court")
    if not (court and arriving.made_on and arriving.conditions):
        raise InvalidInput(
            "Give the arriving order's court, date made and conditions (each with the court's "
            "wording) so it can be recorded.",
            field="court",
        )
    born = subject.born_on
    check_made_on(arriving.made_on, today=today, born=born)
    check_age(born, arriving.made_on)
    if arriving.activated_on is not None:
        check_event_date(
            arriving.activated_on,
            field="activated",
            label="date the order came into force",
            today=today,
            born=born,
            not_before=arriving.made_on,
        )
    if arriving.activated_on is not None and arriving.expires_on is None:
        raise InvalidInput(
            "An order in force has a last day in force: give it as expires=<date>.",
            field="expires",
        )
    if arriving.expires_on is not None:
        if arriving.activated_on is None:
            raise InvalidInput(
                "An end date needs the date the order came into force.", field="activated"
            )
        check_duration(arriving.activated_on, arriving.expires_on)
        check_still_in_force(arriving.expires_on, today, what="The arriving order")
    wordings = []
    for number, draft in enumerate(arriving.conditions, start=1):
        wording = text(draft.wording, "wording")
        if wording is None:
            raise InvalidInput(
                f"Condition {number} has no wording: a transfer in records the other force's "
                f'order verbatim. Give it as `wording="{number}: <the words of the order>"`.',
                field="wording",
            )
        wordings.append((number, wording))
    check_final_wording(wordings, step="A transfer in")
    order = Order(
        ref=next_order_ref(uow),
        subject_id=subject.id,
        status=OrderStatus.ACTIVE if arriving.activated_on else OrderStatus.AWAITING_ACTIVATION,
        court=court,
        made_on=arriving.made_on,
        issuing_force=origin.name,
        managing_force=uow.config.force,
        starts_on=arriving.activated_on,
        activated_on=arriving.activated_on,
        expires_on=arriving.expires_on,
        version=1,
    )
    uow.session.add(order)
    uow.session.flush()
    for (number, wording), draft in zip(wordings, arriving.conditions, strict=True):
        tpl = template(draft.template)
        uow.session.add(
            Condition(
                order_id=order.id,
                number=number,
                category=tpl.category,
                wording=wording,
                duty=tpl.duty,
                duty_days=tpl.duty_days,
                duty_description=tpl.duty_description,
                watch_for=tpl.watch_for,
                starts_on=arriving.activated_on,
            )
        )
    return order


def ask_which_governs(
    uow: UnitOfWork, actor: Actor, subject: Subject, held: Order, arrived: Order
) -> str:
    """Two live orders for one subject: both kept, and a supervisor asked which governs."""
    question = (
        f"which order governs: {arrived.ref} (from {arrived.issuing_force}) or {held.ref} "
        f"(`/lom order {arrived.ref} governs supersede`: the later-made order governs and the "
        "other is superseded; `governs both`: both in force, each with its own conditions)"
    )
    held.governs_question = arrived.governs_question = question
    for order in (held, arrived):
        record_event(uow, actor, subject, order, "which_governs_asked", note=question)
    return (
        f"{subject.ref} already has {held.ref} here: both are kept; a supervisor decides "
        f"{question}."
    )


@dataclass(frozen=True)
class DecideGoverning:
    order: str  # either order's reference, or the subject
    choice: str  # supersede | both


def decide_governing(uow: UnitOfWork, actor: Actor, cmd: DecideGoverning) -> StepDone:
    """A supervisor settles which of two live orders governs (s.19(2A) or both in force)."""
    with uow:
        require(actor, Action.OVERRIDE_GATE)
        subject, order = find_order(uow, actor, cmd.order, purpose="decide governing order")
        writable_order(subject, order)
        pair = [
            o
            for o in uow.session.scalars(
                select(Order).where(
                    Order.subject_id == subject.id, Order.governs_question.is_not(None)
                )
            )
            if o.status not in ENDED
        ]
        if len(pair) < 2:
            raise NotFound(f"{subject.ref} has no question of which order governs.")
        choice = (cmd.choice or "").strip().lower()
        if choice not in ("supersede", "both"):
            raise InvalidInput("Decide `supersede` or `both`.", field="choice", example="both")
        for o in pair:
            o.governs_question = None
        if choice == "both":
            note = "Both orders in force, each with its own conditions: " + ", ".join(
                o.ref for o in pair
            )
            for o in pair:
                record_event(uow, actor, subject, o, "both_in_force", note=note)
        else:
            older, newer = sorted(pair, key=lambda o: (o.made_on or date.min, o.id))[-2:]
            newer.supersedes_id = older.id
            note = (
                f"{newer.ref} (made {format_date(newer.made_on)}) governs; "
                f"{older.ref} is superseded"
            )
            move(uow, actor, subject, older, OrderStatus.SUPERSEDED, "superseded_s19_2a", note=note)
            record_event(uow, actor, subject, newer, "governs", note=note)
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, f"Decided by {actor.name}: {note}.")
