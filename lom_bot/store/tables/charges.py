"""s.22E charges: an order extended while a charge is pending stays in force until it is
disposed of, so the charge and its disposal are records of their own."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lom_bot.store.tables.base import Base
from lom_bot.store.types import UTCDateTime


class OrderCharge(Base):
    """The charge an s.22E extension waits for: offence, when charged, where, and its disposal."""

    __tablename__ = "order_charges"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    offence: Mapped[str] = mapped_column(String(200))
    charged_on: Mapped[date] = mapped_column(Date)
    court: Mapped[str | None] = mapped_column(String(120))
    disposal: Mapped[str | None] = mapped_column(String(200))  # convicted ..., acquitted, ...
    disposed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
