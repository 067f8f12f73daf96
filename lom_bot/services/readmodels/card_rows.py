"""The shared parameters and row shape of the subject card's statements: the kind tags, and
the helpers that put one kind of record into the lists' common columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal_column,
    null,
    select,
    type_coerce,
)

SUBJECT = bindparam("subject_id", type_=Integer)
ORDER = bindparam("order_id", type_=Integer)

(
    ALIAS,
    CONDITION,
    TASK,
    EVENT,
    STEP,
    CONTACT,
    EVIDENCE,
    BREACH,
    FOLLOW_UP,
    RELEASE,
    INTEL,
    CORRECTED,
    VEHICLE,
    ASSOCIATE,
    TASK_RESULT,
    SHARED,
) = range(16)
TEXTS = ("a", "b", "c", "d", "e", "f")
DATES = ("x", "y")


def branch(
    tag: int,
    order: Sequence[Any],
    columns: dict[str, Any],
    where: Sequence[Any] = (),
    *,
    join: tuple[Any, Any] | None = None,
    source: Any = None,
    pos: Any = None,
) -> Select[Any]:
    """One kind of record in the lists' shared columns: tag, position (by `order`, or `pos`
    when the source numbered its rows), a number, six texts and two dates (texts and enums
    as strings, the rest NULL)."""

    def typed(name: str, kind: Any) -> ColumnElement[Any]:
        value = columns.get(name)
        return type_coerce(null() if value is None else value, kind).label(name)

    query = select(
        literal_column(str(tag), Integer).label("tag"),
        (func.row_number().over(order_by=list(order)) if pos is None else pos).label("pos"),
        typed("n", Integer),
        *(typed(name, String) for name in TEXTS),
        *(typed(name, Date) for name in DATES),
    )
    if source is not None:
        query = query.select_from(source)
    if join is not None:
        query = query.outerjoin(*join)
    return query.where(*where)


def latest(
    tag: int, order: Sequence[Any], columns: dict[str, Any], where: Any, limit: int
) -> Select[Any]:
    """The first `limit` rows in `order`, numbered in the same scan (so ties come out as a
    plain ORDER BY ... LIMIT gives them)."""
    first = (
        select(func.row_number().over(order_by=list(order)).label("pos"), *columns.values())
        .where(where)
        .order_by(*order)
        .limit(limit)
        .subquery()
    )
    picked = {k: first.c[column.key] for k, column in columns.items()}
    return branch(tag, (), picked, source=first, pos=first.c.pos)
