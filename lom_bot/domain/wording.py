"""Verbatim wording: a condition in force is the court's text, so a template's placeholder
("[wording to be agreed]", "____", "TBC") may sit in a draft but never in a made order."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lom_bot.domain.errors import InvalidInput

PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|_{3,}|\.{4,}|<[^>]*>|\bTBC\b|\bTBA\b|\bto be (?:agreed|confirmed)\b",
    re.IGNORECASE,
)


def placeholder_in(wording: str) -> str | None:
    """The first placeholder in the wording, or None when it reads as final text."""
    found = PLACEHOLDER.search(wording or "")
    return found.group(0) if found else None


def check_final_wording(
    conditions: Iterable[tuple[int, str]], *, step: str, remedy: str | None = None
) -> None:
    """Refuse a step that would put a condition with a placeholder into a made order."""
    for number, wording in conditions:
        hole = placeholder_in(wording)
        if hole is not None:
            raise InvalidInput(
                f"Condition {number} still reads '{hole[:40]}': {step} records the court's exact "
                "words. "
                + (remedy or f'Give them as `wording="{number}: <the words of the order>"`.'),
                field="wording",
                example=f'wording="{number}: Not to possess more than one mobile telephone."',
            )
