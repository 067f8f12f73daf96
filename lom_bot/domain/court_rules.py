"""What a court outcome can lawfully say, so a recording error is refused rather than kept as
a fact: a charge not before the breach or the order, a sentence within the statutory maximum
(s.25(2) SCA 2007: 5 years on indictment; a suspended sentence at most 2 years), and one
sentence per charge unless an appeal varies it."""

from __future__ import annotations

import re
from datetime import date

from lom_bot.domain.dates import format_date, parse_date
from lom_bot.domain.errors import InvalidInput
from lom_bot.domain.wording import NO_WORDS, placeholder_in

_EXPLICIT = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b")
S25_MAX_MONTHS = 60  # on indictment, s.25(2)(b)
SUSPENDED_MAX_MONTHS = 24  # a suspended sentence order's custodial term (Sentencing Code s.288)


def breach_date(seen_at: str | None) -> date | None:
    """The date a breach was seen, when the report gives one as a date (not 'yesterday')."""
    found = _EXPLICIT.search(seen_at or "")
    if found is None:
        return None
    try:
        return parse_date(found[0], date.min)  # an explicit date: "today" plays no part
    except InvalidInput:
        return None


def check_charge_date(charged_on: date, *, breach_on: date | None, order_made: date | None) -> None:
    """A charge for a breach cannot come before the breach, nor before the order was made."""
    if order_made is not None and charged_on < order_made:
        raise InvalidInput(
            f"The charge date {format_date(charged_on)} is before the order was made "
            f"({format_date(order_made)}): a breach charge cannot predate the order.",
            field="on",
        )
    if breach_on is not None and charged_on < breach_on:
        raise InvalidInput(
            f"The charge date {format_date(charged_on)} is before the breach "
            f"({format_date(breach_on)}).",
            field="on",
        )


def check_sentence_term(section: str | None, disposal: str | None, months: int | None) -> None:
    """A term beyond the maximum is a recording error: refuse it, naming the limit."""
    if months is None or disposal not in ("custody", "suspended"):
        return  # a community order's hours are not a custodial term
    if disposal == "suspended" and months > SUSPENDED_MAX_MONTHS:
        raise InvalidInput(
            f"A suspended sentence of {months} months is not possible: the custodial term of a "
            f"suspended sentence is at most {SUSPENDED_MAX_MONTHS} months.",
            field="detail",
            example="sentence suspended 12",
        )
    if (section or "").lower() == "s.25" and months > S25_MAX_MONTHS:
        raise InvalidInput(
            f"A sentence of {months} months exceeds the maximum for a s.25 offence (5 years, "
            "60 months, on indictment: s.25(2) SCA 2007). Check the term: it is a recording "
            "error, not a fact.",
            field="detail",
            example="sentence custody 18",
        )


def check_one_sentence(sentences_for_charge: int, *, appeal: bool) -> None:
    if sentences_for_charge and not appeal:
        raise InvalidInput(
            "This charge already has its sentence. A second one is recorded only when an "
            "appeal varies it: add the word `appeal`.",
            field="detail",
            example="sentence custody 12 appeal",
        )


# How a charge can end (s.22E: the order lasts until the charge is disposed of). A disposal
# must say which of these happened; a placeholder or a word that says none is refused.
DISPOSAL_WORDS = re.compile(
    r"\b(?:convicted|guilty|sentenced|acquitted|not guilty|discontinued|dropped|withdrawn"
    r"|dismissed|no evidence offered|stayed|quashed|discharged|died|deceased|nfa"
    r"|no further action|lie on file|left to lie on the file)\b",
    re.IGNORECASE,
)
DISPOSAL_KINDS = (
    "convicted (with the sentence), acquitted, discontinued, withdrawn, dismissed, "
    "no evidence offered, stayed, left to lie on the file, died"
)


def check_disposal(outcome: str) -> None:
    """A disposal that releases an s.22E hold must say how the charge ended."""
    hole = placeholder_in(outcome)
    if hole is not None or not DISPOSAL_WORDS.search(outcome):
        said = "nothing" if hole == NO_WORDS else f"'{outcome[:40]}'"
        raise InvalidInput(
            f"The disposal says {said}, not how the charge ended; the order stays in force "
            f"until it is disposed of (s.22E). Say one of: {DISPOSAL_KINDS}.",
            field="outcome",
            example="convicted, 2 years' custody",
        )
