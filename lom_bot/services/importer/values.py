"""Reading one cell of a register: dates in the shapes spreadsheets produce, and vocabularies."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TypeVar

from lom_bot.domain.dates import add_years
from lom_bot.domain.enums import (
    ConditionCategory,
    CustodyStatus,
    OrderRoute,
    OrderStatus,
    RiskLevel,
)
from lom_bot.domain.errors import InvalidDate, InvalidInput
from lom_bot.store.queries import normalise_pnc

DATE_FORMS = "25/11/2026, 25-11-26, 2026-11-25, 25 Nov 2026 or a date cell"
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]{3,9})\.?,?[\s\-/]+(\d{2}|\d{4})$")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_FULL_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "sept",
    ]
)
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 after Excel's 1900 leap-year bug


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_cell_date(value: object, today: date, *, born: bool = False) -> date:
    """A date from a cell; two-digit birth years that land in the future mean the 1900s."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = cell_text(value).lower()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text))  # a date cell that lost its format on export
    two_digit = False
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(text):
        day, month, year = (int(g) for g in match.groups())
        two_digit = year < 100
    elif match := _WORDY.match(text):
        day, year = int(match[1]), int(match[3])
        month_ = _MONTHS.get(match[2][:3])
        if month_ is None or (len(match[2]) > 3 and not _full_month(match[2])):
            raise InvalidDate(f"'{cell_text(value)}' is not a date I understand.")
        month, two_digit = month_, year < 100
    else:
        raise InvalidDate(f"'{cell_text(value)[:40]}' is not a date; use {DATE_FORMS}.")
    if two_digit:
        year += 2000
    try:
        result = date(year, month, day)
    except ValueError:
        raise InvalidDate(f"'{cell_text(value)}' is not a real date.") from None
    if born and two_digit and result > today:
        result = add_years(result, -100)
    return result


def _full_month(word: str) -> bool:
    return word in _FULL_MONTHS


def _serial(number: float) -> date:
    if not 1 <= number < 2958466:
        raise InvalidDate(f"{number:g} is not a date.")
    return EXCEL_EPOCH + timedelta(days=int(number))


E = TypeVar("E")


def _lookup(table: dict[str, E], value: object, what: str, choices: str) -> E:
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", cell_text(value).lower()).split())
    if key in table:
        return table[key]
    raise InvalidInput(f"'{cell_text(value)[:40]}' is not a {what}; use {choices}.")


RISK = {
    **{k: RiskLevel.VERY_HIGH for k in ("very high", "vh", "v high", "veryhigh", "very hi")},
    **{k: RiskLevel.HIGH for k in ("high", "h", "hi")},
    **{k: RiskLevel.MEDIUM for k in ("medium", "m", "med", "moderate")},
    **{k: RiskLevel.LOW for k in ("low", "l", "lo")},
}
CUSTODY = {
    **{
        k: CustodyStatus.IN_CUSTODY
        # "yes"/"no": a column headed "In custody?"
        for k in (
            "in custody",
            "custody",
            "in prison",
            "prison",
            "serving",
            "remand",
            "on remand",
            "yes",
            "y",
        )
    },
    **{
        k: CustodyStatus.IN_COMMUNITY
        for k in (
            "in community",
            "community",
            "in the community",
            "released",
            "at liberty",
            "on licence",
            "licence",
            "no",
            "n",
        )
    },
    **{k: CustodyStatus.RECALLED for k in ("recalled", "recall", "recalled to prison")},
    **{k: CustodyStatus.DECEASED for k in ("deceased", "dead", "died")},
    **{
        k: CustodyStatus.MOVED_OUT
        for k in (
            "moved out",
            "moved out of force",
            "moved away",
            "out of force",
            "transferred out",
        )
    },
}
ORDER_STATUS = {
    **{s.value.replace("_", " "): s for s in OrderStatus},
    "drafted": OrderStatus.DRAFTED,
    "draft": OrderStatus.DRAFTED,
    "approved": OrderStatus.APPROVED,
    "submitted": OrderStatus.SUBMITTED,
    "with cps": OrderStatus.SUBMITTED,
    "recorded": OrderStatus.RECORDED,
    "awaiting release": OrderStatus.AWAITING_ACTIVATION,
    "pending release": OrderStatus.AWAITING_ACTIVATION,
    "educated": OrderStatus.EDUCATED,
    "live": OrderStatus.ACTIVE,
    "in force": OrderStatus.ACTIVE,
    "made": OrderStatus.GRANTED,
}
ROUTE = {
    **{
        k: OrderRoute.CROWN_COURT_S19
        for k in (
            "s19",
            "s 19",
            "section 19",
            "crown",
            "crown court",
            "on conviction",
            "crown court s19",
        )
    },
    **{
        k: OrderRoute.HIGH_COURT_S1
        for k in ("s1", "s 1", "section 1", "high court", "standalone", "high court s1")
    },
}


