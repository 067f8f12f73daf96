"""Verbatim wording: a condition in force is the court's text, so a template's placeholder
("[wording to be agreed]", "____", "TBC") may sit in a draft but never in a made order."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lom_bot.domain.errors import InvalidInput

# A gap left to fill: brackets of any kind, a run of underscores, dots, an ellipsis, x's, stars
# or question marks, and the abbreviations and phrases drafters use for "not settled yet".
PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|<[^>]*>|\{[^}]*\}|_{3,}|\.{3,}|\u2026|\*{3,}|\?{2,}|\bx{3,}\b"
    r"|\bTB[ACD]\b"
    r"|\bto be (?:agreed|confirmed|decided|determined|advised|inserted|added|specified)\b",
    re.IGNORECASE,
)

NO_WORDS = "(no words)"


def placeholder_in(wording: str) -> str | None:
    """The first placeholder in the wording, or None when it reads as final text."""
    if not (wording or "").strip():
        return NO_WORDS
    found = PLACEHOLDER.search(wording or "")
    return found.group(0) if found else None


def check_final_wording(
    conditions: Iterable[tuple[int, str]], *, step: str, remedy: str | None = None
) -> None:
    """Refuse a step that would put a condition with a placeholder into a made order."""
    for number, wording in conditions:
        hole = placeholder_in(wording)
        if hole is not None:
            reads = "has no words" if hole == NO_WORDS else f"still reads '{hole[:40]}'"
            raise InvalidInput(
                f"Condition {number} {reads}: {step} records the court's exact "
                "words. "
                + (remedy or f'Give them as `wording="{number}: <the words of the order>"`.'),
                field="wording",
                example=f'wording="{number}: Not to possess more than one mobile telephone."',
            )
