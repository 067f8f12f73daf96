"""Clues in a report's words: which of the subject's conditions it may touch, and when it was seen.

Pure functions of text, so they are tested on realistic wording without a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from lom_bot.domain.enums import ConditionCategory

CATEGORY_WORDS: dict[ConditionCategory, tuple[str, ...]] = {
    ConditionCategory.COMMUNICATIONS: (
        "phone",
        "mobile",
        "sim",
        "handset",
        "device",
        "laptop",
        "burner",
        "whatsapp",
        "texting",
    ),
    ConditionCategory.FINANCIAL: (
        "cash",
        "money",
        "bank",
        "notes",
        "£",
        "wad",
        "envelope",
        "crypto",
        "bitcoin",
        "payment",
    ),
    ConditionCategory.ASSOCIATION: (
        "with",
        "meeting",
        "met ",
        "associat",
        "talking to",
        "together",
        "group",
        "men",
    ),
    ConditionCategory.PREMISES: ("car wash", "nail bar", "premises", "unit", "club", "shop"),
    ConditionCategory.ITEMS_VEHICLES: (
        "car",
        "van",
        "vehicle",
        "driving",
        "drove",
        "motorbike",
        "reg",
        "hire",
    ),
    ConditionCategory.TRAVEL: ("airport", "flight", "ferry", "abroad", "passport", "border"),
    ConditionCategory.RESIDENCE: ("staying", "stayed", "sleeping", "overnight", "moved", "address"),
    ConditionCategory.WORK: ("working", "job", "employ", "business"),
    ConditionCategory.INFORMATION: ("notify", "notified", "statement", "provide"),
    ConditionCategory.OTHER: (),
}
# A category word that means something else in these phrases: a car park or car wash is a
# place, not a vehicle; "reg" in "regular" is no registration.
NOT_BEFORE: dict[str, tuple[str, ...]] = {
    "car": (" park", " parks", "park", " wash", " washes", " boot sale", " sharing"),
    "van": (" park",),
    "reg": ("ular", "ist", "ion", "ard", "ret"),
    "unit": ("ed", "y"),
    "notes": (" from the briefing", " on the briefing"),
}
_STOP = frozenset({"with", "from", "than", "other", "more", "over", "into", "named", "their"})


@dataclass(frozen=True)
class ConditionInfo:
    id: int
    number: int
    category: ConditionCategory
    watch_for: str | None


@lru_cache(maxsize=4096)  # the category words and the conditions' watch-for hints
def _word(word: str) -> re.Pattern[str]:
    unless = "|".join(re.escape(after) for after in NOT_BEFORE.get(word, ()))
    return re.compile(r"(?<![a-z])" + re.escape(word) + (f"(?!{unless})" if unless else ""))


def _says(text: str, word: str) -> bool:
    return _word(word).search(text) is not None


def conditions_touched(text: str, conditions: Sequence[ConditionInfo]) -> list[int]:
    """Ids of the conditions a report's words point at, by category words and watch-for hints."""
    lowered = text.lower()
    touched: list[int] = []
    for cond in sorted(conditions, key=lambda c: c.number):
        words = list(CATEGORY_WORDS.get(cond.category, ()))
        hints = re.findall(r"[a-z£]{4,}", (cond.watch_for or "").lower())
        words += [w for w in hints if w not in _STOP]
        if any(_says(lowered, w) for w in words):
            touched.append(cond.id)
    return touched


SEEN_AT = re.compile(
    r"\b(?:(?:today|yesterday|this morning|this afternoon|this evening|last night|tonight)"
    r"(?:\s+(?:at|about|around)?\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)?"
    r"|(?:at|about|around)\s+\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|hrs))?"
    r"|\d{1,2}[:.]\d{2}\s*(?:am|pm|hrs)"
    r"|\d{1,2}\s*(?:am|pm)"
    r"|\d{4}\s*hrs)\b",
    re.IGNORECASE,
)


def seen_when(text: str) -> str | None:
    """The time the officer says they saw it, as written ('today 14:20'), if they said."""
    found = SEEN_AT.search(text)
    return found.group().strip()[:120] if found else None
