"""The transfer pack's files as typed models: the one definition the JSON Schema is made from."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from lom_bot.domain.enums import (
    ChecklistKind,
    Commencement,
    ConditionCategory,
    CustodyStatus,
    DutyKind,
    OrderRoute,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
)
from lom_bot.services.transfer_pack.model_base import FORMAT, MARKING, SCHEMA_VERSION, Strict
from lom_bot.services.transfer_pack.model_records import (
    AssessmentRecord,
    BreachesFile,
    BreachRecord,
    CheckRecord,
    ChecksFile,
    ContactRecord,
    ContactsFile,
    CourtOutcomeRecord,
    DisseminationRecord,
    DocumentRecord,
    DocumentsFile,
    EditRecord,
    FollowUpRecord,
    IntelligenceFile,
    IntelRecord,
    WithheldRecord,
)

__all__ = [
    "FORMAT",
    "MARKING",
    "SCHEMA_VERSION",
    "AssessmentRecord",
    "BreachRecord",
    "BreachesFile",
    "CheckRecord",
    "ChecksFile",
    "ContactRecord",
    "ContactsFile",
    "CourtOutcomeRecord",
    "DisseminationRecord",
    "DocumentRecord",
    "DocumentsFile",
    "EditRecord",
    "FollowUpRecord",
    "IntelRecord",
    "IntelligenceFile",
    "Strict",
    "WithheldRecord",
]


class FileEntry(Strict):
    path: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)
    media_type: str
    describes: str


class Officer(Strict):
    name: str
    slack_id: str | None = None
    role: str | None = None


class SubjectRef(Strict):
    ref: str
    name: str


class Manifest(Strict):
    """manifest.json: what the pack is, who sent it, and every other file with its SHA-256."""

    format: Literal["lom-transfer-pack"]
    schema_version: int
    bundle_id: str = Field(pattern=r"^[0-9a-f-]{36}$")
    created_at: datetime
    sending_force: str = Field(min_length=1)
    receiving_force: str = Field(min_length=1)
    officer: Officer
    subject: SubjectRef
    producer: str
    marking: Literal["OFFICIAL-SENSITIVE"]
    files: list[FileEntry]


class ReleaseDateRecord(Strict):
    kind: ReleaseDateKind
    on: date
    recorded_at: datetime
    recorded_by: str | None
    actual: bool


class AssociateRecord(Strict):
    name: str
    notes: str | None
    linked_subject_ref: str | None


class SubjectFile(Strict):
    """subject.json: identity, identifiers, aliases, release dates, associates."""

    ref: str
    title: str | None = None  # Mr, Ms...: how letters address the subject
    given_names: str
    family_name: str
    born_on: date | None
    pnc_id: str | None
    niche_id: str | None
    visor_ref: str | None
    prison_number: str | None
    address: str | None
    district: str
    description: str | None
    risk_level: RiskLevel
    custody_status: CustodyStatus
    officer: str | None
    aliases: list[str]
    release_dates: list[ReleaseDateRecord]
    associates: list[AssociateRecord]


class ConditionRecord(Strict):
    number: int
    category: ConditionCategory
    wording: str  # verbatim, as the court made it
    starts_on: date | None
    ends_on: date | None
    duty: DutyKind
    duty_days: int | None
    duty_description: str | None
    watch_for: str | None
    active: bool


class VersionRecord(Strict):
    """One recorded event of the order, with the order as it stood after it (the snapshot)."""

    kind: str
    status_from: str | None
    status_to: str | None
    effective_on: date
    note: str | None
    snapshot: dict[str, Any] | None
    recorded_by: str | None
    recorded_at: datetime


class VisitRecord(Strict):
    booked_for: date | None
    done_on: date | None
    outcome: str | None
    acknowledged: list[int] | None
    service_evidence: str | None
    officer: str | None


class StepRecord(Strict):
    name: str
    requested_on: date | None
    received_on: date | None
    done_on: date | None
    done_by: str | None
    reference: str | None


class ChecklistRecord(Strict):
    kind: ChecklistKind
    opened_on: date
    completed_on: date | None
    steps: list[StepRecord]


class OrderRecord(Strict):
    ref: str
    status: OrderStatus
    route: OrderRoute | None
    court: str | None
    made_on: date | None
    issuing_force: str | None
    managing_force: str | None
    commencement: Commencement
    starts_on: date | None
    activated_on: date | None
    expires_on: date | None
    term_months: int | None
    grounds: str | None
    bound_how: str | None
    served_on: date | None
    served_by: str | None
    supersedes_ref: str | None
    proposed_at: datetime | None
    decided_at: datetime | None
    decision_note: str | None
    pending_court_event: str | None
    education_override: str | None
    review_on: date | None
    version: int
    conditions: list[ConditionRecord]
    versions: list[VersionRecord]
    education_visits: list[VisitRecord]
    checklists: list[ChecklistRecord]


class OrdersFile(Strict):
    """orders.json: every order, with its conditions verbatim and every recorded version."""

    orders: list[OrderRecord]


# path in the zip -> (model, what it holds); the manifest's `describes` says the same
CONTENT: dict[str, tuple[type[Strict], str]] = {
    "subject.json": (SubjectFile, "identity and aliases"),
    "orders.json": (OrdersFile, "orders, versions and verbatim conditions"),
    "contacts.json": (ContactsFile, "contacts"),
    "checks.json": (ChecksFile, "compliance checks"),
    "intelligence.json": (IntelligenceFile, "intelligence passed on, and withheld"),
    "breaches.json": (BreachesFile, "breach reports, enforcement ladder, court outcomes"),
    "documents.json": (DocumentsFile, "letters and documents"),
}
