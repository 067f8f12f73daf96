"""The structured fields of a court outcome, derived once from what was recorded.

Every route that records a court outcome goes through services/breach_court.py, which calls
`court_columns` here: a charge gets its offence and section; a plea, verdict or sentence is
tied to the latest charge; a sentence row carries its charge's offence, section and plea too,
so one row is one case for the sentencing figures. Whether the values are lawful (a sentence
within the s.25 maximum, one sentence per charge) is checked by the court outcome rules, not
here: this module only says what was recorded, in columns.
"""

from __future__ import annotations

import re
from typing import Any

from lom_bot.domain.errors import InvalidInput
from lom_bot.store.tables import CourtOutcome

S25_OFFENCE = "Failing to comply with an SCPO (s.25 Serious Crime Act 2007)"
_SECTION = re.compile(r"\b(?:s|section|sec)\.?\s*(\d{1,3}[A-Z]{0,2})\b", re.IGNORECASE)
DISPOSAL_WORDS = {
    "custody": "custody",
    "custodial": "custody",
    "prison": "custody",
    "imprisonment": "custody",
    "suspended": "suspended",
    "sso": "suspended",
    "community": "community_order",
    "community_order": "community_order",
    "co": "community_order",
    "fine": "fine",
    "fined": "fine",
    "discharge": "discharge",
    "conditional_discharge": "discharge",
    "absolute_discharge": "discharge",
    "other": "other",
}
DISPOSAL_LABELS = {
    "custody": "Immediate custody",
    "suspended": "Suspended sentence",
    "community_order": "Community order",
    "fine": "Fine",
    "discharge": "Discharge",
    "other": "Other",
}


def section_of(offence: str) -> str | None:
    """'s.25' from the offence's words, or None when no section is named."""
    found = _SECTION.search(offence)
    return f"s.{found[1].upper()}" if found else None


def latest(earlier: list[CourtOutcome], kind: str) -> CourtOutcome | None:
    rows = [c for c in earlier if c.kind == kind]
    return max(rows, key=lambda c: (c.on, c.id or 0)) if rows else None


def _plea(earlier: list[CourtOutcome]) -> str | None:
    plea = latest(earlier, "plea")
    return str(plea.detail.get("plea")) if plea is not None else None


def court_columns(kind: str, detail: dict[str, Any], earlier: list[CourtOutcome]) -> dict[str, Any]:
    """The structured columns for a new court outcome row (called by record_court_outcome)."""
    charge = latest(earlier, "charge")
    if kind == "charge":
        offence = str(detail.get("offence") or S25_OFFENCE)[:200]
        return {"offence": offence, "section": section_of(offence)}
    tied: dict[str, Any] = {"charge_id": charge.id if charge is not None else None}
    if charge is not None:
        tied |= {"offence": charge.offence, "section": charge.section}
    if kind == "plea":
        return tied | {"plea": detail.get("plea")}
    if kind == "verdict":
        return tied | {"plea": _plea(earlier)}
    if kind == "sentence":
        disposal = detail.get("type")
        months = detail.get("months")
        return tied | {
            "plea": _plea(earlier),
            "disposal": disposal,
            "custody_months": months if disposal in ("custody", "suspended") else None,
            "fine_pounds": detail.get("amount") if disposal == "fine" else None,
            "penalty": (str(detail.get("penalty") or "")[:200] or None),
            "new_order": detail.get("new_order"),
        }
    if kind == "new_order":
        return tied | {"new_order": True}
    return tied


_MONEY = re.compile(r"^£?(\d{1,7})$")
_UNIT = ("month", "months", "m", "mths")
_YEARS = ("year", "years", "yr", "yrs")
_WEEKS = ("week", "weeks", "wk", "wks")


def parse_sentence(words: list[str]) -> dict[str, Any]:
    """`custody 18 months new order`, `community order 200 hours unpaid work`, `fine £500`
    as the detail of a sentence: type, months or amount, new_order, penalty (other words)."""
    rest = [w for w in words if w]
    lowered = [w.lower() for w in rest]
    detail: dict[str, Any] = {}
    if "no new order" in " ".join(lowered):
        detail["new_order"] = False
    elif "new order" in " ".join(lowered):
        detail["new_order"] = True
    joined = " ".join(lowered)
    for phrase in ("no new order", "new order"):
        joined = joined.replace(phrase, " ")
    tokens = joined.split()
    if not tokens:
        return detail
    first = tokens.pop(0).replace("-", "_")
    if first == "community" and tokens and tokens[0] == "order":
        tokens.pop(0)
    detail["type"] = DISPOSAL_WORDS.get(first, first)
    if tokens and (money := _MONEY.match(tokens[0])):
        unit = tokens[1] if len(tokens) > 1 else ""
        number = int(money[1])
        if detail["type"] == "fine":
            tokens.pop(0)
            detail["amount"] = number
        elif unit in _YEARS:
            del tokens[:2]
            detail["months"] = number * 12
        elif unit in _WEEKS and detail["type"] in ("custody", "suspended"):
            raise InvalidInput(  # a term in weeks is not a whole number of months: never guessed
                f"Terms are recorded in whole months: give {number} weeks as months, with the "
                "weeks in words after it.",
                field="detail",
                example=f"sentence custody {max(1, round(number * 7 / 30.44))} months "
                f"({number} weeks)",
            )
        elif unit in _UNIT or not unit:
            del tokens[: 2 if unit else 1]
            detail["months"] = number
        # otherwise the number belongs to what follows (150 hours unpaid work): kept in words
    if tokens:
        detail["penalty"] = " ".join(tokens)[:200]
    return detail
