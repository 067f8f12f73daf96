"""Due lines from enforcement and casework records: breach reports, follow-ups, tasks and
checklists (the cadence, duty and education rules are in due_lines.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from lom_bot.config import AppConfig
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import ChecklistKind, FollowUpKind
from lom_bot.domain.workdays import add_working_days, working_days_between
from lom_bot.services.due import DueLine, LineKind, State
from lom_bot.services.due_lines import line_for
from lom_bot.services.due_load import BreachRow, ChecklistRow, FollowUpRow, SubjectRow, TaskRow

CHECKLIST_LABEL = {
    ChecklistKind.SYSTEMS: "Systems checklist",
    ChecklistKind.TRANSFER_IN: "Transfer-in pack",
    ChecklistKind.TRANSFER_OUT: "Transfer-out pack",
    ChecklistKind.CLOSURE: "Closure checklist",
}
FOLLOW_UP_LABEL = {
    FollowUpKind.INTERVIEW: "interview under caution",
    FollowUpKind.ARREST: "arrest",
    FollowUpKind.RECALL_REFERRAL: "recall referral to probation",
}


def breach_line(
    config: AppConfig, today: date, report: BreachRow, subject: SubjectRow | None
) -> DueLine | None:
    """A report still waiting for assessment past the target (2 working days by default)."""
    received = report.received_at.astimezone(ZoneInfo(config.timezone)).date()
    target = add_working_days(received, config.due.breach_assessment_working_days)
    if today <= target:
        return None
    waited = working_days_between(received, today)
    status = {"possible": "subject to confirm", "need_info": "more information asked"}.get(
        report.status.value, "waiting for assessment"
    )
    district = report.district or (subject.district if subject else None)
    return line_for(
        subject,
        kind=LineKind.BREACH,
        state=State.OVERDUE,
        due_on=target,
        what=f"{report.ref} from {district or 'unknown district'}, received "
        f"{format_date(received)}: {status} ({waited} working days)",
        ref=report.ref,
        district=district,
    )


def follow_up_line(
    config: AppConfig, today: date, item: FollowUpRow, subject: SubjectRow | None
) -> DueLine | None:
    """Warning letter responses due, CPS files near their target, other follow-ups due."""
    about = f" ({item.breach_ref})" if item.breach_ref else ""
    owner = item.owner_id or (subject.officer_id if subject else None)
    if item.kind in (FollowUpKind.WARNING_LETTER, FollowUpKind.FINAL_WARNING_LETTER):
        if item.due_on > today:
            return None
        final = "final " if item.kind is FollowUpKind.FINAL_WARNING_LETTER else ""
        past = item.due_on < today
        what = f"{final}warning letter response {'was ' if past else ''}due "
        what += f"{format_date(item.due_on)}{about}"
        if past:
            what += ": consider escalation"
        kind, state = LineKind.WARNING_LETTER, State.OVERDUE if past else State.DUE
    elif item.kind is FollowUpKind.CPS_FILE:
        near = config.due.cps_file_near_target_working_days
        if item.due_on >= today and working_days_between(today, item.due_on) > near:
            return None
        left = working_days_between(today, item.due_on)
        when = f"{left} working days left" if item.due_on >= today else "target passed"
        what = f"CPS file target {format_date(item.due_on)}{about}: {when}"
        kind, state = LineKind.CPS_FILE, State.OVERDUE if item.due_on < today else State.DUE
    else:
        if item.due_on > today:
            return None
        label = FOLLOW_UP_LABEL.get(item.kind, item.kind.value.replace("_", " "))
        what = f"{label} due {format_date(item.due_on)}{about}"
        kind, state = LineKind.FOLLOW_UP, State.OVERDUE if item.due_on < today else State.DUE
    return line_for(
        subject,
        kind=kind,
        state=state,
        due_on=item.due_on,
        what=what,
        ref=item.breach_ref,
        officer_id=owner,
    )


def task_line(today: date, task: TaskRow, subject: SubjectRow | None) -> DueLine | None:
    if task.due_on >= today:
        return None
    late = (today - task.due_on).days
    return line_for(
        subject,
        kind=LineKind.TASK,
        state=State.OVERDUE,
        due_on=task.due_on,
        what=f"{task.ref} {task.kind.value.replace('_', ' ')} for {task.district}, due "
        f"{format_date(task.due_on)} ({late} day{'s' if late != 1 else ''} late)",
        ref=task.ref,
        district=task.district,
    )


def checklist_line(
    config: AppConfig, today: date, checklist: ChecklistRow, subject: SubjectRow | None
) -> DueLine:
    overdue_from = add_working_days(checklist.opened_on, config.due.overdue_after_working_days)
    steps = ", ".join(checklist.outstanding)
    label = CHECKLIST_LABEL.get(checklist.kind, "Checklist")
    of = f" for {checklist.order_ref}" if checklist.order_ref else ""
    return line_for(
        subject,
        kind=LineKind.CHECKLIST,
        state=State.OVERDUE if today >= overdue_from else State.DUE,
        due_on=checklist.opened_on,
        what=f"{label}{of} opened {format_date(checklist.opened_on)}: "
        f"{len(checklist.outstanding)} outstanding ({steps})",
        ref=checklist.order_ref,
    )
