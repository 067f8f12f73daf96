"""Court events after the grant: variation, s.22E extension, High Court discharge, pending."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from lom_bot.domain.date_sanity import check_event_date
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.errors import IllegalTransition, InvalidInput
from lom_bot.domain.lifecycle import GRANTED_NOT_ENDED, check_duration
from lom_bot.domain.templates import template
from lom_bot.domain.wording import check_final_wording
from lom_bot.services.orders.application import ConditionDraft
from lom_bot.services.orders.common import (
    StepDone,
    conditions_of,
    find_order,
    max_condition_number,
    move,
    record_event,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import text
from lom_bot.store.tables import Condition, Order, Subject
from lom_bot.store.uow import UnitOfWork

SECTIONS = {"s17": "s.17", "s20": "s.20", "s21": "s.21"}
PENDING = {"variation": "variation applied for", "extension": "s.22E extension applied for"}


def _live(order: Order, step: str) -> None:
    if order.status not in GRANTED_NOT_ENDED:
        raise IllegalTransition(
            f"A {step} is recorded against a granted order that has not ended; {order.ref} is "
            f"{order.status.value.replace('_', ' ')}."
        )


@dataclass(frozen=True)
class NotePending:
    subject: str
    kind: str | None  # variation | extension, or None when withdrawn
    note: str | None = None


def note_pending(uow: UnitOfWork, actor: Actor, cmd: NotePending) -> StepDone:
    """An application to vary or extend is before the court (this blocks closure)."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="pending court event", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        if cmd.kind is not None and cmd.kind not in PENDING:
            raise InvalidInput(
                "Pending what? variation or extension.", field="kind", example="variation"
            )
        if cmd.kind is None:
            order.pending_court_event = None
            record_event(uow, actor, subject, order, "pending_withdrawn", note=cmd.note)
            message = f"{order.ref}: no court event pending now."
        else:
            _live(order, PENDING[cmd.kind])
            order.pending_court_event = cmd.kind
            record_event(
                uow, actor, subject, order, f"pending_{cmd.kind}", note=text(cmd.note, "note")
            )
            message = f"{order.ref}: {PENDING[cmd.kind]}."
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, message)


@dataclass(frozen=True)
class Vary:
    subject: str
    section: str  # s17 | s20 | s21
    court: str
    made_on: date
    wording: dict[int, str | None] = field(default_factory=dict)  # None removes the condition
    add: tuple[ConditionDraft, ...] = ()
    expires_on: date | None = None


