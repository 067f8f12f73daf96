"""The pack's record files as models: contacts, checks, intelligence, breaches, documents."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from lom_bot.domain.enums import (
    AssessmentOutcome,
    BreachStatus,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    FollowUpKind,
)
from lom_bot.services.transfer_pack.model_base import Strict


class ContactRecord(Strict):
    id: int  # the sending force's own id, so later files can refer to it
    kind: ContactKind
    occurred_on: date
    officer: str | None
    location: str | None
    outcome: ContactOutcome
    absence_reason: str | None
    notes: str | None
    evidence_due_on: date | None
    recorded_at: datetime
    corrected_at: datetime | None


class ContactsFile(Strict):
    contacts: list[ContactRecord]


class CheckRecord(Strict):
    id: int
    kind: CheckKind
    done_on: date
    officer: str | None
    result: CheckResult
    notes: str | None
    intelligence_ref: str | None
    breach_ref: str | None
    recorded_at: datetime


class ChecksFile(Strict):
    checks: list[CheckRecord]


class DisseminationRecord(Strict):
    recipient: str
    shared_on: date
    shared_by: str | None


class IntelRecord(Strict):
    ref: str
    text: str
    source_grade: Literal["1", "2", "3"]
    intel_grade: Literal["A", "B", "C", "D", "E"]
    handling: Literal["P", "C"]
    handling_conditions: str | None
    breach_opportunity: bool
    recorded_by: str | None
    recorded_at: datetime
    review_on: date | None
    disseminations: list[DisseminationRecord]


class WithheldRecord(Strict):
    ref: str
    recorded_at: datetime
    handling: Literal["P", "C"]
    reason: str


class IntelligenceFile(Strict):
    """intelligence.json: what the handling codes let go, and what was withheld and why."""

    shared: list[IntelRecord]
    withheld: list[WithheldRecord]


class EditRecord(Strict):
    kind: str
    text: str
    by_slack_id: str | None
    at: datetime


class AssessmentRecord(Strict):
    outcome: AssessmentOutcome
    rationale: str
    excuse_accepted: bool
    decided_by: str | None
    decided_at: datetime


class CourtOutcomeRecord(Strict):
    id: int  # the sending force's id, so a sentence can name its charge (charge_id)
    kind: str
    detail: dict[str, Any]
    on: date
    court: str | None
    recorded_by: str | None
    charge_id: int | None
    offence: str | None
    section: str | None
    plea: str | None
    disposal: str | None
    custody_months: int | None
    fine_pounds: int | None
    penalty: str | None
    new_order: bool | None


class BreachRecord(Strict):
    ref: str
    status: BreachStatus
    source: str
    reporter_slack_id: str
    district: str | None
    text: str
    seen_at: str | None
    seen_where: str | None
    order_ref: str | None  # with condition_number: the condition it touches
    condition_number: int | None
    match_score: int | None
    match_reason: str | None
    sighting_ref: str | None  # the first report of a sighting naming several subjects
    deleted: bool
    received_at: datetime
    edits: list[EditRecord]
    assessment: AssessmentRecord | None
    court_outcomes: list[CourtOutcomeRecord]


class FollowUpRecord(Strict):
    id: int
    breach_ref: str | None
    kind: FollowUpKind
    due_on: date | None
    done_on: date | None
    owner: str | None
    note: str | None


class BreachesFile(Strict):
    """breaches.json: breach reports, their assessment and court outcomes, and the ladder."""

    breaches: list[BreachRecord]
    follow_ups: list[FollowUpRecord]


class DocumentRecord(Strict):
    path: str
    kind: str
    filename: str
    follow_up_id: int | None
    created_by: str | None
    created_at: datetime


class DocumentsFile(Strict):
    """documents.json: letters and other documents; each file is under documents/."""

    documents: list[DocumentRecord]
