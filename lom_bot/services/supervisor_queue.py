"""What awaits a supervisor: applications to approve, gates to override, decisions to make.

One read model for the App Home's "Awaiting you" section and the supervisors' channel post,
so both name the same items; approving or returning goes through the order's own steps
(services/orders/application.py), which tell the proposer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import and_, exists, select

from lom_bot.domain.enums import AuditAction, BreachStatus, CustodyStatus, OrderStatus
from lom_bot.domain.lifecycle import ENDED
from lom_bot.domain.workdays import working_days_between
from lom_bot.services.permissions import Action, Actor, can, require
from lom_bot.store.classification import Classification
from lom_bot.store.tables import BreachReport, EducationVisit, Order, OrderEvent, Subject, User
from lom_bot.store.uow import UnitOfWork


class Awaiting(StrEnum):
    APPLICATION = "application"  # drafted: approve or return with comments
    GATE = "gate"  # released without the education visit: visit, or a supervisor's override
    GOVERNS = "governs"  # two live orders: which governs
    BREACH = "breach"  # a breach report past its assessment target


LABELS = {
    Awaiting.APPLICATION: "Applications to approve",
    Awaiting.GATE: "Education-visit gates to override",
    Awaiting.GOVERNS: "Which order governs",
    Awaiting.BREACH: "Breach decisions overdue",
}
RERUN = "lom_rerun"  # blocks.common.RERUN: the button runs a /lom text
OPEN_FORM = "lom_open_form"  # blocks.common.OPEN_FORM: the button opens a named form
WAITING_FOR_GATE = (OrderStatus.GRANTED, OrderStatus.RECORDED, OrderStatus.AWAITING_ACTIVATION)


@dataclass(frozen=True)
class QueueItem:
    kind: Awaiting
    subject_ref: str
    subject_name: str
    ref: str  # the order's or the breach report's
    what: str


@dataclass
class SupervisorQueue:
    items: list[QueueItem] = field(default_factory=list)

    def of(self, kind: Awaiting) -> list[QueueItem]:
        return [i for i in self.items if i.kind is kind]

    def counts(self) -> dict[Awaiting, int]:
        return {k: len(self.of(k)) for k in Awaiting}


def awaiting_supervisor(uow: UnitOfWork, actor: Actor) -> SupervisorQueue | None:
    """The queue for a supervisor (None for anyone else); call inside `with uow`."""
    if not can(actor, Action.APPROVE_APPLICATION):
        return None
    s, today = uow.session, uow.clock.today()
    queue = SupervisorQueue()
    drafted_by = (
        select(User.name)
        .join(OrderEvent, OrderEvent.recorded_by == User.id)
        .where(OrderEvent.order_id == Order.id, OrderEvent.kind.in_(("drafted", "redrafted")))
        .order_by(OrderEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    for order, subject, by in s.execute(
        select(Order, Subject, drafted_by)
        .join(Subject, Subject.id == Order.subject_id)
        .where(Order.status == OrderStatus.DRAFTED)
        .order_by(Order.id)
    ):
        what = f"application drafted by {by or 'an officer'}"
        queue.items.append(
            QueueItem(Awaiting.APPLICATION, subject.ref, subject.name, order.ref, what)
        )
    visited = exists().where(
        and_(EducationVisit.order_id == Order.id, EducationVisit.done_on.is_not(None))
    )
    for order, subject in s.execute(
        select(Order, Subject)
        .join(Subject, Subject.id == Order.subject_id)
        .where(
            Order.status.in_(WAITING_FOR_GATE),
            Subject.custody_status == CustodyStatus.IN_COMMUNITY,
            Order.education_override.is_(None),
            ~visited,
        )
        .order_by(Order.id)
    ):
        what = "released with no education visit recorded: visit, or override with a reason"
        queue.items.append(QueueItem(Awaiting.GATE, subject.ref, subject.name, order.ref, what))
    for order, subject in s.execute(
        select(Order, Subject)
        .join(Subject, Subject.id == Order.subject_id)
        .where(Order.governs_question.is_not(None), Order.status.not_in(ENDED))
        .order_by(Order.id)
    ):
        what = order.governs_question or ""
        queue.items.append(QueueItem(Awaiting.GOVERNS, subject.ref, subject.name, order.ref, what))
    target = uow.config.due.breach_assessment_working_days
    for report, subject in s.execute(
        select(BreachReport, Subject)
        .join(Subject, Subject.id == BreachReport.subject_id)
        .where(BreachReport.status == BreachStatus.NEW, BreachReport.deleted.is_(False))
        .order_by(BreachReport.received_at)
    ):
        days = working_days_between(report.received_at.date(), today)
        if days > target:
            what = f"not assessed after {days} working days (target {target})"
            queue.items.append(
                QueueItem(Awaiting.BREACH, subject.ref, subject.name, report.ref, what)
            )
    return queue


def supervisor_queue_for(uow: UnitOfWork, actor: Actor) -> SupervisorQueue:
    """`/lom queue`: the supervisor's queue; consulting it is audited per subject."""
    with uow:
        require(actor, Action.APPROVE_APPLICATION)
        queue = awaiting_supervisor(uow, actor) or SupervisorQueue()
        for ref in dict.fromkeys(i.subject_ref for i in queue.items):
            uow.audit(
                actor.slack_id,
                AuditAction.CONSULTATION,
                "queue.viewed",
                subject_ref=ref,
                purpose="supervisor queue",
            )
        uow.commit()
        return queue


def ask_supervisors(
    uow: UnitOfWork, actor: Actor, kind: Awaiting, subject: Subject, order: Order, what: str
) -> None:
    """Post in the supervisors' channel that something needs a supervisor (caller commits)."""
    text = f":inbox_tray: {LABELS[kind]}: {order.ref} for {subject.ref} {subject.name}, {what}."
    buttons = [
        ("Approve", f"order {subject.ref} approve", "primary"),
        ("Approve with comment", f"order_approve {subject.ref}", None),
        ("Return with comment", f"order {subject.ref} return", "danger"),
    ]
    elements = []
    for n, (label, value, style) in enumerate(buttons, start=1):
        element: dict[str, object] = {
            "type": "button",
            "text": {"type": "plain_text", "text": label},
            "action_id": OPEN_FORM if n == 2 else RERUN if n == 1 else f"{RERUN}:{n}",
            "value": value,
        }
        if style:
            element["style"] = style
        if n != 2:  # the form itself is the second look
            element["confirm"] = {
                "title": {"type": "plain_text", "text": "Are you sure?"},
                "text": {"type": "mrkdwn", "text": f"*{label}* {order.ref}: this goes into "
                         "the order's history for good."},
                "confirm": {"type": "plain_text", "text": "Yes, record it"},
                "deny": {"type": "plain_text", "text": "Cancel"},
            }  # fmt: skip
        elements.append(element)
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "actions", "block_id": f"queue_{order.ref}"[:255], "elements": elements},
    ]
    uow.send(
        "post",
        uow.config.channels.supervisors.id,
        {"text": text, "blocks": blocks},
        actor=actor.slack_id,
        classification=Classification.DETAIL,
        subjects=[subject.ref],
        purpose=f"supervisor queue: {kind.value}",
    )
