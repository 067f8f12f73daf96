"""The application: propose, draft, supervisor approval or return, CPS, grant or refusal."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, select

from lom_bot.domain.dates import add_months, format_date
from lom_bot.domain.enums import (
    AuditAction,
    ChecklistKind,
    Commencement,
    OrderRoute,
    OrderStatus,
)
from lom_bot.domain.errors import Duplicate, InvalidInput, OrderTooLong
from lom_bot.domain.lifecycle import (
    APPLICATION,
    ENDED,
    MAX_YEARS,
    check_age,
    check_duration,
    check_transition,
)
from lom_bot.domain.templates import template
from lom_bot.services.orders.checklists import open_checklist
from lom_bot.services.orders.common import (
    StepDone,
    conditions_of,
    find_order,
    move,
    next_order_ref,
    not_future,
    record_event,
    text,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.store import queries
from lom_bot.store.tables import Condition, Order, Subject
from lom_bot.store.uow import UnitOfWork

SYSTEMS = ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS")


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
        subject, order = find_order(uow, actor, cmd.subject, purpose="draft application")
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
        subject, order = find_order(uow, actor, cmd.subject, purpose="approve application")
        writable_order(subject, order)
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.APPROVED,
            "approved",
            note=text(cmd.comments, "comments"),
        )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} approved by {actor.name}; it can go to the CPS.",
        )


def return_application(uow: UnitOfWork, actor: Actor, cmd: Review) -> StepDone:
    """A supervisor returns the application with comments; it goes back to the officer."""
    with uow:
        require(actor, Action.APPROVE_APPLICATION)
        subject, order = find_order(uow, actor, cmd.subject, purpose="return application")
        writable_order(subject, order)
        comments = text(cmd.comments, "comments", required=True)
        target = (
            OrderStatus.PROPOSED if order.status is OrderStatus.DRAFTED else OrderStatus.DRAFTED
        )
        move(uow, actor, subject, order, target, "returned", note=comments)
        uow.commit()
        return StepDone(
            subject.ref, order.ref, order.status, f"{order.ref} returned with comments: {comments}"
        )


@dataclass(frozen=True)
class Submit:
    subject: str
    note: str | None = None


def submit(uow: UnitOfWork, actor: Actor, cmd: Submit) -> StepDone:
    """Mark the approved application as submitted to the CPS."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(uow, actor, cmd.subject, purpose="submit to CPS")
        writable_order(subject, order)
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.SUBMITTED,
            "submitted_to_cps",
            note=text(cmd.note, "note"),
        )
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, f"{order.ref} submitted to the CPS.")


@dataclass(frozen=True)
class GrantOrder:
    subject: str
    court: str
    made_on: date
    term_months: int
    route: OrderRoute = OrderRoute.CROWN_COURT_S19
    commencement: Commencement = Commencement.ON_RELEASE
    starts_on: date | None = None  # the fixed date, when commencement is a fixed date
    wording: dict[int, str] = field(default_factory=dict)  # final wording by condition number
    bound_how: str = "represented"


