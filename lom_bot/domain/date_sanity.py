"""Date sanity for every route that records something: one rule, one-line refusals naming the
field (an event cannot predate the subject's 10th birthday, nor lie ahead unless it is a date
that is in the future by nature, nor precede the order it belongs to)."""

from __future__ import annotations

from datetime import date

from lom_bot.domain.dates import add_years, format_date
from lom_bot.domain.errors import InvalidDate

# Part 1 of the Serious Crime Act 2007 (SCPOs) came into force on 6 April 2008.
SCPOS_EXIST_FROM = date(2008, 4, 6)
# Below the age of criminal responsibility in England and Wales nothing we record can happen.
EARLIEST_AGE = 10


def check_made_on(made_on: date, *, today: date, born: date | None) -> None:
    """The date an order was made: a real past date, and not before SCPOs existed."""
    check_event_date(made_on, field="made", label="date the order was made", today=today, born=born)
    if made_on < SCPOS_EXIST_FROM:
        raise InvalidDate(
            f"The date the order was made {format_date(made_on)} is before SCPOs existed "
            f"({format_date(SCPOS_EXIST_FROM)}, Part 1 SCA 2007).",
            field="made",
        )


def check_event_date(
    on: date,
    *,
    field: str,
    label: str,
    today: date,
    born: date | None = None,
    future_ok: bool = False,
    not_before: date | None = None,
    not_before_what: str = "the order was made",
) -> None:
    """Refuse a date that cannot be right, naming the field; return quietly otherwise."""
    if born is not None and on < add_years(born, EARLIEST_AGE):
        raise InvalidDate(
            f"The {label} {format_date(on)} is before the subject's 10th birthday "
            f"({format_date(add_years(born, EARLIEST_AGE))}).",
            field=field,
        )
    if not future_ok and on > today:
        raise InvalidDate(
            f"The {label} {format_date(on)} is in the future.",
            field=field,
            example="today, yesterday or 24/11/2026",
        )
    if not_before is not None and on < not_before:
        raise InvalidDate(
            f"The {label} {format_date(on)} is before {not_before_what} "
            f"({format_date(not_before)}).",
            field=field,
        )
