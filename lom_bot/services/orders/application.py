"""The application: propose, draft, supervisor approval or return, submission to the CPS."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select

from lom_bot.domain.enums import (
    AuditAction,
    OrderStatus,
)
from lom_bot.domain.errors import Duplicate, InvalidInput, NotAuthorised
from lom_bot.domain.lifecycle import (
    APPLICATION,
    ENDED,
)
from lom_bot.domain.templates import template
from lom_bot.services.orders.common import (
    StepDone,
    find_order,
    move,
    next_order_ref,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.review_notice import tell_authors
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.supervisor_queue import Awaiting, ask_supervisors
from lom_bot.services.validation import not_future, text
from lom_bot.store.tables import Condition, Order, OrderEvent
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class ProposeOrder:
    subject: str
    grounds: str | None = None
    replacement: bool = False  # a new order to supersede the live one (s.19(2A))


def propose(uow: UnitOfWork, actor: Actor, cmd: ProposeOrder) -> StepDone:
    """Open an application for a subject; one live order each unless this replaces it."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject = access_subject(uow, actor, cmd.subject, purpose="propose an order")
        writable(subject)
        orders = uow.session.scalars(select(Order).where(Order.subject_id == subject.id)).all()
        live = [o for o in orders if o.status not in ENDED]
        in_force = [o for o in live if o.status is not OrderStatus.EXPIRED]
        if any(o.status in APPLICATION for o in live):
            raise Duplicate(f"{subject.ref} already has an application under way.")
        if in_force and not cmd.replacement:
            raise Duplicate(
                f"{subject.ref} already has a live order {in_force[0].ref}. Propose a "
                "replacement (which supersedes it when granted, s.19(2A)) with `replacement`."
            )
        order = Order(
            ref=next_order_ref(uow),
            subject_id=subject.id,
            status=OrderStatus.PROPOSED,
            grounds=text(cmd.grounds, "grounds"),
            issuing_force=uow.config.force,
            managing_force=uow.config.force,
            proposed_at=uow.clock.now(),
            supersedes_id=in_force[0].id if in_force and cmd.replacement else None,
            version=1,
        )
        uow.session.add(order)
        uow.session.flush()
        record_event(
            uow,
            actor,
            subject,
            order,
            "proposed",
            note=order.grounds,
            action=AuditAction.COLLECTION,
        )
        if order.supersedes_id:
            record_event(
                uow,
                actor,
                subject,
                in_force[0],
                "replacement_proposed",
                note=f"Replacement {order.ref} proposed: it supersedes this order when granted "
                "(s.19(2A)); monitoring continues from this order until it is active",
            )
        uow.commit()
        extra = f" It will supersede {in_force[0].ref} if granted." if order.supersedes_id else ""
        return StepDone(subject.ref, order.ref, order.status, f"{order.ref} proposed.{extra}")


@dataclass(frozen=True)
class ConditionDraft:
    """A proposed condition: a template, with its wording edited where the officer wants."""

    template: str
    wording: str | None = None


@dataclass(frozen=True)
class DraftApplication:
    subject: str
    grounds: str
    conditions: tuple[ConditionDraft, ...] = field(default_factory=tuple)


