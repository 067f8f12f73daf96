"""Date parsing for chat input, and the legal date arithmetic."""

from __future__ import annotations

import re
from datetime import date, timedelta

from lom_bot.domain.errors import InvalidDate

DATE_EXAMPLE = "25/11/2026, 2026-11-25, today, yesterday, tomorrow or +7d"

_RELATIVE = re.compile(r"^([+-])(\d{1,4})([dwm])$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")


def parse_date(text: str, today: date, *, field: str = "date") -> date:
    """Read a date as officers type it; raise InvalidDate with an example otherwise."""
    value = text.strip().lower()
    words = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if value in words:
        return today + timedelta(days=words[value])
    if match := _RELATIVE.match(value):
        sign, amount, unit = match.groups()
        n = int(amount) * (-1 if sign == "-" else 1)
        if unit == "d":
            return today + timedelta(days=n)
        if unit == "w":
            return today + timedelta(weeks=n)
        return add_months(today, n)
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK.match(value):
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
    else:
        raise InvalidDate(
            f"'{text}' is not a date I understand.", field=field, example=DATE_EXAMPLE
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidDate(
            f"'{text}' is not a real date.", field=field, example=DATE_EXAMPLE
        ) from None


def add_months(start: date, months: int) -> date:
    """The corresponding date `months` later; the month's last day when there is none."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, min(start.day, day))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def add_years(start: date, years: int) -> date:
    """Anniversary; a 29 February start maps to 1 March in a common year."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def age_on(born: date, on: date) -> int:
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"