def parse_risk(value: object) -> RiskLevel:
    return _lookup(RISK, value, "risk level", "very high, high, medium or low")


def parse_custody(value: object) -> CustodyStatus:
    return _lookup(
        CUSTODY,
        value,
        "custody status",
        "in custody, in community, recalled, deceased or moved out",
    )


def parse_order_status(value: object) -> OrderStatus:
    return _lookup(
        ORDER_STATUS,
        value,
        "order status",
        "proposed, drafted, approved, submitted, granted, awaiting activation, "
        "active, expiring, expired or closed",
    )


def parse_route(value: object) -> OrderRoute:
    return _lookup(ROUTE, value, "route", "s19 (Crown Court) or s1 (High Court)")


def parse_pnc(value: object) -> str:
    pnc = normalise_pnc(cell_text(value))
    if pnc is None:
        raise InvalidInput(
            f"'{cell_text(value)[:40]}' is not a PNC ID (year/number and a check letter, "
            "e.g. 19/0012345X)."
        )
    return pnc


def parse_term(value: object) -> int:
    """An order's length in months: '5 years', '36 months', '3y' or a bare number of months."""
    text = cell_text(value).lower()
    match = re.fullmatch(r"(\d{1,3})\s*(y|yr|yrs|year|years|m|mo|mth|mths|month|months)?", text)
    if not match:
        raise InvalidInput(f"'{text[:40]}' is not a length; use e.g. '5 years' or '36 months'.")
    amount = int(match[1])
    return amount * 12 if (match[2] or "m").startswith("y") else amount


def split_list(value: object, *, commas: bool = False) -> list[str]:
    """Items one per line or separated by ';' (and ',' for names), numbering removed."""
    pattern = r"[\n;,]" if commas else r"[\n;]"
    items = [
        re.sub(r"^\s*(?:\(?[0-9a-z]{1,2}[.)]|[-•*])\s+", "", p).strip()
        for p in re.split(pattern, cell_text(value))
    ]
    return [i for i in items if i]


_CATEGORY_WORDS: tuple[tuple[ConditionCategory, tuple[str, ...]], ...] = (
    (
        ConditionCategory.COMMUNICATIONS,
        ("phone", "device", "sim", "internet", "computer", "social media", "imei"),
    ),
    (ConditionCategory.FINANCIAL, ("bank", "cash", "£", "money", "financial", "account", "crypto")),
    (ConditionCategory.ASSOCIATION, ("associate", "communicate with", "contact with")),
    (ConditionCategory.ITEMS_VEHICLES, ("vehicle", "drive", "car ", "van")),
    (ConditionCategory.TRAVEL, ("travel", "abroad", "passport", "outside england")),
    (ConditionCategory.RESIDENCE, ("reside", "residence", "address", "live at")),
    (ConditionCategory.PREMISES, ("premises", "enter", "car wash", "nail bar")),
    (ConditionCategory.WORK, ("employment", "work", "business", "director")),
    (ConditionCategory.INFORMATION, ("provide", "information", "produce")),
)


def categorise(wording: str) -> ConditionCategory:
    """A best guess at the s.5 category from the wording; the officer can re-type it later."""
    text = wording.lower() + " "
    for category, words in _CATEGORY_WORDS:
        if any(w in text for w in words):
            return category
    return ConditionCategory.OTHER


def title_name(text: str) -> str:
    """'FICTIONAL' -> 'Fictional'; mixed case is kept as typed."""
    text = " ".join(text.split())
    return text.title() if text.isupper() else text
