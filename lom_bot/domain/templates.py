"""The library of typed condition templates (categories per s.5 SCA 2007), wording editable."""

from __future__ import annotations

from dataclasses import dataclass

from lom_bot.domain.enums import ConditionCategory as C
from lom_bot.domain.enums import DutyKind as D
from lom_bot.domain.errors import InvalidInput


@dataclass(frozen=True)
class ConditionTemplate:
    """One proposed term: its category, verbatim wording and any reporting duty."""

    key: str
    category: C
    wording: str
    duty: D = D.NONE
    duty_days: int | None = None
    duty_description: str | None = None
    watch_for: str | None = None


TEMPLATES: tuple[ConditionTemplate, ...] = (
    ConditionTemplate(
        "phone",
        C.COMMUNICATIONS,
        "Not to use or possess more than one mobile telephone, and to notify the police of its "
        "number and IMEI within 3 days of acquiring any device.",
        D.WITHIN_DAYS_OF_EVENT,
        3,
        "notify a new device within 3 days",
        "more than one phone",
    ),
    ConditionTemplate(
        "bank",
        C.FINANCIAL,
        "To produce to the police statements for every bank account held, monthly by the 5th "
        "day of each month.",
        D.MONTHLY_BY_DAY,
        5,
        "bank statements monthly by the 5th",
        "large amounts of cash",
    ),
    ConditionTemplate(
        "cash",
        C.FINANCIAL,
        "Not to possess cash exceeding £1,000 other than in a regulated bank account.",
        watch_for="cash over £1,000",
    ),
    ConditionTemplate(
        "work",
        C.WORK,
        "To notify the police of any employment, self-employment or directorship within 7 days "
        "of it starting.",
        D.WITHIN_DAYS_OF_EVENT,
        7,
        "notify new work within 7 days",
        "working cash-in-hand businesses",
    ),
    ConditionTemplate(
        "associate",
        C.ASSOCIATION,
        "Not to associate or communicate with any person named in Schedule 1 to this order.",
        watch_for="meeting named associates",
    ),
    ConditionTemplate(
        "premises",
        C.PREMISES,
        "Not to enter any premises used as a car wash or nail bar other than as a paying customer.",
        watch_for="hanging round car washes",
    ),
    ConditionTemplate(
        "vehicle",
        C.ITEMS_VEHICLES,
        "Not to drive or be in control of any vehicle not registered in his name and notified "
        "to the police.",
        D.WITHIN_DAYS_OF_EVENT,
        2,
        "notify a vehicle within 2 days",
        "driving unfamiliar vehicles, hire vans",
    ),
    ConditionTemplate(
        "travel",
        C.TRAVEL,
        "Not to travel outside England and Wales without giving 7 days' written notice.",
        watch_for="foreign travel",
    ),
    ConditionTemplate(
        "information",
        C.INFORMATION,
        "To provide to the police on request, within 7 days, details of any asset worth more "
        "than £500.",
        D.WITHIN_DAYS_OF_EVENT,
        7,
        "answer an information request within 7 days",
    ),
    ConditionTemplate(
        "residence",
        C.RESIDENCE,
        "To reside at an address notified to the police and to notify any change within 3 days.",
        D.WITHIN_DAYS_OF_EVENT,
        3,
        "notify a change of address within 3 days",
        "staying elsewhere",
    ),
    ConditionTemplate(
        "other",
        C.OTHER,
        "To comply with the following requirement: [wording to be agreed].",
    ),
)

BY_KEY = {t.key: t for t in TEMPLATES}


def template(key: str) -> ConditionTemplate:
    """The template with that key, or a clear refusal listing the keys."""
    found = BY_KEY.get(key.strip().lower())
    if found is None:
        raise InvalidInput(
            f"There is no condition template '{key[:40]}'. Templates: {', '.join(BY_KEY)}.",
            field="conditions",
            example="phone,bank,travel",
        )
    return found
