"""What an assessment sets going (letters, tasks, CPS file, recall) and escalation prompts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lom_bot.config import DueRules
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    AssessmentOutcome,
    AuditAction,
    FollowUpKind,
    TaskKind,
)
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.domain.workdays import add_working_days
from lom_bot.services.breach_model import LETTERS_OR_LESS
from lom_bot.services.escalation import Failure, failures_by_subject
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.tasks import CreateTask, create_task
from lom_bot.store.tables import Assessment, BreachReport, FollowUp, Subject
from lom_bot.store.uow import UnitOfWork

FOLLOW_UP_LABELS = {
    FollowUpKind.WARNING_LETTER: "First warning letter to prepare and send",
    FollowUpKind.FINAL_WARNING_LETTER: "Final warning letter to prepare and send",
    FollowUpKind.INTERVIEW: "Interview under caution",
    FollowUpKind.ARREST: "Arrest",
    FollowUpKind.CPS_FILE: "CPS file for the s.25 offence",
    FollowUpKind.RECALL_REFERRAL: "Recall referral to probation",
}


DONE_LABELS = {
    FollowUpKind.WARNING_LETTER: "Mark letter sent",
    FollowUpKind.FINAL_WARNING_LETTER: "Mark final letter sent",
    FollowUpKind.INTERVIEW: "Mark interview held",
    FollowUpKind.ARREST: "Mark arrest made",
    FollowUpKind.CPS_FILE: "Mark CPS file submitted",
    FollowUpKind.RECALL_REFERRAL: "Mark recall referral made",
}
LETTERS = frozenset({FollowUpKind.WARNING_LETTER, FollowUpKind.FINAL_WARNING_LETTER})
# What officers type after `/lom breach done BR-00012 ...`
KIND_WORDS = {
    "letter": FollowUpKind.WARNING_LETTER,
    "warning": FollowUpKind.WARNING_LETTER,
    "final": FollowUpKind.FINAL_WARNING_LETTER,
    "interview": FollowUpKind.INTERVIEW,
    "arrest": FollowUpKind.ARREST,
    "cps": FollowUpKind.CPS_FILE,
    "recall": FollowUpKind.RECALL_REFERRAL,
}


def describe(f: FollowUp) -> str:
    due = ""
    if f.due_on is not None:
        word = "response due" if "letter" in f.kind.value else "target"
        due = f": {word} {format_date(f.due_on)}"
    done = f" (done {format_date(f.done_on)})" if f.done_on else ""
    return f"{FOLLOW_UP_LABELS[f.kind]}{due}{done}"


def create_follow_ups(
    uow: UnitOfWork,
    actor: Actor,
    report: BreachReport,
    subject: Subject,
    outcome: AssessmentOutcome,
) -> list[str]:
    """Create the follow-ups an outcome implies; returns what was created, described."""
    today = uow.clock.today()
    due = uow.config.due
    response_on = date.fromordinal(today.toordinal() + due.warning_letter_response_days)
    plan: dict[AssessmentOutcome, tuple[FollowUpKind, date, str]] = {
        AssessmentOutcome.FIRST_WARNING: (
            FollowUpKind.WARNING_LETTER,
            response_on,
            f"Response due {due.warning_letter_response_days} days from the letter.",
        ),
        AssessmentOutcome.FINAL_WARNING: (
            FollowUpKind.FINAL_WARNING_LETTER,
            response_on,
            "Final warning: the next failure goes beyond letters.",
        ),
        AssessmentOutcome.INTERVIEW: (
            FollowUpKind.INTERVIEW,
            add_working_days(today, due.overdue_after_working_days),
            "Interview under caution (s.25 Serious Crime Act 2007).",
        ),
        AssessmentOutcome.ARREST: (FollowUpKind.ARREST, today, "Arrest for breach of the SCPO."),
        AssessmentOutcome.CPS_FILE: (
            FollowUpKind.CPS_FILE,
            add_working_days(today, due.cps_file_target_working_days),
            f"File to the CPS within {due.cps_file_target_working_days} working days.",
        ),
        AssessmentOutcome.RECALL_REFERRAL: (
            FollowUpKind.RECALL_REFERRAL,
            today,
            "Refer to probation for recall consideration (if on licence).",
        ),
    }
    if outcome not in plan:
        return []
    kind, due_on, note = plan[outcome]
    follow_up = FollowUp(
        breach_id=report.id,
        subject_id=subject.id,
        kind=kind,
        due_on=due_on,
        owner_id=actor.user_id,
        note=note,
    )
    uow.session.add(follow_up)
    uow.session.flush()
    lines = [describe(follow_up)]
    if outcome in (AssessmentOutcome.INTERVIEW, AssessmentOutcome.ARREST):
        what = "Interview under caution" if kind is FollowUpKind.INTERVIEW else "Arrest"
        task = create_task(
            uow,
            actor,
            CreateTask(
                subject=subject.ref,
                kind=TaskKind.OTHER,
                due_on=due_on,
                instructions=f"{what} for breach of SCPO, report {report.ref}. "
                "Call the LOM team for the briefing before acting.",
                breach_id=report.id,
                request_key=f"breach:{report.id}:{kind.value}",
            ),
            commit=False,
        )
        lines.append(
            f"Task {task.ref} for {task.district}: {what.lower()}, due {format_date(task.due_on)}"
        )
    return lines


def failures(uow: UnitOfWork, subject_id: int, *, exclude: int | None = None) -> list[Failure]:
    """Unacceptable failures in the escalation window within the current order (the one rule:
    services/escalation.py): failed contacts, concern checks and assessed breaches."""
    found = failures_by_subject(
        uow.session, uow.config, uow.clock.today(), [subject_id], exclude_breach=exclude
    )
    return found.get(subject_id, [])


def escalation_wording(
    rules: DueRules, earlier: list[Failure], decided: tuple[AssessmentOutcome, bool] | None
) -> str | None:
    """The escalation prompt, a prompt and never a decision, shown on the triage card and in the
    assessment's reply: from the unacceptable failures in the window before this report (oldest
    first) and the report's decision, if any (outcome, excuse accepted). None below the number
    of failures `rules` set, and after a decision beyond letters."""
    listed = "; ".join(f.what for f in earlier[-4:])
    months = rules.escalation_window_months
    beyond = "consider escalation beyond letters (interview, arrest, CPS file, recall referral)"
    if decided is None:
        if len(earlier) + 1 < rules.escalation_failures:
            return None
        return (
            f"{len(earlier)} unacceptable failure(s) in the last {months} months ({listed}). "
            f"If this is a breach it makes {len(earlier) + 1}: {beyond}. A prompt, not a decision."
        )
    outcome, excuse_accepted = decided
    counts = outcome is not AssessmentOutcome.NO_BREACH and not excuse_accepted
    total = len(earlier) + (1 if counts else 0)
    if total < rules.escalation_failures or outcome not in LETTERS_OR_LESS:
        return None
    return (
        f"{total} unacceptable failures in the last {months} months ({listed}, and this one): "
        f"{beyond}."
    )


def escalation_prompt(uow: UnitOfWork, subject_id: int, breach_id: int) -> str | None:
    """The escalation prompt for a report (escalation_wording), its failures and decision read."""
    earlier = failures(uow, subject_id, exclude=breach_id)
    assessment = uow.session.scalars(
        select(Assessment).where(Assessment.breach_id == breach_id)
    ).one_or_none()
    decided = None if assessment is None else (assessment.outcome, assessment.excuse_accepted)
    return escalation_wording(uow.config.due, earlier, decided)


def complete_follow_up(
    uow: UnitOfWork, actor: Actor, follow_up: int | str, note: str | None = None
) -> str:
    """Mark a follow-up done (letter sent, interview held, file submitted): off the due list."""
    from lom_bot.services.breach_routing import refresh_triage  # it shows what is still open

    with uow:
        require(actor, Action.ASSESS_BREACH)
        row = _find_follow_up(uow, follow_up)
        if row.done_on is not None:
            raise AlreadyDone(f"That was already marked done on {format_date(row.done_on)}.")
        row.done_on = uow.clock.today()
        text = (note or "").strip()
        if text:
            row.note = f"{row.note or ''}\nDone: {text[:1000]}".strip()
        subject = uow.session.get(Subject, row.subject_id)
        uow.audit(
            actor.slack_id,
            AuditAction.ALTERATION,
            "breach.follow_up_done",
            entity="follow_up",
            entity_id=row.id,
            subject_ref=subject.ref if subject else None,
            detail={"kind": row.kind.value},
        )
        report = uow.session.get(BreachReport, row.breach_id) if row.breach_id else None
        if report is not None:
            refresh_triage(uow, report, actor.slack_id)
        uow.commit()
        where = f" for {report.ref}" if report else ""
        return f"{FOLLOW_UP_LABELS[row.kind]}{where}: marked done today."


def _find_follow_up(uow: UnitOfWork, follow_up: int | str) -> FollowUp:
    """By id (a button), or `BR-00012 [kind]` (a command): the one open follow-up meant."""
    text = str(follow_up).strip()
    if text.isdigit() and len(text) < 10:
        row = uow.session.get(FollowUp, int(text))
        if row is None:
            raise NotFound(f"There is no follow-up {text}.")
        return row
    ref, _, word = text.partition(" ")
    report = uow.session.scalars(
        select(BreachReport).where(BreachReport.ref == ref.upper())
    ).one_or_none()
    if report is None:
        raise NotFound(f"There is no breach report {ref[:20]}.", example="BR-00012 letter")
    rows = [
        f
        for f in uow.session.scalars(select(FollowUp).where(FollowUp.breach_id == report.id))
        if f.done_on is None
    ]
    kind = KIND_WORDS.get(word.strip().split(" ")[0].lower()) if word.strip() else None
    if kind is not None:
        rows = [f for f in rows if f.kind is kind]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"{report.ref} has nothing open to mark done.")
    kinds = ", ".join(sorted(w for w, k in KIND_WORDS.items() if k in {f.kind for f in rows}))
    raise InvalidInput(f"{report.ref} has more than one thing open: say which ({kinds}).")
