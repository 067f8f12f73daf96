"""Activation on release behind the education-visit gate, and release date changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    AuditAction,
    Commencement,
    CustodyStatus,
    OrderStatus,
    ReleaseDateKind,
)
from lom_bot.domain.errors import GateClosed, NotAuthorised
from lom_bot.domain.lifecycle import PRE_ACTIVE, check_duration, check_transition
from lom_bot.domain.order_dates import expiry_for, runs_to
from lom_bot.services.orders.common import (
    StepDone,
    conditions_of,
    find_order,
    move,
    record_event,
    writable_order,
)
from lom_bot.services.orders.decision import supersede_old
from lom_bot.services.orders.visit import visit_done
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.services.validation import text
from lom_bot.store import queries
from lom_bot.store.tables import ReleaseDate
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Activate:
    subject: str
    released_on: date  # the actual release date (or the fixed start date)
    override_reason: str | None = None


def activate(uow: UnitOfWork, actor: Actor, cmd: Activate) -> StepDone:
    """Start active monitoring on the actual release date; the visit gate applies."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="activate order", acts_on=PRE_ACTIVE
        )
        writable_order(subject, order)
        check_transition(order.status, OrderStatus.ACTIVE)
        check_event_date(
            cmd.released_on,
            field="released",
            label="release (activation) date",
            today=uow.clock.today(),
            born=subject.born_on,
            not_before=order.made_on,
        )
        reason = text(cmd.override_reason, "override reason")
        if visit_done(uow, order) is None:
            if reason is None:
                raise GateClosed(
                    f"{order.ref} cannot go active before the education visit is recorded "
                    "(each condition acknowledged, or refusal with evidence of service). A "
                    "supervisor may override with a reason."
                )
            if not can(actor, Action.OVERRIDE_GATE):
                # A refusal, not a closed gate: the unit of work audits it as one.
                raise NotAuthorised(
                    "Only a supervisor may override the education-visit gate; ask one to "
                    "activate with the reason.",
                    who=actor.slack_id,
                    asked=Action.OVERRIDE_GATE.value,
                    subject_ref=subject.ref,
                )
            order.education_override = reason
            uow.audit(
                actor.slack_id,
                AuditAction.ALTERATION,
                "order.gate_overridden",
                entity="order",
                entity_id=order.id,
                subject_ref=subject.ref,
                detail={"order": order.ref, "reason": reason},
            )
        if order.commencement is Commencement.ON_RELEASE:
            uow.session.add(
                ReleaseDate(
                    subject_id=subject.id,
                    kind=ReleaseDateKind.CONFIRMED,
                    on=cmd.released_on,
                    recorded_at=uow.clock.now(),
                    recorded_by=actor.user_id,
                    actual=True,
                )
            )
            if subject.custody_status in (CustodyStatus.IN_CUSTODY, CustodyStatus.RECALLED):
                subject.custody_status = CustodyStatus.IN_COMMUNITY
        order.activated_on = cmd.released_on
        order.starts_on = cmd.released_on
        if order.term_months:
            order.expires_on = expiry_for(cmd.released_on, order.term_months)
        if order.expires_on:
            check_duration(cmd.released_on, order.expires_on)
        for condition in conditions_of(uow, order):
            condition.starts_on = condition.starts_on or cmd.released_on
        note = f"Released {format_date(cmd.released_on)}"
        if reason:
            note += f"; education-visit gate overridden by {actor.name}: {reason}"
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.ACTIVE,
            "activated",
            effective_on=cmd.released_on,
            note=note,
        )
        superseded = supersede_old(uow, actor, subject, order, cmd.released_on)
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} active from {format_date(cmd.released_on)}, "
            f"{runs_to(order.expires_on)}."
            + (" Gate overridden." if reason else "")
            + (f" {superseded} is superseded by it (s.19(2A))." if superseded else ""),
        )


@dataclass(frozen=True)
class ChangeReleaseDate:
    subject: str
    kind: ReleaseDateKind
    on: date


def change_release_date(uow: UnitOfWork, actor: Actor, cmd: ChangeReleaseDate) -> StepDone:
    """A new expected release date: the order's expected start and expiry follow it."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="release date change", acts_on=PRE_ACTIVE
        )
        writable_order(subject, order)
        check_event_date(
            cmd.on,
            field="date",
            label=f"{cmd.kind.value.upper()} release date",
            today=uow.clock.today(),
            born=subject.born_on,
            future_ok=True,  # release dates are mostly ahead
        )
        uow.session.add(
            ReleaseDate(
                subject_id=subject.id,
                kind=cmd.kind,
                on=cmd.on,
                recorded_at=uow.clock.now(),
                recorded_by=actor.user_id,
            )
        )
        uow.session.flush()
        message = f"{subject.ref}: {cmd.kind.value.upper()} now {format_date(cmd.on)}."
        if order.activated_on is None and order.commencement is Commencement.ON_RELEASE:
            dates = queries.release_dates(uow.session, [subject.id]).get(subject.id, {})
            before = (order.starts_on, order.expires_on)
            order.starts_on = queries.expected_release(dates)
            order.expires_on = expiry_for(order.starts_on, order.term_months)
            if (order.starts_on, order.expires_on) != before:
                record_event(
                    uow,
                    actor,
                    subject,
                    order,
                    "release_date_changed",
                    note=f"{cmd.kind.value.upper()} {format_date(cmd.on)}",
                )
                message += (
                    f" {order.ref} now expected to start {format_date(order.starts_on)},"
                    f" {runs_to(order.expires_on)}."
                )
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "subject.release_date",
            entity="subject",
            entity_id=subject.id,
            subject_ref=subject.ref,
            detail={"kind": cmd.kind.value, "to": cmd.on.isoformat()},
        )
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, message)
