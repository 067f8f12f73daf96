"""The court's decision on the application: granted (with the systems checklist) or refused."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from lom_bot.domain.date_sanity import check_event_date, check_made_on
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    ChecklistKind,
    Commencement,
    CustodyStatus,
    OrderRoute,
    OrderStatus,
)
from lom_bot.domain.errors import InvalidInput, OrderTooLong
from lom_bot.domain.lifecycle import (
    APPLICATION,
    ENDED,
    MAX_YEARS,
    TRANSITIONS,
    check_age,
    check_duration,
    check_transition,
)
from lom_bot.domain.order_dates import expiry_for
from lom_bot.domain.wording import check_final_wording
from lom_bot.services.orders.checklists import open_checklist
from lom_bot.services.orders.common import (
    StepDone,
    conditions_of,
    find_order,
    move,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.store import queries
from lom_bot.store.tables import Order, Subject
from lom_bot.store.uow import UnitOfWork

SYSTEMS = ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS")


@dataclass(frozen=True)
class GrantOrder:
    subject: str
    court: str
    made_on: date
    term_months: int
    route: OrderRoute = OrderRoute.CROWN_COURT_S19
    # None: on release for a subject in custody (or recalled), else a fixed date (the day made)
    commencement: Commencement | None = None
    starts_on: date | None = None  # the fixed date, when commencement is a fixed date
    wording: dict[int, str] = field(default_factory=dict)  # final wording by condition number
    bound_how: str = "represented"
    court_reference: str | None = None  # the court's case number, kept in the grant's event


def grant(uow: UnitOfWork, actor: Actor, cmd: GrantOrder) -> StepDone:
    """The court made the order: final wording, term and commencement; systems checklist opens."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record grant", acts_on=APPLICATION
        )
        writable_order(subject, order)
        check_transition(order.status, OrderStatus.GRANTED)
        today = uow.clock.today()
        court = text(cmd.court, "court", required=True)
        court_ref = text(cmd.court_reference, "court reference")
        check_made_on(cmd.made_on, today=today, born=subject.born_on)
        check_age(subject.born_on, cmd.made_on)
        if not 1 <= cmd.term_months <= MAX_YEARS * 12:
            raise OrderTooLong(
                f"A term of {cmd.term_months} months is not possible: an SCPO lasts at most "
                "5 years (60 months, s.16 SCA 2007).",
                field="term_months",
                example="60",
            )
        commencement = cmd.commencement or commencement_for(subject.custody_status)
        if commencement is Commencement.FIXED_DATE:
            if cmd.starts_on is None and cmd.commencement is None:
                cmd = replace(cmd, starts_on=cmd.made_on)
            if cmd.starts_on is None:
                raise InvalidInput(
                    "A fixed-date order needs its start date.",
                    field="starts_on",
                    example="01/12/2026",
                )
            check_event_date(
                cmd.starts_on,
                field="starts",
                label="fixed start date",
                today=today,
                future_ok=True,
                not_before=cmd.made_on,
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
        check_final_wording(((c.number, c.wording) for c in conditions), step="The grant")
        order.court = court
        order.made_on = cmd.made_on
        order.route = cmd.route
        order.term_months = cmd.term_months
        order.commencement = commencement
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
            note=f"Made at {court}" + (f"; court reference {court_ref}" if court_ref else ""),
        )
        open_checklist(uow, ChecklistKind.SYSTEMS, subject, order, SYSTEMS)
        superseded = None
        if starts is not None and starts <= today:
            superseded = supersede_old(uow, actor, subject, order, cmd.made_on)
        else:
            _replacement_granted(uow, actor, subject, order)
        uow.commit()
        took = elapsed_days(order)
        message = (
            f"{order.ref} granted at {court}"
            + (f" (court reference {court_ref})" if court_ref else "")
            + f" on {format_date(cmd.made_on)}, "
            f"{cmd.term_months} months"
            + (
                f", expected in force from {format_date(starts)} to the end of "
                f"{format_date(order.expires_on)}"
                if starts
                else ", starting on release (no release date held yet)"
            )
            + f". {took} days from proposal to decision. Systems checklist opened: "
            + ", ".join(SYSTEMS)
            + "."
        )
        if superseded:
            message += f" {superseded} is superseded by it (s.19(2A))."
        elif order.supersedes_id:
            message += " The order it replaces stays monitored until this one is active."
        return StepDone(subject.ref, order.ref, order.status, message)


def commencement_for(custody: CustodyStatus) -> Commencement:
    """The default start: on release for someone in custody or recalled, else when made."""
    if custody in (CustodyStatus.IN_CUSTODY, CustodyStatus.RECALLED):
        return Commencement.ON_RELEASE
    return Commencement.FIXED_DATE


def _replacement_granted(uow: UnitOfWork, actor: Actor, subject: Subject, order: Order) -> None:
    """The new order is not in force yet: the old one is monitored until it is (then superseded)."""
    if order.supersedes_id is None:
        return
    old = uow.session.get_one(Order, order.supersedes_id)
    if old.status not in ENDED:
        record_event(
            uow,
            actor,
            subject,
            old,
            "replacement_granted",
            note=f"Replacement {order.ref} granted; this order is superseded when it comes "
            "into force, and is monitored until then",
        )


def supersede_old(
    uow: UnitOfWork, actor: Actor, subject: Subject, order: Order, made_on: date
) -> str | None:
    if order.supersedes_id is None:
        return None
    old = uow.session.get_one(Order, order.supersedes_id)
    if OrderStatus.SUPERSEDED not in TRANSITIONS[old.status]:
        return None  # ended, or expired meanwhile: nothing left to supersede
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
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record refusal", acts_on=APPLICATION
        )
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
