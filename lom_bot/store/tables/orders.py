"""Orders, their conditions, court events, checklists, visits and transfers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lom_bot.domain.enums import (
    ChecklistKind,
    Commencement,
    ConditionCategory,
    DutyKind,
    OrderRoute,
    OrderStatus,
)
from lom_bot.store.tables.base import Base, Timestamped
from lom_bot.store.types import UTCDateTime, enum_column


class Order(Base, Timestamped):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status", "status"), Index("ix_orders_expires", "expires_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(20), unique=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    route: Mapped[OrderRoute | None] = mapped_column(enum_column(OrderRoute))
    court: Mapped[str | None] = mapped_column(String(120))
    made_on: Mapped[date | None] = mapped_column(Date)
    issuing_force: Mapped[str | None] = mapped_column(String(80))
    managing_force: Mapped[str | None] = mapped_column(String(80))
    commencement: Mapped[Commencement] = mapped_column(
        enum_column(Commencement), default=Commencement.ON_RELEASE
    )
    starts_on: Mapped[date | None] = mapped_column(Date)  # fixed date, or expected release
    activated_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    term_months: Mapped[int | None] = mapped_column(Integer)  # length set by the court
    grounds: Mapped[str | None] = mapped_column(Text)
    bound_how: Mapped[str | None] = mapped_column(String(40))  # represented / in_person / post
    served_on: Mapped[date | None] = mapped_column(Date)
    served_by: Mapped[str | None] = mapped_column(String(120))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(Text)
    pending_court_event: Mapped[str | None] = mapped_column(String(40))
    education_override: Mapped[str | None] = mapped_column(Text)
    # Two live orders for one subject (a transfer in): what a supervisor must decide, until done.
    governs_question: Mapped[str | None] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    conditions: Mapped[list[Condition]] = relationship(
        back_populates="order", lazy="raise", order_by="Condition.number"
    )


class Condition(Base):
    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    category: Mapped[ConditionCategory] = mapped_column(enum_column(ConditionCategory))
    wording: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    duty: Mapped[DutyKind] = mapped_column(enum_column(DutyKind), default=DutyKind.NONE)
    duty_days: Mapped[int | None] = mapped_column(Integer)  # by the Nth / within N days
    duty_description: Mapped[str | None] = mapped_column(String(200))
    watch_for: Mapped[str | None] = mapped_column(String(200))  # plain hint for districts
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    order: Mapped[Order] = relationship(back_populates="conditions", lazy="raise")


class OrderEvent(Base):
    """Every recorded court or life-cycle event, with a snapshot of the order after it.

    Keeping the snapshot lets an officer see what the order said on any date.
    """

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # granted, varied_s17, extended_s22e, ...
    status_from: Mapped[str | None] = mapped_column(String(40))
    status_to: Mapped[str | None] = mapped_column(String(40))
    effective_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Checklist(Base):
    __tablename__ = "checklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ChecklistKind] = mapped_column(enum_column(ChecklistKind))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)

    steps: Mapped[list[ChecklistStep]] = relationship(lazy="raise", order_by="ChecklistStep.id")


class ChecklistStep(Base):
    __tablename__ = "checklist_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklists.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    requested_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str | None] = mapped_column(String(80))


class EducationVisit(Base):
    __tablename__ = "education_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    booked_for: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))  # acknowledged | refused
    acknowledged: Mapped[list[int] | None] = mapped_column(JSON)  # condition numbers
    service_evidence: Mapped[str | None] = mapped_column(Text)  # in person / recorded delivery
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Transfer(Base):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in | out
    other_force: Mapped[str] = mapped_column(String(80))
    checklist_id: Mapped[int | None] = mapped_column(ForeignKey("checklists.id"))
    started_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    needs_separate_order: Mapped[bool] = mapped_column(Boolean, default=False)
