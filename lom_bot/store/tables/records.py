"""What officers record about a subject: contacts, checks, intelligence, breaches, tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lom_bot.domain.enums import (
    AssessmentOutcome,
    BreachStatus,
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    FollowUpKind,
    HandlingCode,
    IntelGrade,
    SourceGrade,
    TaskKind,
    TaskStatus,
)
from lom_bot.store.tables.base import Base
from lom_bot.store.types import UTCDateTime, enum_column


class Contact(Base):
    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_subject_when", "subject_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    kind: Mapped[ContactKind] = mapped_column(enum_column(ContactKind))
    occurred_on: Mapped[date] = mapped_column(Date)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    location: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[ContactOutcome] = mapped_column(enum_column(ContactOutcome))
    absence_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    evidence_due_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)  # idempotency


class Check(Base):
    __tablename__ = "checks"
    __table_args__ = (Index("ix_checks_subject_when", "subject_id", "done_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    kind: Mapped[CheckKind] = mapped_column(enum_column(CheckKind))
    done_on: Mapped[date] = mapped_column(Date)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[CheckResult] = mapped_column(enum_column(CheckResult))
    notes: Mapped[str | None] = mapped_column(Text)
    intelligence_id: Mapped[int | None] = mapped_column(ForeignKey("intelligence.id"))
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breach_reports.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)


class Intelligence(Base):
    __tablename__ = "intelligence"
    __table_args__ = (Index("ix_intelligence_subject_when", "subject_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    text: Mapped[str] = mapped_column(Text)
    source_grade: Mapped[SourceGrade] = mapped_column(enum_column(SourceGrade))
    intel_grade: Mapped[IntelGrade] = mapped_column(enum_column(IntelGrade))
    handling: Mapped[HandlingCode] = mapped_column(enum_column(HandlingCode))
    handling_conditions: Mapped[str | None] = mapped_column(Text)
    breach_opportunity: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    review_on: Mapped[date | None] = mapped_column(Date)
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)


class Dissemination(Base):
    """Who intelligence was shared with, and when: a disclosure."""

    __tablename__ = "disseminations"

    id: Mapped[int] = mapped_column(primary_key=True)
    intelligence_id: Mapped[int] = mapped_column(ForeignKey("intelligence.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(120))
    shared_on: Mapped[date] = mapped_column(Date)
    shared_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handling: Mapped[str | None] = mapped_column(String(40))  # e.g. "P", or C's conditions
    purpose: Mapped[str | None] = mapped_column(String(300))


class BreachReport(Base):
    __tablename__ = "breach_reports"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_ts", name="uq_breach_reports_message"),
        Index("ix_breach_reports_status", "status", "received_at"),
        Index("ix_breach_reports_subject", "subject_id"),
        Index("ix_breach_reports_sighting", "sighting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    status: Mapped[BreachStatus] = mapped_column(enum_column(BreachStatus))
    source: Mapped[str] = mapped_column(String(20))  # message | shortcut | command | modal
    reporter_slack_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    permalink: Mapped[str | None] = mapped_column(String(400))
    district: Mapped[str | None] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    seen_at: Mapped[str | None] = mapped_column(String(120))
    seen_where: Mapped[str | None] = mapped_column(String(200))
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("conditions.id"))
    candidates: Mapped[list[str] | None] = mapped_column(JSON)  # refs a person must choose from
    match_score: Mapped[int | None] = mapped_column(Integer)
    # why it was matched, or why a person must choose ("surname shared by 2 subjects")
    match_reason: Mapped[str | None] = mapped_column(String(200))
    # the first report made from the same message, when the message named several subjects
    sighting_id: Mapped[int | None] = mapped_column(ForeignKey("breach_reports.id"))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    triage_ts: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BreachEdit(Base):
    """The earlier text of an edited report, or a thread reply attached to it."""

    __tablename__ = "breach_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach_reports.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # edit | reply | deleted
    text: Mapped[str] = mapped_column(Text)
    by_slack_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    message_ts: Mapped[str | None] = mapped_column(String(32))


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach_reports.id"), unique=True)
    outcome: Mapped[AssessmentOutcome] = mapped_column(enum_column(AssessmentOutcome))
    rationale: Mapped[str] = mapped_column(Text)
    excuse_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FollowUp(Base):
    """What an assessment implies: a letter to send, a task, a CPS file, a recall referral."""

    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_open", "done_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breach_reports.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    kind: Mapped[FollowUpKind] = mapped_column(enum_column(FollowUpKind))
    due_on: Mapped[date | None] = mapped_column(Date)  # response date or target
    done_on: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)


class CourtOutcome(Base):
    __tablename__ = "court_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    breach_id: Mapped[int] = mapped_column(ForeignKey("breach_reports.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # charge, plea, verdict, sentence, variation
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    on: Mapped[date] = mapped_column(Date)
    court: Mapped[str | None] = mapped_column(String(120))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Structured fields (services/court_fields.py fills them on every route), so sentencing
    # can be compared: a sentence row carries its charge's offence and plea as well.
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("court_outcomes.id"))
    offence: Mapped[str | None] = mapped_column(String(200))
    section: Mapped[str | None] = mapped_column(String(40))  # e.g. "s.25"
    plea: Mapped[str | None] = mapped_column(String(20))  # guilty | not_guilty
    disposal: Mapped[str | None] = mapped_column(String(30))  # custody, fine, ...
    custody_months: Mapped[int | None] = mapped_column(Integer)
    fine_pounds: Mapped[int | None] = mapped_column(Integer)
    penalty: Mapped[str | None] = mapped_column(String(200))  # other terms, in words
    new_order: Mapped[bool | None] = mapped_column(Boolean)  # None: not stated


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_open_due", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    district: Mapped[str] = mapped_column(String(60))
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind))
    due_on: Mapped[date] = mapped_column(Date)
    instructions: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.OPEN)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    done_on: Mapped[date | None] = mapped_column(Date)
    breach_id: Mapped[int | None] = mapped_column(ForeignKey("breach_reports.id"))
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    result: Mapped[str | None] = mapped_column(String(20))  # TaskResult: done | not_found ...
    done_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM, as the officer said
    for_lom: Mapped[str | None] = mapped_column(Text)  # anything for the LOM team


class Document(Base):
    """A generated letter, kept with the record."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    follow_up_id: Mapped[int | None] = mapped_column(ForeignKey("follow_ups.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the service record: a letter is issued when served, not when generated
    served_on: Mapped[date | None] = mapped_column(Date)
    served_how: Mapped[str | None] = mapped_column(String(40))
    served_by: Mapped[int | None] = mapped_column(Integer)


class Draft(Base):
    """A plain-message record the bot understood, waiting for the officer to confirm."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_slack_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
