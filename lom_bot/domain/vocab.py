"""The words officers use for kinds and outcomes, and a scanner that finds them in text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from lom_bot.domain.dates import parse_date
from lom_bot.domain.enums import (
    CheckKind,
    CheckResult,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    ReleaseDateKind,
    RiskLevel,
    TaskKind,
    TaskResult,
)
from lom_bot.domain.errors import InvalidDate

Synonyms = Mapping[StrEnum, tuple[str, ...]]

CONTACT_KINDS: Synonyms = {
    ContactKind.CALL: ("call", "phone call", "phoned", "rang", "telephone call"),
    ContactKind.EMAIL: ("email", "e-mail", "emailed"),
    ContactKind.LETTER: ("letter", "wrote"),
    ContactKind.PROBATION: ("probation", "probation appointment", "probation appt"),
    ContactKind.HOME_VISIT: ("home visit", "hv", "visited at home", "house visit"),
    ContactKind.PRISON_VISIT: ("prison visit", "prison"),
    ContactKind.OFFICE_VISIT: ("office visit", "office", "station visit"),
}
CONTACT_OUTCOMES: Synonyms = {
    ContactOutcome.COMPLIED: (
        "complied",
        "attended complied",
        "compliant",
        "seen",
        "seen at home",
        "attended",
        "ok",
    ),
    ContactOutcome.FAILED_TO_COMPLY: (
        "failed to comply",
        "attended failed to comply",
        "failed",
        "refused entry",
        "refused to let us in",
    ),
    ContactOutcome.ACCEPTABLE_ABSENCE: ("acceptable absence", "excused"),
    ContactOutcome.UNACCEPTABLE_ABSENCE: (
        "unacceptable absence",
        "absent",
        "no show",
        "no-show",
        "dna",
        "did not attend",
        "didn't attend",
        "failed to attend",
        "fta",
    ),
    ContactOutcome.NO_CONTACT: (
        "no contact",
        "no contact made",
        "no answer",
        "not in",
        "no reply",
        "not at home",
        "nobody home",
        "no one home",
    ),
    ContactOutcome.AWAITING_EVIDENCE: (
        "awaiting evidence",
        "waiting for evidence",
        "evidence awaited",
    ),
}
CHECK_KINDS: Synonyms = {
    CheckKind.ANPR: ("anpr",),
    CheckKind.TELECOMS: ("telecoms", "phone check", "telephony"),
    CheckKind.OPEN_SOURCE: ("open source", "osint", "social media"),
    CheckKind.PRISON_INTEL: ("prison intel", "prison intelligence"),
    CheckKind.FINANCIAL: ("financial", "bank", "finance"),
    CheckKind.PNC: ("pnc",),
    CheckKind.OTHER: ("other",),
}
CHECK_RESULTS: Synonyms = {
    CheckResult.NO_CONCERNS: ("no concerns", "no concern", "clear", "nothing", "negative", "nfa"),
    CheckResult.CONCERN: ("concern", "concerns", "hit", "positive"),
}
TASK_KINDS: Synonyms = {
    TaskKind.PASSING_ATTENTION: ("passing attention", "passing", "pa"),
    TaskKind.CURFEW_CHECK: ("curfew check", "curfew"),
    TaskKind.STOP_CHECK: ("stop check", "stop"),
    TaskKind.HOME_VISIT: ("home visit", "visit"),
    TaskKind.OTHER: ("other",),
}
TASK_RESULTS: Synonyms = {
    TaskResult.DONE: ("done", "completed", "complete"),
    TaskResult.NOT_FOUND: ("not found", "not-found", "notfound", "not seen", "nobody in"),
    TaskResult.NEEDS_LOM: ("needs lom", "needs-lom", "needslom", "lom needed"),
}

RISK_LEVELS: Synonyms = {
    RiskLevel.VERY_HIGH: ("very high", "vh"),
    RiskLevel.HIGH: ("high",),
    RiskLevel.MEDIUM: ("medium", "med"),
    RiskLevel.LOW: ("low",),
}
CUSTODY: Synonyms = {
    CustodyStatus.IN_CUSTODY: ("in custody", "custody", "in prison", "remanded"),
    CustodyStatus.IN_COMMUNITY: ("in community", "community", "released", "out"),
    CustodyStatus.RECALLED: ("recalled", "recall"),
    CustodyStatus.DECEASED: ("deceased", "dead", "died"),
    CustodyStatus.MOVED_OUT: ("moved out", "moved out of force", "moved away"),
}
RELEASE_KINDS: Synonyms = {
    ReleaseDateKind.CRD: ("crd", "conditional release", "conditional release date"),
    ReleaseDateKind.ARD: ("ard", "automatic release", "automatic release date"),
    ReleaseDateKind.PED: ("ped", "parole eligibility", "parole"),
    ReleaseDateKind.HDCED: ("hdced", "hdc", "home detention curfew"),
    ReleaseDateKind.LED: ("led", "licence expiry"),
    ReleaseDateKind.SED: ("sed", "sentence expiry"),
    ReleaseDateKind.PRRD: ("prrd", "post recall release"),
    ReleaseDateKind.CONFIRMED: ("confirmed", "actual", "release"),
}

_PUNCT = re.compile(r"^[\s,.;:!?()\"']+|[\s,.;:!?()\"']+$")


def options(synonyms: Synonyms) -> tuple[tuple[str, str], ...]:
    """A select menu's (value, label) pairs for a vocabulary."""
    return tuple((v.value, label(v).capitalize()) for v in synonyms)


def label(value: StrEnum) -> str:
    """An enum value as people read it: 'home visit'."""
    return value.value.replace("_", " ")


def norm(word: str) -> str:
    return _PUNCT.sub("", word).lower()


_TABLES: dict[int, dict[tuple[str, ...], StrEnum]] = {}


def _phrases(synonyms: Synonyms) -> dict[tuple[str, ...], StrEnum]:
    cached = _TABLES.get(id(synonyms))
    if cached is not None:
        return cached
    table: dict[tuple[str, ...], StrEnum] = {}
    for value, words in synonyms.items():
        for phrase in (value.value, label(value), *words):
            table.setdefault(tuple(phrase.split()), value)
            table.setdefault(tuple(phrase.replace("_", " ").split()), value)
    _TABLES[id(synonyms)] = table
    return table


@dataclass(frozen=True)
class Hit:
    value: StrEnum
    start: int
    end: int  # exclusive


def match_at(words: list[str], i: int, synonyms: Synonyms) -> Hit | None:
    """The longest phrase from `synonyms` starting at word i."""
    table = _phrases(synonyms)
    longest = max(len(k) for k in table)
    for size in range(min(longest, len(words) - i), 0, -1):
        key = tuple(norm(w) for w in words[i : i + size])
        if key in table:
            return Hit(table[key], i, i + size)
    return None


def find(words: list[str], synonyms: Synonyms, start: int = 0) -> Hit | None:
    """The first phrase from `synonyms` anywhere from word `start` on."""
    for i in range(start, len(words)):
        hit = match_at(words, i, synonyms)
        if hit is not None:
            return hit
    return None


def lookup(text: str, synonyms: Synonyms) -> StrEnum | None:
    """A whole string (e.g. a modal field) read as one of the values."""
    words = text.split()
    hit = match_at(words, 0, synonyms) if words else None
    return hit.value if hit is not None and hit.end == len(words) else None


def date_at(words: list[str], i: int, today: date) -> date | None:
    if i >= len(words):
        return None
    try:
        return parse_date(norm(words[i]), today)
    except InvalidDate:
        return None
