"""Reading `/lom <command> <subject> <kind> <outcome> [date] [notes]` into field values.

The subject is the first word when it is a reference (LOM-0042, a PNC ID); otherwise the
words before the first recognised kind (a name). Fields not given stay absent, so the
command can open its modal; a word in the wrong place is kept so validation names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from lom_bot.domain import vocab
from lom_bot.domain.errors import DomainError
from lom_bot.domain.grading import parse_grading
from lom_bot.store.queries import PNC, REF

Values = dict[str, str]
_DATE_LIKE = re.compile(r"^(\d{1,4}[/.-]\d{1,2}([/.-]\d{1,4})?|[+-]\d+[a-z]*)$")
_CONDITIONS = re.compile(r"\b(?:conditions?|handling)\s*:", re.IGNORECASE)


def is_reference(word: str) -> bool:
    word = vocab.norm(word)
    return bool(REF.match(word) or PNC.match(word))


def _subject_end(words: list[str], first: vocab.Synonyms) -> int:
    if words and is_reference(words[0]):
        return 1
    hit = vocab.find(words, first, start=1)
    return hit.start if hit is not None else len(words)


def parse_line(
    text: str,
    today: date,
    steps: Sequence[tuple[str, vocab.Synonyms]],
    *,
    date_name: str | None = None,
    rest_name: str | None = None,
) -> Values:
    words = text.split()
    values: Values = {}
    if not words:
        return values
    i = _subject_end(words, steps[0][1])
    values["subject"] = " ".join(words[:i])
    for name, synonyms in steps:
        if i >= len(words):
            return values
        hit = vocab.match_at(words, i, synonyms)
        if hit is None:
            values[name] = words[i]  # not a word we know: validation says so, naming it
            i += 1
            continue
        values[name] = " ".join(words[hit.start : hit.end])
        i = hit.end
    # A date that does not parse (31/02/2026) is an error to report, not part of the notes.
    if (
        date_name
        and i < len(words)
        and (vocab.date_at(words, i, today) or _DATE_LIKE.match(vocab.norm(words[i])))
    ):
        values[date_name] = vocab.norm(words[i])
        i += 1
    if rest_name and i < len(words):
        values[rest_name] = " ".join(words[i:])
    return values


def _grading_at(words: list[str], i: int) -> int:
    """How many words make a 3x5x2 grading at word i (0 when none)."""
    for size in (1, 3, 2):
        if i + size <= len(words):
            try:
                parse_grading(" ".join(words[i : i + size]))
                return size
            except DomainError:
                continue
    return 0


def parse_intel(text: str) -> Values:
    """`<subject> <grading> <text> [conditions: <handling conditions>]`."""
    parts = _CONDITIONS.split(text, maxsplit=1)
    body = parts[0]
    conditions = parts[1].strip() if len(parts) > 1 else None
    words = body.split()
    values: Values = {}
    if not words:
        return values
    for i in range(1, len(words)):
        size = _grading_at(words, i)
        if size:
            values["subject"] = " ".join(words[:i])
            values["grading"] = " ".join(words[i : i + size])
            if i + size < len(words):
                values["text"] = " ".join(words[i + size :])
            break
    else:
        values["subject"] = words[0]
        if len(words) > 1:
            values["text"] = " ".join(words[1:])
    if conditions:
        values["conditions"] = conditions
    return values