def draft(uow: UnitOfWork, actor: Actor, cmd: DraftApplication) -> StepDone:
    """Write the grounds and proposed conditions; redrafting replaces the earlier draft."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="draft application", acts_on=APPLICATION
        )
        writable_order(subject, order)
        grounds = text(cmd.grounds, "grounds", required=True)
        if not cmd.conditions:
            raise InvalidInput(
                "An application needs at least one proposed condition.",
                field="conditions",
                example="phone,bank,travel",
            )
        chosen = [(template(c.template), c.wording) for c in cmd.conditions]
        before = order.status
        order.grounds = grounds
        uow.session.execute(delete(Condition).where(Condition.order_id == order.id))
        for number, (tpl, wording) in enumerate(chosen, start=1):
            uow.session.add(
                Condition(
                    order_id=order.id,
                    number=number,
                    category=tpl.category,
                    wording=text(wording, "condition wording") or tpl.wording,
                    duty=tpl.duty,
                    duty_days=tpl.duty_days,
                    duty_description=tpl.duty_description,
                    watch_for=tpl.watch_for,
                )
            )
        if before is OrderStatus.DRAFTED:
            record_event(uow, actor, subject, order, "redrafted", note=grounds)
        else:
            move(uow, actor, subject, order, OrderStatus.DRAFTED, "drafted", note=grounds)
        what = f"{'redrafted' if before is OrderStatus.DRAFTED else 'drafted'} by {actor.name}"
        ask_supervisors(uow, actor, Awaiting.APPLICATION, subject, order, what)
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} application drafted with {len(chosen)} proposed condition(s); "
            "a supervisor can now approve it or return it.",
        )


@dataclass(frozen=True)
class Review:
    subject: str
    comments: str | None = None


def approve(uow: UnitOfWork, actor: Actor, cmd: Review) -> StepDone:
    """A supervisor approves the application to go to the CPS."""
    with uow:
        require(actor, Action.APPROVE_APPLICATION)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="approve application", acts_on=APPLICATION
        )
        writable_order(subject, order)
        second_person(uow, actor, subject.ref, order)
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.APPROVED,
            "approved",
            note=text(cmd.comments, "comments"),
        )
        tell_authors(uow, actor, subject, order, "approved", text(cmd.comments, "comments"))
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} approved by {actor.name}; it can go to the CPS.",
        )


AUTHORED = ("proposed", "drafted", "redrafted")


def second_person(uow: UnitOfWork, actor: Actor, subject_ref: str, order: Order) -> None:
    """Separation of duties (app.yaml `separation_of_duties`, on unless turned off): whoever
    proposed or drafted the application may not approve it."""
    if not uow.config.separation_of_duties:
        return
    authors = uow.session.scalars(
        select(OrderEvent.recorded_by).where(
            OrderEvent.order_id == order.id, OrderEvent.kind.in_(AUTHORED)
        )
    ).all()
    if actor.user_id is not None and actor.user_id in authors:
        raise NotAuthorised(
            f"You proposed or drafted {order.ref}, so another supervisor must approve it "
            "(separation of duties).",
            who=actor.slack_id,
            asked=Action.APPROVE_APPLICATION.value,
            subject_ref=subject_ref,
        )


def return_application(uow: UnitOfWork, actor: Actor, cmd: Review) -> StepDone:
    """A supervisor returns the application with comments; it goes back to the officer."""
    with uow:
        require(actor, Action.APPROVE_APPLICATION)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="return application", acts_on=APPLICATION
        )
        writable_order(subject, order)
        comments = text(cmd.comments, "comments", required=True)
        target = (
            OrderStatus.PROPOSED if order.status is OrderStatus.DRAFTED else OrderStatus.DRAFTED
        )
        move(uow, actor, subject, order, target, "returned", note=comments)
        tell_authors(uow, actor, subject, order, "returned", comments)
        uow.commit()
        return StepDone(
            subject.ref, order.ref, order.status, f"{order.ref} returned with comments: {comments}"
        )


@dataclass(frozen=True)
class Submit:
    subject: str
    note: str | None = None
    reference: str | None = None  # the CPS's reference for the file
    submitted_on: date | None = None  # the day it went to the CPS (default today)


def submit(uow: UnitOfWork, actor: Actor, cmd: Submit) -> StepDone:
    """Mark the approved application as submitted to the CPS."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="submit to CPS", acts_on=APPLICATION
        )
        writable_order(subject, order)
        reference = text(cmd.reference, "reference")
        if cmd.submitted_on is not None:
            not_future(cmd.submitted_on, uow.clock.today(), "date submitted")
        said_ref = f"CPS reference {reference}" if reference else None
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.SUBMITTED,
            "submitted_to_cps",
            effective_on=cmd.submitted_on,
            note="; ".join(p for p in (said_ref, text(cmd.note, "note")) if p) or None,
        )
        uow.commit()
        said = f" (CPS reference {reference})" if reference else ""
        return StepDone(
            subject.ref, order.ref, order.status, f"{order.ref} submitted to the CPS{said}."
        )