def grant(uow: UnitOfWork, actor: Actor, cmd: GrantOrder) -> StepDone:
    """The court made the order: final wording, term and commencement; systems checklist opens."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(uow, actor, cmd.subject, purpose="record grant")
        writable_order(subject, order)
        check_transition(order.status, OrderStatus.GRANTED)
        today = uow.clock.today()
        court = text(cmd.court, "court", required=True)
        not_future(cmd.made_on, today, "date made")
        check_age(subject.born_on, cmd.made_on)
        if not 1 <= cmd.term_months <= MAX_YEARS * 12:
            raise OrderTooLong(
                f"A term of {cmd.term_months} months is not possible: an SCPO lasts at most "
                "5 years (60 months, s.16 SCA 2007).",
                field="term_months",
                example="60",
            )
        if cmd.commencement is Commencement.FIXED_DATE:
            if cmd.starts_on is None:
                raise InvalidInput(
                    "A fixed-date order needs its start date.",
                    field="starts_on",
                    example="01/12/2026",
                )
            starts: date | None = cmd.starts_on
        else:
            dates = queries.release_dates(uow.session, [subject.id]).get(subject.id, {})
            starts = queries.expected_release(dates)
        conditions = conditions_of(uow, order)
        numbers = {c.number for c in conditions}
        unknown = sorted(set(cmd.wording) - numbers)
        if unknown:
            raise InvalidInput(
                f"The application has no condition {unknown[0]}; it has "
                f"{', '.join(str(n) for n in sorted(numbers)) or 'none'}.",
                field="wording",
            )
        for condition in conditions:
            if condition.number in cmd.wording:
                condition.wording = (
                    text(cmd.wording[condition.number], "wording", required=True) or ""
                )
        order.court = court
        order.made_on = cmd.made_on
        order.route = cmd.route
        order.term_months = cmd.term_months
        order.commencement = cmd.commencement
        order.starts_on = starts
        order.expires_on = expiry_for(starts, cmd.term_months)
        if starts and order.expires_on:
            check_duration(starts, order.expires_on)
        order.bound_how = cmd.bound_how
        order.decided_at = uow.clock.now()
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.GRANTED,
            "granted",
            effective_on=cmd.made_on,
            note=f"Made at {court}",
        )
        open_checklist(uow, ChecklistKind.SYSTEMS, subject, order, SYSTEMS)
        superseded = _supersede_old(uow, actor, subject, order, cmd.made_on)
        uow.commit()
        took = elapsed_days(order)
        message = (
            f"{order.ref} granted at {court} on {format_date(cmd.made_on)}, "
            f"{cmd.term_months} months"
            + (
                f", expected to run {format_date(starts)} to {format_date(order.expires_on)}"
                if starts
                else ", starting on release (no release date held yet)"
            )
            + f". {took} days from proposal to decision. Systems checklist opened: "
            + ", ".join(SYSTEMS)
            + "."
        )
        if superseded:
            message += f" {superseded} is superseded by it (s.19(2A))."
        return StepDone(subject.ref, order.ref, order.status, message)


def _supersede_old(
    uow: UnitOfWork, actor: Actor, subject: Subject, order: Order, made_on: date
) -> str | None:
    if order.supersedes_id is None:
        return None
    old = uow.session.get_one(Order, order.supersedes_id)
    if old.status in ENDED:
        return None
    move(
        uow,
        actor,
        subject,
        old,
        OrderStatus.SUPERSEDED,
        "superseded_s19_2a",
        effective_on=made_on,
        note=f"Discharged by the new order {order.ref}",
    )
    return old.ref


def expiry_for(starts: date | None, term_months: int | None) -> date | None:
    """The last day of a term that begins on `starts` (an order of 60 months ends the day before
    the fifth anniversary)."""
    if starts is None or term_months is None:
        return None
    return add_months(starts, term_months) - timedelta(days=1)


def elapsed_days(order: Order) -> int | None:
    if order.proposed_at is None or order.decided_at is None:
        return None
    return (order.decided_at - order.proposed_at).days


@dataclass(frozen=True)
class RefuseOrder:
    subject: str
    reason: str
    decided_on: date | None = None


def refuse(uow: UnitOfWork, actor: Actor, cmd: RefuseOrder) -> StepDone:
    """The court (or CPS) refused the application, with the reason."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(uow, actor, cmd.subject, purpose="record refusal")
        writable_order(subject, order)
        reason = text(cmd.reason, "reason", required=True)
        order.decision_note = reason
        order.decided_at = uow.clock.now()
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.REFUSED,
            "refused",
            effective_on=cmd.decided_on,
            note=reason,
        )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} refused: {reason}. {elapsed_days(order)} days from proposal to decision.",
        )
