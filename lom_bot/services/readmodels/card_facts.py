"""The subject card's first statement: its current order with the officer's name, how much
intelligence there is, and the order's last education visit and the subject's last transfer."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Date, ScalarSelect, Select, bindparam, case, func, literal, select
from sqlalchemy.orm import aliased

from lom_bot.domain.lifecycle import ENDED
from lom_bot.services.readmodels.card_rows import SUBJECT
from lom_bot.store.holders import cover_until_column, holder_column
from lom_bot.store.tables import EducationVisit, Intelligence, Order, Subject, Transfer, User


def _current_order_id() -> ScalarSelect[int]:
    """queries.current_order in SQL: the newest live order, else the newest."""
    o = aliased(Order)
    ended = case((o.status.in_(sorted(ENDED)), 1), else_=0)
    return (
        select(o.id)
        .where(o.subject_id == SUBJECT)
        .order_by(ended, o.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@cache
def limited_facts_statement() -> Select[Order]:
    """The current order alone: all a district officer's card shows of it."""
    return select(Order).where(Order.id == _current_order_id())


@cache
def facts_statement(intel: bool) -> Select[Any]:
    """The current order (or none), the officer's name, how much intelligence there is, and
    the order's last education visit and the subject's last transfer."""
    visit, transfer, owner = aliased(EducationVisit), aliased(Transfer), aliased(User)
    last_visit = select(func.max(EducationVisit.id)).where(EducationVisit.order_id == Order.id)
    last_transfer = select(func.max(Transfer.id)).where(Transfer.subject_id == SUBJECT)
    intel_count = (
        select(func.count(Intelligence.id)).where(Intelligence.subject_id == SUBJECT)
        if intel
        else select(literal(0))
    )
    return (
        select(
            Order,
            User.name,
            intel_count.scalar_subquery(),
            visit.id.label("v_id"),
            visit.booked_for,
            visit.done_on,
            visit.outcome,
            visit.service_evidence,
            transfer.id.label("t_id"),
            transfer.direction,
            transfer.other_force,
            transfer.started_on,
            transfer.accepted_on,
            transfer.needs_separate_order,
            User.id.label("holder_id"),  # with the cover's end and the subject's own officer
            cover_until_column(bindparam("today", type_=Date)).label("cover_until"),
            owner.name.label("owner_name"),
        )
        .select_from(Subject)
        .outerjoin(Order, Order.id == _current_order_id())
        .outerjoin(User, User.id == holder_column(bindparam("today", type_=Date)))
        .outerjoin(owner, owner.id == Subject.officer_id)
        .outerjoin(visit, visit.id == last_visit.scalar_subquery())
        .outerjoin(transfer, transfer.id == last_transfer.scalar_subquery())
        .where(Subject.id == SUBJECT)
    )
