"""The subject card's lists in one statement: each kind of record a branch of one UNION ALL."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, case, literal, null, select, union_all

from lom_bot.domain.enums import BreachStatus, ContactOutcome, TaskStatus
from lom_bot.services.readmodels.card_rows import (
    ALIAS,
    ASSOCIATE,
    BREACH,
    CONDITION,
    CONTACT,
    CORRECTED,
    DATES,
    EVENT,
    EVIDENCE,
    FOLLOW_UP,
    INTEL,
    ORDER,
    RELEASE,
    SHARED,
    STEP,
    SUBJECT,
    TASK,
    TASK_RESULT,
    TEXTS,
    VEHICLE,
    branch,
    latest,
)
from lom_bot.store.tables import (
    Alias,
    Associate,
    BreachReport,
    Checklist,
    ChecklistStep,
    Condition,
    Contact,
    Correction,
    Dissemination,
    FollowUp,
    Intelligence,
    OrderEvent,
    ReleaseDate,
    Task,
    User,
    Vehicle,
)

LAST_CONTACTS = 3
LAST_INTEL = 3
LAST_TASK_RESULTS = 3


@cache
def lists_statement(limited: bool, intel: bool) -> Select[Any]:
    """Every list the card shows in one statement, ordered by kind then position."""
    subject = SUBJECT
    tasks = [Task.subject_id == subject, Task.status == TaskStatus.OPEN]
    if limited:
        tasks.append(Task.district == bindparam("district", type_=String))
    branches = [
        branch(ALIAS, [Alias.id], {"a": Alias.name}, [Alias.subject_id == subject]),
        branch(
            CONDITION,
            [Condition.number, Condition.id],
            {
                "n": Condition.number,
                "a": Condition.category,
                "b": Condition.wording,
                "c": Condition.duty_description,
                "d": Condition.watch_for,
                "x": Condition.starts_on,
                "y": Condition.ends_on,
            },
            [Condition.order_id == ORDER, Condition.active.is_(True)],
        ),
        branch(
            TASK,
            [Task.due_on, Task.id],
            {"a": Task.ref, "b": Task.district, "c": Task.kind, "x": Task.due_on},
            tasks,
        ),
    ]
    if not limited:
        contact = {
            "n": Contact.id,
            "a": Contact.kind,
            "b": Contact.outcome,
            "c": case(
                (Contact.corrected_at.is_not(None), literal("corrected")), else_=null()
            ).label("corrected"),
            "x": Contact.occurred_on,
            "y": Contact.evidence_due_on,
        }
        branches += [
            branch(
                EVENT,
                [OrderEvent.id],
                {
                    "n": OrderEvent.recorded_by,
                    "a": OrderEvent.kind,
                    "b": OrderEvent.status_to,
                    "c": OrderEvent.note,
                    "d": User.name,
                    "x": OrderEvent.effective_on,
                },
                [OrderEvent.order_id == ORDER],
                join=(User, User.id == OrderEvent.recorded_by),
                source=OrderEvent,
            ),
            branch(
                STEP,
                [Checklist.id, ChecklistStep.id],
                {
                    "n": Checklist.id,
                    "a": Checklist.kind,
                    "b": ChecklistStep.name,
                    "c": ChecklistStep.reference,
                    "x": ChecklistStep.done_on,
                    "y": Checklist.completed_on,
                },
                [Checklist.order_id == ORDER],
                join=(ChecklistStep, ChecklistStep.checklist_id == Checklist.id),
                source=Checklist,
            ),
            latest(
                CONTACT,
                [Contact.occurred_on.desc(), Contact.id.desc()],
                contact,
                Contact.subject_id == subject,
                LAST_CONTACTS,
            ),
            branch(
                EVIDENCE,
                [Contact.id],
                contact,
                [
                    Contact.subject_id == subject,
                    Contact.outcome == ContactOutcome.AWAITING_EVIDENCE,
                ],
            ),
            branch(
                BREACH,
                [BreachReport.received_at, BreachReport.id],
                {"a": BreachReport.ref, "b": BreachReport.status},
                [
                    BreachReport.subject_id == subject,
                    BreachReport.status != BreachStatus.ASSESSED,
                    BreachReport.deleted.is_(False),
                ],
            ),
            branch(
                FOLLOW_UP,
                [FollowUp.due_on, FollowUp.id],
                {"a": FollowUp.kind, "x": FollowUp.due_on},
                [FollowUp.subject_id == subject, FollowUp.done_on.is_(None)],
            ),
            branch(
                VEHICLE,
                [Vehicle.id],
                {"a": Vehicle.registration, "b": Vehicle.description},
                [Vehicle.subject_id == subject, Vehicle.removed_at.is_(None)],
            ),
            branch(
                ASSOCIATE,
                [Associate.id],
                {"a": Associate.name},
                [Associate.subject_id == subject],
            ),
            branch(
                CORRECTED,
                [Correction.id],
                {"a": Correction.record_ref, "b": Correction.field},
                [Correction.subject_id == subject, Correction.correction.is_(True)],
            ),
            latest(
                TASK_RESULT,
                [Task.done_on.desc(), Task.id.desc()],
                {
                    "a": Task.ref,
                    "b": Task.result,
                    "c": Task.outcome,
                    "d": Task.for_lom,
                    "e": Task.kind,
                    "f": Task.done_time,
                    "x": Task.done_on,
                },
                (Task.subject_id == subject) & (Task.status == TaskStatus.DONE),
                LAST_TASK_RESULTS,
            ),
            branch(
                RELEASE,
                [ReleaseDate.recorded_at, ReleaseDate.id],
                {"a": ReleaseDate.kind, "x": ReleaseDate.on},
                [ReleaseDate.subject_id == subject],
            ),
        ]
    if intel:
        branches.append(
            latest(
                INTEL,
                [Intelligence.recorded_at.desc()],
                {
                    "a": Intelligence.ref,
                    "b": Intelligence.text,
                    "c": Intelligence.handling_conditions,
                    "d": Intelligence.source_grade,
                    "e": Intelligence.intel_grade,
                    "f": Intelligence.handling,
                },
                Intelligence.subject_id == subject,
                LAST_INTEL,
            )
        )
        branches.append(
            branch(
                SHARED,
                [Dissemination.shared_on, Dissemination.id],
                {
                    "a": Intelligence.ref,
                    "b": Dissemination.recipient,
                    "c": Dissemination.handling,
                    "d": Dissemination.purpose,
                    "x": Dissemination.shared_on,
                },
                [Intelligence.subject_id == subject],
                join=(Intelligence, Intelligence.id == Dissemination.intelligence_id),
                source=Dissemination,
            )
        )
    lists = union_all(*branches).subquery()
    return select(
        lists.c.tag, lists.c.n, *(lists.c[t] for t in TEXTS), *(lists.c[d] for d in DATES)
    ).order_by(lists.c.tag, lists.c.pos)
