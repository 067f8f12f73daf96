"""Deciding on a breach report: confirm its subject, ask for more, record the assessment."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lom_bot.blocks import breach as ui
from lom_bot.domain.enums import AssessmentOutcome, AuditAction, BreachStatus
from lom_bot.domain.errors import AlreadyDone, InvalidInput, NotFound
from lom_bot.services import breach_followup as follow
from lom_bot.services.breach_model import ENFORCEMENT, OUTCOME_LABELS
from lom_bot.services.breach_routing import refresh_triage, reporter_outcome, tell_reporter
from lom_bot.services.breach_view import touched_condition_id
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.services.subjects import access_subject
from lom_bot.store.tables import Assessment, BreachEdit, BreachReport, Subject, User
from lom_bot.store.uow import UnitOfWork

PURPOSE = "assess breach report"


def load_report(uow: UnitOfWork, breach: int | str, *, lock: bool = False) -> BreachReport:
    """A report by id or reference; with lock, the row is held until commit (first one wins)."""
    query = select(BreachReport)
    if isinstance(breach, int) or (str(breach).isdigit() and len(str(breach)) < 10):
        query = query.where(BreachReport.id == int(breach))
    else:
        query = query.where(BreachReport.ref == str(breach).strip().upper())
    if lock:
        query = query.with_for_update()
    report = uow.session.scalars(query).one_or_none()
    if report is None:
        raise NotFound(f"There is no breach report {breach}.", field="breach", example="BR-00012")
    return report


def access_undecided_report(
    uow: UnitOfWork, actor: Actor, breach: int | str, *, lock: bool = False
) -> BreachReport:
    """A report the actor may decide on and nobody has decided yet (AlreadyDone if they have)."""
    require(actor, Action.ASSESS_BREACH)
    report = load_report(uow, breach, lock=lock)
    done = decided_already(uow, report)
    if done is not None:
        raise done
    return report


def decided_already(uow: UnitOfWork, report: BreachReport) -> AlreadyDone | None:
    """Who decided, when and what, phrased for the officer who came second."""
    assessment = uow.session.scalars(
        select(Assessment).where(Assessment.breach_id == report.id)
    ).one_or_none()
    if assessment is None:
        return None
    user = uow.session.get(User, assessment.decided_by)
    at = assessment.decided_at.astimezone(uow.clock.tz).strftime("%d/%m/%Y %H:%M")
    return AlreadyDone(
        f"{report.ref} was already assessed by {user.name if user else 'another officer'} "
        f"at {at}: {OUTCOME_LABELS[assessment.outcome].lower()}. Nothing was changed."
    )


@dataclass(frozen=True)
class AssessBreach:
    breach: int | str
    outcome: AssessmentOutcome
    rationale: str
    excuse_accepted: bool = False


@dataclass(frozen=True)
class Assessed:
    ref: str
    outcome: AssessmentOutcome
    follow_ups: tuple[str, ...]
    escalation: str | None

    @property
    def summary(self) -> str:
        text = f"{self.ref} assessed: {OUTCOME_LABELS[self.outcome].lower()}."
        if self.follow_ups:
            text += " Follow-up: " + "; ".join(self.follow_ups) + "."
        if self.escalation:
            text += f"\n:warning: {self.escalation}"
        return text


def assess_breach(uow: UnitOfWork, actor: Actor, cmd: AssessBreach) -> Assessed:
    """Record the decision; the first decision wins and the second officer is told who decided."""
    try:
        return _assess(uow, actor, cmd)
    except IntegrityError:
        # Another officer's decision committed between our check and our insert.
        with uow:
            report = load_report(uow, cmd.breach)
            raise decided_already(uow, report) or AlreadyDone("Already assessed.") from None


def _assess(uow: UnitOfWork, actor: Actor, cmd: AssessBreach) -> Assessed:
    with uow:
        report = access_undecided_report(uow, actor, cmd.breach, lock=True)
        rationale = (cmd.rationale or "").strip()
        if not rationale:
            raise InvalidInput("Give the rationale for the decision.", field=ui.RATIONALE)
        if len(rationale) > 3000:
            raise InvalidInput("Keep the rationale under 3000 characters.", field=ui.RATIONALE)
        if cmd.excuse_accepted and cmd.outcome in ENFORCEMENT:
            raise InvalidInput(
                "With a reasonable excuse accepted there is no s.25 offence: choose no breach or "
                "advice, or record that the excuse was not accepted.",
                field=ui.EXCUSE,
            )
        subject = uow.session.get(Subject, report.subject_id) if report.subject_id else None
        if subject is None and cmd.outcome is not AssessmentOutcome.NO_BREACH:
            raise InvalidInput(
                f"Pick the subject of {report.ref} first; only 'no breach' needs none.",
                field=ui.RATIONALE,
            )
        if subject is not None:
            access_subject(uow, actor, subject.ref, purpose=PURPOSE)
        uow.session.add(
            Assessment(
                breach_id=report.id,
                outcome=cmd.outcome,
                rationale=rationale,
                excuse_accepted=cmd.excuse_accepted,
                decided_by=actor.user_id,
                decided_at=uow.clock.now(),
            )
        )
        report.status = BreachStatus.ASSESSED
        uow.session.flush()
        follow_ups = (
            follow.create_follow_ups(uow, actor, report, subject, cmd.outcome) if subject else []
        )
        escalation = follow.escalation_prompt(uow, subject.id, report.id) if subject else None
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "breach.assessed",
            entity="breach_report",
            entity_id=report.id,
            subject_ref=subject.ref if subject else None,
            detail={
                "outcome": cmd.outcome.value,
                "excuse_accepted": cmd.excuse_accepted,
                "follow_ups": follow_ups,
            },
        )
        refresh_triage(uow, report, actor.slack_id)
        tell_reporter(uow, report, reporter_outcome(uow, report, cmd.outcome), actor=actor.slack_id)
        uow.commit()
        return Assessed(report.ref, cmd.outcome, tuple(follow_ups), escalation)


def confirm_subject(uow: UnitOfWork, actor: Actor, breach: int | str, query: str) -> str:
    """A person says which subject a possible report is about; then it can be assessed."""
    with uow:
        report = access_undecided_report(uow, actor, breach, lock=True)
        subject = access_subject(uow, actor, query, purpose=PURPOSE)
        put_on_subject(uow, actor, report, subject)
        refresh_triage(uow, report, actor.slack_id)
        uow.commit()
        return f"{report.ref} is about {subject.ref}: ready to assess."


def put_on_subject(uow: UnitOfWork, actor: Actor, report: BreachReport, subject: Subject) -> None:
    """The report is about this subject now (a possible one becomes new), audited."""
    before = report.subject_id
    report.subject_id = subject.id
    if report.status is BreachStatus.POSSIBLE:
        report.status = BreachStatus.NEW
    report.condition_id = touched_condition_id(uow, subject.id, report.text)
    report.district = report.district or subject.district
    uow.audit(
        actor.slack_id,
        AuditAction.ALTERATION,
        "breach.subject_confirmed",
        entity="breach_report",
        entity_id=report.id,
        subject_ref=subject.ref,
        detail={"from_subject_id": before, "candidates": report.candidates},
    )


def request_more_info(uow: UnitOfWork, actor: Actor, breach: int | str, question: str) -> str:
    """Ask the reporter in their thread; their reply there is added to the report."""
    with uow:
        report = access_undecided_report(uow, actor, breach, lock=True)
        text = (question or "").strip()
        if not text:
            raise InvalidInput("Say what you need to know.", field=ui.QUESTION)
        report.status = BreachStatus.NEED_INFO
        uow.session.add(
            BreachEdit(
                breach_id=report.id,
                kind="question",
                text=text[:1000],
                by_slack_id=actor.slack_id,
                at=uow.clock.now(),
            )
        )
        uow.audit(
            actor.slack_id,
            AuditAction.DISCLOSURE,
            "breach.more_info_requested",
            entity="breach_report",
            entity_id=report.id,
            recipient=report.channel_id or report.reporter_slack_id,
        )
        tell_reporter(
            uow,
            report,
            ui.reporter_question(report.ref, report.reporter_slack_id, text[:1000]),
            actor=actor.slack_id,
        )
        refresh_triage(uow, report, actor.slack_id)
        uow.commit()
        return f"Asked the reporter of {report.ref}; their reply will be added to the report."


@dataclass(frozen=True)
class ReportState:
    """What a button needs to know before opening its modal."""

    breach_id: int
    ref: str
    subject_ref: str | None
    escalation: str | None
    where: str  # where the reporter is asked for more
    candidates: tuple[tuple[str, str], ...] = ()  # (ref, label) for the subject picker


def prepare_decision(
    uow: UnitOfWork, actor: Actor, breach: int | str, outcome: AssessmentOutcome | None
) -> ReportState:
    """Check a button may act on this report (role, not yet decided, subject known) first."""
    with uow:
        report = access_undecided_report(uow, actor, breach)
        subject = uow.session.get(Subject, report.subject_id) if report.subject_id else None
        if subject is None and outcome not in (None, AssessmentOutcome.NO_BREACH):
            raise InvalidInput(f"Pick the subject of {report.ref} first (the menu on the post).")
        prompt = follow.escalation_prompt(uow, subject.id, report.id) if subject else None
        known = report.channel_id and uow.config.channel_by_id(report.channel_id)
        where = f"the thread in #{known.name}" if known and report.message_ts else "a DM"
        candidates = candidate_labels(uow, report.candidates or [])
        return ReportState(
            report.id, report.ref, subject.ref if subject else None, prompt, where, candidates
        )


def candidate_labels(uow: UnitOfWork, refs: list[str]) -> tuple[tuple[str, str], ...]:
    """(ref, "LOM-0008 Kelly Inventive (Leeds)") for each candidate, in the given order."""
    if not refs:
        return ()
    rows = uow.session.execute(
        select(Subject.ref, Subject.given_names, Subject.family_name, Subject.district).where(
            Subject.ref.in_(refs)
        )
    )
    found = {ref: f"{ref} {given} {family} ({district})" for ref, given, family, district in rows}
    return tuple((ref, found[ref]) for ref in refs if ref in found)
