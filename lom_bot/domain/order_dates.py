"""The one date model for an order's term: when it runs to, and how that is said.

An order's expiry date is the LAST DAY IT IS IN FORCE: it ceases at the end of that day.
A term of N months "beginning with" the day the order comes into force (s.16 SCA 2007) ends
the day before the corresponding date N months later; when that month has no corresponding
date (a 29, 30 or 31 start in a shorter month), the term ends on that month's last day.
So an order in force from 1 March 2026 for 60 months runs to 28 February 2031, and one from
29 February 2028 to 28 February 2033. Every route (grant, activation, release date changes,
variation, extension, transfer in, import, the expiry job, letters) uses these functions.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import InvalidDate

MAX_YEARS = 5
MAX_MONTHS = MAX_YEARS * 12

EXPIRY_MEANING = (
    "An order's expiry date is the last day it is in force: it ceases at the end of that day "
    "(s.16 SCA 2007: at most 5 years beginning with the day it comes into force)."
)


def last_day_in_force(starts_on: date, term_months: int) -> date:
    """The last day of a term of `term_months` months beginning with `starts_on`."""
    index = starts_on.year * 12 + starts_on.month - 1 + term_months
    year, month = divmod(index, 12)
    month += 1
    days_in_month = calendar.monthrange(year, month)[1]
    if starts_on.day > days_in_month:
        return date(year, month, days_in_month)
    return date(year, month, starts_on.day) - timedelta(days=1)


def latest_expiry(starts_on: date) -> date:
    """The last day of the 5 years beginning with the day the order comes into force (s.16)."""
    return last_day_in_force(starts_on, MAX_MONTHS)


def expiry_for(starts_on: date | None, term_months: int | None) -> date | None:
    """The expiry (last day in force) of a term, or None while the start is not known."""
    if starts_on is None or term_months is None:
        return None
    return last_day_in_force(starts_on, term_months)


def ceases_on(expires_on: date) -> date:
    """The first day the order is no longer in force."""
    return expires_on + timedelta(days=1)


def in_force_on(expires_on: date | None, day: date) -> bool:
    """Is an order with this expiry still in force on `day` (the expiry day itself counts)?"""
    return expires_on is None or day <= expires_on


def check_still_in_force(expires_on: date | None, today: date, *, what: str) -> None:
    """Refuse to record as live an order whose last day in force has already passed."""
    if expires_on is not None and expires_on < today:
        raise InvalidDate(
            f"{what} {expired_at(expires_on)}: it is no longer in force, so it cannot be "
            "recorded as a live order here. Check the last day in force on the certified copy "
            "(a variation or s.22E extension may have moved it).",
            field="expires",
        )


def runs_to(expires_on: date | None) -> str:
    """How every message says when an order runs to."""
    if expires_on is None:
        return "end date not yet known"
    return f"in force to the end of {format_date(expires_on)}"


def expired_at(expires_on: date | None) -> str:
    """How every message says that an order has ended by expiry."""
    if expires_on is None:
        return "expired (end date not recorded)"
    return f"expired at the end of {format_date(expires_on)}"
