"""Who holds a subject on a given day: the one answer the digest, App Home, caseload lists,
the subject card and tasks all read.

A subject's officer is `subjects.officer_id`, unless a handover gives cover to another officer
on that day (`handovers` with `until`, from `starts_on` to `until` inclusive; the newest cover
in effect wins). Cover therefore ends by itself: on the day after `until` this reads the
subject's own officer again, with no job to run and nothing to undo.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, func, select
from sqlalchemy.orm import Session

from lom_bot.store.tables import Handover, Subject


def _cover(day: date | BindParameter[date], column: Any) -> Any:
    """`column` of the newest cover of `Subject` in effect on `day`, as a scalar subquery."""
    return (
        select(column)
        .where(
            Handover.subject_id == Subject.id,
            Handover.until.is_not(None),
            Handover.starts_on <= day,
            Handover.until >= day,
        )
        .order_by(Handover.id.desc())
        .limit(1)
        .correlate_except(Handover)
        .scalar_subquery()
    )


def holder_column(day: date | BindParameter[date]) -> ColumnElement[Any]:
    """The officer holding `Subject` on `day` (a column for any query over subjects; `day` may
    be a bound parameter, for statements built once and run with today's date)."""
    return func.coalesce(_cover(day, Handover.to_officer_id), Subject.officer_id)


def cover_until_column(day: date | BindParameter[date]) -> ColumnElement[Any]:
    """The last day of the cover by which `Subject` is held on `day` (NULL: no cover)."""
    result: ColumnElement[Any] = _cover(day, Handover.until)
    return result


def holder_on(session: Session, subject_id: int, day: date) -> int | None:
    """Who holds one subject on `day`."""
    return session.scalar(select(holder_column(day)).where(Subject.id == subject_id))


def held_by(day: date, officer_id: int | None) -> ColumnElement[bool]:
    """The condition that `Subject` is held by the officer on `day`."""
    return holder_column(day) == officer_id


def covers_on(session: Session, day: date, subject_ids: list[int]) -> dict[int, Handover]:
    """The cover in effect on `day` for each of the subjects that has one."""
    if not subject_ids:
        return {}
    rows = session.scalars(
        select(Handover)
        .where(Handover.subject_id.in_(subject_ids), Handover.until.is_not(None))
        .where(Handover.starts_on <= day, Handover.until >= day)
        .order_by(Handover.id)
    )
    return {row.subject_id: row for row in rows}  # the newest wins
