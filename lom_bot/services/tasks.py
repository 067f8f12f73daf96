"""Tasking district teams, and recording what they did."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, TaskKind, TaskResult
from lom_bot.domain.errors import AlreadyDone, InvalidInput
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject, writable
from lom_bot.services.task_post import ADDRESS_KINDS, new_task_blocks
from lom_bot.store.classification import Classification
from lom_bot.store.tables import Subject, Task
from lom_bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class CreateTask:
    subject: str
    kind: TaskKind
    due_on: date
    instructions: str | None = None
    district: str | None = None  # defaults to the subject's district
    breach_id: int | None = None
    request_key: str | None = None


@dataclass(frozen=True)
class TaskCreated:
    ref: str
    subject_ref: str
    district: str
    due_on: date


def create_task(
    uow: UnitOfWork, actor: Actor, cmd: CreateTask, *, commit: bool = True
) -> TaskCreated:
    """Task a district; the district channel is told by reference only."""
    require(actor, Action.CREATE_TASK)
    session = uow.session
    if (
        cmd.request_key
        and session.scalars(select(Task.id).where(Task.request_key == cmd.request_key)).first()
    ):
        raise AlreadyDone("That task was already raised (a double click?). Nothing was added.")
    if cmd.due_on < uow.clock.today():
        raise InvalidInput(
            f"The due date {format_date(cmd.due_on)} has passed.",
            field="due_on",
            example="tomorrow or +7d",
        )
    subject = access_subject(uow, actor, cmd.subject, purpose="task a district")
    writable(subject)
    district = uow.config.district(cmd.district or subject.district)
    if district is None:
        raise InvalidInput(
            f"'{cmd.district}' is not a district here.", field="district", example="Leeds"
        )
    task = Task(
        ref="pending",
        subject_id=subject.id,
        district=district.name,
        kind=cmd.kind,
        due_on=cmd.due_on,
        instructions=(cmd.instructions or "").strip()[:3000] or None,
        created_by=actor.user_id,
        breach_id=cmd.breach_id,
        request_key=cmd.request_key,
    )
    session.add(task)
    session.flush()
    task.ref = f"T-{task.id:05d}"
    uow.audit(
        actor.slack_id,
        AuditAction.COLLECTION,
        "task.created",
        entity="task",
        entity_id=task.id,
        subject_ref=subject.ref,
        detail={"district": district.name, "kind": cmd.kind.value},
    )
    _post_to_district(uow, actor, task, subject, district.channel.id, district.channel.sensitive)
    if commit:
        uow.commit()
    return TaskCreated(task.ref, subject.ref, district.name, cmd.due_on)


def complete_task(uow: UnitOfWork, actor: Actor, task_ref: str, outcome: str) -> str:
    """Mark a task done with what was found (the Done button's short form)."""
    from lom_bot.services.task_results import RecordTaskResult, record_task_result

    done = record_task_result(uow, actor, RecordTaskResult(task_ref, TaskResult.DONE, outcome))
    return f"{done.ref} marked done."


def _post_to_district(
    uow: UnitOfWork, actor: Actor, task: Task, subject: Subject, channel: str, sensitive: bool
) -> None:
    """The district's post: references, a curfew check's address only in a sensitive channel,
    and the Done / Not found / Needs LOM buttons."""
    address = subject.address if task.kind in ADDRESS_KINDS else None
    text = (
        f"New task {task.ref}: {task.kind.value.replace('_', ' ')} for {subject.ref}, "
        f"due {format_date(task.due_on)}. Open it with `/lom subject {subject.ref}`."
    )
    today = uow.clock.today()
    blocks = new_task_blocks(
        task.ref, task.kind, subject.ref, task.due_on, today, address, detail=sensitive
    )
    uow.send(
        "post",
        channel,
        {"text": text, "blocks": blocks},
        actor=actor.slack_id,
        classification=Classification.DETAIL if sensitive else Classification.REFERENCE,
        subjects=[subject.ref],
        purpose="district tasking",
    )
