"""What the breach services hand to the Block Kit builders: plain, already-formatted facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from lom_bot.domain.enums import AssessmentOutcome, BreachStatus

OUTCOME_LABELS: dict[AssessmentOutcome, str] = {
    AssessmentOutcome.NO_BREACH: "No breach",
    AssessmentOutcome.ADVICE: "Advice",
    AssessmentOutcome.FIRST_WARNING: "First warning letter",
    AssessmentOutcome.FINAL_WARNING: "Final warning letter",
    AssessmentOutcome.INTERVIEW: "Interview",
    AssessmentOutcome.ARREST: "Arrest",
    AssessmentOutcome.CPS_FILE: "CPS file",
    AssessmentOutcome.RECALL_REFERRAL: "Recall referral",
}
LETTERS_OR_LESS = frozenset(
    {AssessmentOutcome.ADVICE, AssessmentOutcome.FIRST_WARNING, AssessmentOutcome.FINAL_WARNING}
)
# A reasonable excuse means no s.25 offence: these outcomes cannot follow an accepted excuse.
ENFORCEMENT = frozenset(
    {
        AssessmentOutcome.FIRST_WARNING,
        AssessmentOutcome.FINAL_WARNING,
        AssessmentOutcome.INTERVIEW,
        AssessmentOutcome.ARREST,
        AssessmentOutcome.CPS_FILE,
    }
)


@dataclass(frozen=True)
class SubjectSummary:
    ref: str
    name: str
    district: str
    risk: str
    custody: str
    order: str  # "SCPO-0003 active, in force to the end of 01/02/2029" or "no order"
    officer: str


@dataclass(frozen=True)
class ConditionLine:
    number: int
    category: str
    wording: str
    touched: bool


@dataclass(frozen=True)
class OpenFollowUp:
    """A follow-up still to do, with the buttons it gets on the triage post."""

    id: int
    label: str  # the button: "Mark letter sent"
    letter: bool  # a warning letter the bot can draft


@dataclass(frozen=True)
class AssessmentLine:
    outcome: AssessmentOutcome
    by: str
    at: str
    rationale: str
    excuse_accepted: bool
    follow_ups: tuple[str, ...] = ()
    open_follow_ups: tuple[OpenFollowUp, ...] = ()


@dataclass(frozen=True)
class TriageView:
    """Everything the triage post shows about one report."""

    breach_id: int
    ref: str
    status: BreachStatus
    source: str
    reporter: str  # Slack user id
    channel_id: str | None
    district: str | None
    permalink: str | None
    received: str
    text: str
    seen_at: str | None = None
    seen_where: str | None = None
    match_reason: str | None = None
    subject: SubjectSummary | None = None
    conditions: tuple[ConditionLine, ...] = ()
    history: tuple[str, ...] = ()
    candidates: tuple[tuple[str, str], ...] = ()  # (ref, label) for the picker
    escalation: str | None = None
    edits: int = 0
    deleted: bool = False
    replies: tuple[str, ...] = ()
    question: str | None = None
    assessment: AssessmentLine | None = None
    court: tuple[str, ...] = field(default=())
    assess_by: str | None = None  # received + the configured working days
    sighting: str | None = None  # "Same message as BR-00043 (LOM-0013)"
    rematched: str | None = None  # what the reporter's last edit changed about the subject
