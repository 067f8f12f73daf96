"""Checklists (systems, transfer packs, closure): opening them and ticking steps off."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, ChecklistKind, OrderStatus
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.domain.lifecycle import AFTER_GRANT
from lom_bot.services.orders.common import (
    StepDone,
    find_order,
    move,
    writable_order,
)
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.validation import not_future, text
from lom_bot.store.tables import Checklist, ChecklistStep, EducationVisit, Order, Subject
from lom_bot.store.uow import UnitOfWork

KIND_WORDS = {
    ChecklistKind.SYSTEMS: "systems",
    ChecklistKind.TRANSFER_IN: "transfer-in pack",
    ChecklistKind.TRANSFER_OUT: "transfer-out pack",
    ChecklistKind.CLOSURE: "closure",
}


def open_checklist(
    uow: UnitOfWork,
    kind: ChecklistKind,
    subject: Subject,
    order: Order | None,
    names: Sequence[str],
    *,
    requested_on: date | None = None,
) -> Checklist:
    checklist = Checklist(
        kind=kind,
        order_id=order.id if order else None,
        subject_id=subject.id,
        opened_on=uow.clock.today(),
    )
    uow.session.add(checklist)
    uow.session.flush()
    for name in names:
        uow.session.add(
            ChecklistStep(checklist_id=checklist.id, name=name, requested_on=requested_on)
        )
    uow.session.flush()
    return checklist


def latest_checklist(uow: UnitOfWork, order: Order, kind: ChecklistKind) -> Checklist | None:
    """The order's newest checklist of that kind (a subject may have had earlier orders)."""
    return uow.session.scalars(
        select(Checklist)
        .where(Checklist.order_id == order.id, Checklist.kind == kind)
        .order_by(Checklist.id.desc())
    ).first()


def steps_of(uow: UnitOfWork, checklist: Checklist) -> list[ChecklistStep]:
    return list(
        uow.session.scalars(
            select(ChecklistStep)
            .where(ChecklistStep.checklist_id == checklist.id)
            .order_by(ChecklistStep.id)
        )
    )


def pick_step(steps: list[ChecklistStep], which: str) -> ChecklistStep:
    """A step by its number (1-based) or the start of its name, case-insensitively."""
    wanted = which.strip().lower()
    if wanted.isdigit() and 1 <= int(wanted) <= len(steps):
        return steps[int(wanted) - 1]
    hits = [s for s in steps if s.name.lower().startswith(wanted)] if wanted else []
    if len(hits) == 1:
        return hits[0]
    names = "; ".join(f"{i}. {s.name}" for i, s in enumerate(steps, start=1))
    raise InvalidInput(
        f"Which step? '{which[:40]}' does not pick one of: {names}.", field="step", example="1"
    )


@dataclass(frozen=True)
class CompleteStep:
    subject: str
    kind: ChecklistKind
    step: str
    reference: str | None = None
    done_on: date | None = None


# which of two live orders a checklist step by subject reaches: the one the list belongs to
ACTS_ON = {
    ChecklistKind.SYSTEMS: frozenset({OrderStatus.GRANTED}),
    ChecklistKind.CLOSURE: frozenset({OrderStatus.EXPIRED}),
    ChecklistKind.TRANSFER_IN: AFTER_GRANT,
    ChecklistKind.TRANSFER_OUT: AFTER_GRANT,
}


def complete_step(uow: UnitOfWork, actor: Actor, cmd: CompleteStep) -> StepDone:
    """Tick off one step with who, when and a reference; the systems list moves the order on."""
    with uow:
        require(actor, Action.MANAGE_ORDER)
        subject, order = find_order(
            uow, actor, cmd.subject, purpose="checklist step", acts_on=ACTS_ON[cmd.kind]
        )
        if cmd.kind is not ChecklistKind.TRANSFER_OUT:
            writable_order(subject, order)
        checklist = latest_checklist(uow, order, cmd.kind)
        if checklist is None:
            raise NotFound(f"{order.ref} has no {KIND_WORDS[cmd.kind]} checklist.")
        steps = steps_of(uow, checklist)
        step = pick_step(steps, cmd.step)
        if step.done_on is not None:
            raise AlreadyDone(
                f"'{step.name}' was already done on {format_date(step.done_on)}"
                + (f" (ref {step.reference})." if step.reference else ".")
            )
        reference = text(cmd.reference, "reference")
        if cmd.kind is ChecklistKind.SYSTEMS and not reference:
            raise InvalidInput(
                f"Recording on {step.name} needs the reference number it was given.",
                field="reference",
                example="PNC/26/12345",
            )
        today = uow.clock.today()
        done_on = cmd.done_on or today
        not_future(done_on, today, "date done")
        step.done_on = done_on
        step.done_by = actor.user_id
        step.reference = reference
        if cmd.kind is ChecklistKind.TRANSFER_IN:
            step.received_on = done_on
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "checklist.step_done",
            entity="checklist_step",
            entity_id=step.id,
            subject_ref=subject.ref,
            detail={"checklist": cmd.kind.value, "step": step.name, "reference": reference},
        )
        left = [s.name for s in steps if s.done_on is None]
        message = f"{KIND_WORDS[cmd.kind].capitalize()}: '{step.name}' done."
        if not left:
            checklist.completed_on = done_on
            message += f" The {KIND_WORDS[cmd.kind]} checklist is complete."
            if cmd.kind is ChecklistKind.SYSTEMS:
                message += _recorded(uow, actor, subject, order, done_on)
        else:
            message += f" Still to do: {', '.join(left)}."
        uow.commit()
        return StepDone(subject.ref, order.ref, order.status, message)


def _recorded(uow: UnitOfWork, actor: Actor, subject: Subject, order: Order, on: date) -> str:
    """All systems updated: the order is recorded, then waits for release (or its fixed date)."""
    if order.status is not OrderStatus.GRANTED:
        return ""
    move(uow, actor, subject, order, OrderStatus.RECORDED, "recorded_on_systems", effective_on=on)
    educated = uow.session.scalars(
        select(EducationVisit.id).where(
            EducationVisit.order_id == order.id, EducationVisit.done_on.is_not(None)
        )
    ).first()
    if educated is not None and order.activated_on is None:
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.EDUCATED,
            "education_visit_done",
            effective_on=on,
            note="visit recorded before the systems were",
        )
        return " The order is recorded on systems; the education visit is already done."
    if order.activated_on is None:
        move(
            uow,
            actor,
            subject,
            order,
            OrderStatus.AWAITING_ACTIVATION,
            "awaiting_activation",
            effective_on=on,
        )
        return " The order is recorded on systems and awaits activation."
    return " The order is recorded on systems."
