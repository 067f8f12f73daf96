"""A district's answer to a task: done, not found or needs LOM, told to whoever raised it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AuditAction, TaskResult, TaskStatus
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.domain.vocab import label
from lom_bot.services.permissions import Action, Actor, require, require_district
from lom_bot.store.classification import Classification
from lom_bot.store.holders import holder_on
from lom_bot.store.tables import Subject, Task, User
from lom_bot.store.uow import UnitOfWork

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
RESULT_WORDS = {
    TaskResult.DONE: "Done",
    TaskResult.NOT_FOUND: "Not found",
    TaskResult.NEEDS_LOM: "Needs LOM",
}


@dataclass(frozen=True)
class RecordTaskResult:
    task: str
    result: TaskResult
    seen: str
    at: str | None = None  # HH:MM today
    for_lom: str | None = None


@dataclass(frozen=True)
class TaskResultRecorded:
    ref: str
    subject_ref: str
    result: TaskResult
    told: str | None  # the raising officer's name, when one was told


def parse_time(text: str | None) -> str | None:
    """'23:10', '2310' or '23.10' as 'HH:MM'; None when not given; refused when not a time."""
    given = (text or "").strip()
    if not given:
        return None
    match = _TIME.match(given)
    if match is None:
        raise InvalidInput(f"'{given[:20]}' is not a time.", field="at", example="23:10")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def record_task_result(uow: UnitOfWork, actor: Actor, cmd: RecordTaskResult) -> TaskResultRecorded:
    """Close an open task with what was found; the officer who raised it is told by DM."""
    with uow:
        require(actor, Action.COMPLETE_TASK)
        ref = cmd.task.strip().upper()
        task = uow.session.scalars(select(Task).where(Task.ref == ref)).one_or_none()
        if task is None:
            raise NotFound(f"There is no task {cmd.task[:20]}.", field="task", example="T-00012")
        require_district(actor, task.district)
        if task.status is not TaskStatus.OPEN:
            raise AlreadyDone(f"{task.ref} is already {task.status.value}: nothing was changed.")
        at = parse_time(cmd.at)
        now = uow.clock.now().astimezone(uow.clock.tz)
        # A time later than now is last night's (a curfew check written up next morning).
        done_on = now.date() - timedelta(days=1) if at and at > f"{now:%H:%M}" else now.date()
        seen = cmd.seen.strip()
        if not seen:
            raise InvalidInput(
                "Say what was done or seen.",
                field="seen",
                example="'at home 23:10, lights on, no visitors'",
            )
        subject = uow.session.get(Subject, task.subject_id)
        assert subject is not None  # a task's subject is a foreign key
        task.status, task.result = TaskStatus.DONE, cmd.result.value
        task.outcome, task.done_time = seen[:3000], at
        task.for_lom = (cmd.for_lom or "").strip()[:3000] or None
        task.done_by, task.done_on = actor.user_id, done_on
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "task.completed",
            entity="task",
            entity_id=task.id,
            subject_ref=subject.ref,
            detail={"result": cmd.result.value, "time": at},
        )
        raiser = uow.session.get(User, task.created_by) if task.created_by else None
        if raiser is not None and raiser.active:
            _tell_raiser(uow, actor, task, subject, raiser)
        holder_id = holder_on(uow.session, subject.id, uow.clock.today())  # cover counts
        holder = None if holder_id in (None, task.created_by) else uow.session.get(User, holder_id)
        if holder is not None and holder.active:
            _tell_raiser(uow, actor, task, subject, holder)
        uow.commit()
        return TaskResultRecorded(
            task.ref, subject.ref, cmd.result, raiser.name if raiser is not None else None
        )


def result_line(task: Task, by: str | None = None) -> str:
    """One line for the card, a DM or a confirmation: what was found, when, by whom."""
    result = RESULT_WORDS.get(TaskResult(task.result), "Done") if task.result else "Done"
    when = format_date(task.done_on) if task.done_on else ""
    if task.done_time:
        when += f" {task.done_time}"
    who = f" by {by}" if by else ""
    line = f"{task.ref} {label(task.kind)}: *{result}* {when}{who}. {task.outcome or ''}".strip()
    if task.for_lom:
        line += f"\nFor the LOM team: {task.for_lom}"
    return line


def _tell_raiser(uow: UnitOfWork, actor: Actor, task: Task, subject: Subject, to: User) -> None:
    urgent = ":rotating_light: " if task.result == TaskResult.NEEDS_LOM.value else ""
    text = (
        f"{urgent}{task.district} answered your task for {subject.ref} {subject.name}:\n"
        f"{result_line(task, actor.name)}\n`/lom subject {subject.ref}` shows it on the card."
    )
    uow.send(
        "dm",
        to.slack_id,
        {"text": text},
        actor=actor.slack_id,
        classification=Classification.DETAIL,
        subjects=[subject.ref],
        purpose="task result to the officer who raised it",
    )
