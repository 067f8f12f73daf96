"""Record history: every correction or change of a recorded value, and the record kinds added
with it (notifications a subject made under a reporting duty, vehicles they use)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lom_bot.store.tables.base import Base
from lom_bot.store.types import UTCDateTime


class Correction(Base):
    """One value superseded: what it was, what it became, who, when and why. The record holds
    the current value; every earlier one stays here (nothing is overwritten without trace)."""

    __tablename__ = "corrections"
    __table_args__ = (
        Index("ix_corrections_subject", "subject_id", "at"),
        Index("ix_corrections_record", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    entity: Mapped[str] = mapped_column(String(20))  # contact, check, intelligence, task, ...
    entity_id: Mapped[int] = mapped_column(Integer)
    record_ref: Mapped[str] = mapped_column(String(20))  # CON-00012, INT-00003, LOM-0042
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    # True: the earlier value was wrong; False: the facts changed (custody, address, risk)
    correction: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_slack_id: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Notification(Base):
    """Something the subject notified under a reporting duty: what, when, by what means, and
    whether it was on time against the order's requirement."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_subject", "subject_id", "notified_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    condition_id: Mapped[int | None] = mapped_column(ForeignKey("conditions.id"))
    what: Mapped[str] = mapped_column(String(20))  # device, vehicle, address, bank_account, ...
    detail: Mapped[str | None] = mapped_column(Text)
    event_on: Mapped[date | None] = mapped_column(Date)  # when the notifiable thing happened
    notified_on: Mapped[date] = mapped_column(Date)
    means: Mapped[str] = mapped_column(String(20))  # in person, phone, email, letter, portal
    due_by: Mapped[date | None] = mapped_column(Date)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_key: Mapped[str | None] = mapped_column(String(80), unique=True)


class Vehicle(Base):
    """A vehicle the subject is known to use; removed ones are kept with the date."""

    __tablename__ = "vehicles"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    registration: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class VisitEvidence(Base):
    """What an education visit's record adds for a court: where, who was there, conditions the
    subject disputed (explained, not accepted), and whether the acknowledgement was signed."""

    __tablename__ = "visit_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("education_visits.id"), unique=True)
    place: Mapped[str | None] = mapped_column(String(200))
    present: Mapped[str | None] = mapped_column(Text)
    disputed: Mapped[list[int] | None] = mapped_column(JSON)
    signed: Mapped[bool | None] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