def vary(uow: UnitOfWork, actor: Actor, cmd: Vary) -> StepDone:
    """A court varied the order: new wording and dates, the earlier version kept."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record variation", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        _live(order, "variation")
        section = SECTIONS.get(cmd.section.lower().replace(".", ""))
        if section is None:
            raise InvalidInput(
                f"A variation is under s.17, s.20 or s.21, not '{cmd.section}'.",
                field="section",
                example="s17",
            )
        court = text(cmd.court, "court", required=True)
        check_event_date(
            cmd.made_on,
            field="made",
            label="date of the variation",
            today=uow.clock.today(),
            not_before=order.made_on,
        )
        if not cmd.wording and not cmd.add and cmd.expires_on is None:
            raise InvalidInput(
                "A variation changes wording, adds a condition or moves the "
                "end date: none was given.",
                field="wording",
            )
        current = {c.number: c for c in conditions_of(uow, order) if c.active}
        unknown = sorted(set(cmd.wording) - set(current))
        if unknown:
            raise InvalidInput(
                f"{order.ref} has no condition {unknown[0]} in force.", field="wording"
            )
        final = [(n, w) for n, w in cmd.wording.items() if w is not None]
        base = max_condition_number(uow, order)
        final += [
            (base + i, d.wording or template(d.template).wording)
            for i, d in enumerate(cmd.add, start=1)
        ]
        check_final_wording(final, step="A variation")
        if cmd.expires_on is not None:
            start = order.activated_on or order.starts_on
            if start is not None:
                check_duration(start, cmd.expires_on)
        changed = []
        for number, wording in sorted(cmd.wording.items()):
            old = current[number]
            old.active = False
            old.ends_on = cmd.made_on - timedelta(days=1)
            if wording is None:
                changed.append(f"condition {number} removed")
                continue
            uow.session.add(_copy(old, text(wording, "wording", required=True) or "", cmd.made_on))
            changed.append(f"condition {number} reworded")
        number = max_condition_number(uow, order)
        for draft in cmd.add:
            tpl = template(draft.template)
            number += 1
            uow.session.add(
                Condition(
                    order_id=order.id,
                    number=number,
                    category=tpl.category,
                    wording=text(draft.wording, "wording") or tpl.wording,
                    duty=tpl.duty,
                    duty_days=tpl.duty_days,
                    duty_description=tpl.duty_description,
                    watch_for=tpl.watch_for,
                    starts_on=cmd.made_on,
                )
            )
            changed.append(f"condition {number} added")
        if cmd.expires_on is not None:
            changed.append(
                f"end date {format_date(order.expires_on)} -> {format_date(cmd.expires_on)}"
            )
            order.expires_on = cmd.expires_on
        order.version += 1
        if order.pending_court_event == "variation":
            order.pending_court_event = None
        note = f"Varied ({section}) at {court}: " + "; ".join(changed)
        kind = "varied_" + section.replace(".", "")
        back_to_active(uow, actor, subject, order, cmd.made_on, note, kind)
        uow.commit()
        return StepDone(
            subject.ref, order.ref, order.status, f"{order.ref} version {order.version}: {note}."
        )


def _copy(old: Condition, wording: str, starts_on: date) -> Condition:
    return Condition(
        order_id=old.order_id,
        number=old.number,
        category=old.category,
        wording=wording,
        starts_on=starts_on,
        ends_on=None,
        duty=old.duty,
        duty_days=old.duty_days,
        duty_description=old.duty_description,
        watch_for=old.watch_for,
    )


def back_to_active(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    order: Order,
    on: date,
    note: str,
    kind: str = "varied",
) -> None:
    """A later end date takes an expiring order off the radar; either way the event is kept."""
    horizon = uow.clock.today() + timedelta(days=max(uow.config.horizons.expiry_days))
    if order.status is OrderStatus.EXPIRING and order.expires_on and order.expires_on > horizon:
        move(uow, actor, subject, order, OrderStatus.ACTIVE, kind, effective_on=on, note=note)
    else:
        record_event(uow, actor, subject, order, kind, effective_on=on, note=note)


@dataclass(frozen=True)
class Discharge:
    subject: str
    court: str
    made_on: date
    reason: str | None = None


def discharge(uow: UnitOfWork, actor: Actor, cmd: Discharge) -> StepDone:
    """s.18: the High Court discharged the order."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="record discharge", acts_on=GRANTED_NOT_ENDED
        )
        writable_order(subject, order)
        court = text(cmd.court, "court", required=True) or ""
        if "high court" not in court.lower():
            raise InvalidInput(
                "Under s.18 only the High Court discharges an SCPO; "
                f"'{court[:60]}' is not the High Court.",
                field="court",
                example="High Court (KBD)",
            )
        check_event_date(
            cmd.made_on,
            field="made",
            label="date of discharge",
            today=uow.clock.today(),
            not_before=order.made_on,
        )
        order.pending_court_event = None
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.DISCHARGED,
            "discharged_s18",
            effective_on=cmd.made_on,
            note=f"Discharged at {court}: {cmd.reason or ''}".strip(),
        )
        uow.commit()
        return StepDone(
            subject.ref,
            order.ref,
            order.status,
            f"{order.ref} discharged by {court} on {format_date(cmd.made_on)}.",
        )
