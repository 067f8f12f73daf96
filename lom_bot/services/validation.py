"""Checks every service makes of free text and dates, with messages an officer understands."""

from __future__ import annotations

from datetime import date

from lom_bot.domain.dates import format_date
from lom_bot.domain.errors import InvalidInput

MAX_TEXT = 3000


def text(value: str | None, field: str, *, required: bool = False) -> str | None:
    """Trimmed text, or None when blank; refused when required and blank, or too long."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(f"The {field} cannot be empty.", field=field)
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(
            f"The {field} is {len(cleaned)} characters; keep it under {MAX_TEXT}.", field=field
        )
    return cleaned or None


def not_future(on: date, today: date, field: str) -> None:
    """Something that happened cannot have happened after today."""
    if on > today:
        raise InvalidInput(
            f"The {field} {format_date(on)} is in the future.",
            field=field,
            example="today, yesterday or 24/11/2026",
        )
