"""Users of the bot and the subjects they manage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lom_bot.domain.enums import CustodyStatus, ReleaseDateKind, RiskLevel, Role
from lom_bot.store.tables.base import Base, Timestamped
from lom_bot.store.types import UTCDateTime, enum_column


class User(Base, Timestamped):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role | None] = mapped_column(enum_column(Role), nullable=True)
    district: Mapped[str | None] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Subject(Base, Timestamped):
    __tablename__ = "subjects"
    __table_args__ = (
        Index("ix_subjects_district_state", "district", "custody_status"),
        Index("ix_subjects_officer", "officer_id"),
        # the matching directory's change check reads max(updated_at) per district message
        Index("ix_subjects_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str | None] = mapped_column(String(10))  # Mr, Ms, Mx...: a letter's "Dear"
    given_names: Mapped[str] = mapped_column(String(120))
    family_name: Mapped[str] = mapped_column(String(120))
    born_on: Mapped[date | None] = mapped_column(Date)
    pnc_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    niche_id: Mapped[str | None] = mapped_column(String(30))
    visor_ref: Mapped[str | None] = mapped_column(String(30))
    prison_number: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str] = mapped_column(String(60))
    description: Mapped[str | None] = mapped_column(Text)  # photo-free, for district officers
    risk_level: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel))
    custody_status: Mapped[CustodyStatus] = mapped_column(enum_column(CustodyStatus))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)  # transferred out
    review_on: Mapped[date | None] = mapped_column(Date)  # retention review
    version: Mapped[int] = mapped_column(Integer, default=1)

    officer: Mapped[User | None] = relationship(lazy="raise")
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="subject", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.family_name}"


class Alias(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("subject_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    subject: Mapped[Subject] = relationship(back_populates="aliases", lazy="raise")


class ReleaseDate(Base):
    """Every release date ever recorded; the newest per kind is the current one."""

    __tablename__ = "release_dates"
    __table_args__ = (Index("ix_release_dates_subject_kind", "subject_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    kind: Mapped[ReleaseDateKind] = mapped_column(enum_column(ReleaseDateKind))
    on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actual: Mapped[bool] = mapped_column(Boolean, default=False)  # the day they walked out


class Associate(Base):
    """A person the subject may not associate with (non-association terms)."""

    __tablename__ = "associates"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    linked_subject_id: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    notes: Mapped[str | None] = mapped_column(Text)


class Handover(Base):
    """A caseload handover: a subject moved from one officer to another. With `until` it is
    cover, in effect from `starts_on` to `until` inclusive and read by store/holders.py;
    without, it is the record of a permanent move (the subject's officer_id was changed)."""

    __tablename__ = "handovers"
    __table_args__ = (Index("ix_handovers_subject_dates", "subject_id", "starts_on", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    from_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)  # last day of cover; None: for good
    made_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(200))
