"""What a corrected contact changes elsewhere: its evidence deadline, the triage cards already
posted for the subject (their failure counts and prompts), and the escalation prompt itself."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.domain.enums import UNACCEPTABLE_FAILURES, BreachStatus, ContactOutcome
from lom_bot.domain.workdays import add_working_days
from lom_bot.services.breach_followup import failures
from lom_bot.services.breach_routing import refresh_triage, triage_post
from lom_bot.services.permissions import Actor
from lom_bot.store.classification import Classification
from lom_bot.store.tables import BreachReport, Contact, Subject
from lom_bot.store.uow import UnitOfWork

BEYOND = "consider escalation beyond letters (interview, arrest, CPS file, recall referral)"


def contact_effects(
    uow: UnitOfWork,
    actor: Actor,
    subject: Subject,
    contact: Contact,
    field: str,
    before: str | None,
) -> str | None:
    """Re-derive what depends on a contact's outcome or date; the prompt text, if one is raised."""
    if field not in ("outcome", "date"):
        return None
    if contact.outcome is ContactOutcome.AWAITING_EVIDENCE:
        days = uow.config.due.awaiting_evidence_working_days
        contact.evidence_due_on = add_working_days(contact.occurred_on, days)
    else:
        contact.evidence_due_on = None
    uow.session.flush()
    open_reports = uow.session.scalars(
        select(BreachReport).where(
            BreachReport.subject_id == subject.id,
            BreachReport.status != BreachStatus.ASSESSED,
            BreachReport.deleted.is_(False),
        )
    )
    for report in open_reports:  # a card already posted shows the counts as they now stand
        if triage_post(uow, report) is not None:
            refresh_triage(uow, report, actor.slack_id)
    if contact.outcome not in UNACCEPTABLE_FAILURES:
        return None
    found = failures(uow, subject.id)
    rules = uow.config.due
    if len(found) < rules.escalation_failures:
        return None
    listed = "; ".join(f.what for f in found[-4:])
    prompt = (
        f"{subject.ref}: after a correction by <@{actor.slack_id}>, {len(found)} unacceptable "
        f"failures in the last {rules.escalation_window_months} months ({listed}): {BEYOND}. "
        "A prompt, not a decision."
    )
    uow.send(
        "post",
        uow.config.channels.triage.id,
        {"text": prompt},
        actor=actor.slack_id,
        classification=Classification.DETAIL,
        subjects=[subject.ref],
        purpose="escalation prompt after a correction",
    )
    return prompt
