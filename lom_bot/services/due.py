"""What is due today, as plain lines grouped by officer: the result the digest renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from lom_bot.domain.enums import RiskLevel


class LineKind(StrEnum):
    """What a digest line asks an officer to do; the order here is the order shown."""

    CONTACT = "contact"
    HOME_VISIT = "home_visit"
    CHECKS = "checks"
    DUTY = "duty"
    EDUCATION_VISIT = "education_visit"
    ORDER_OWED = "order_owed"
    BREACH = "breach"
    ESCALATION = "escalation"
    WARNING_LETTER = "warning_letter"
    CPS_FILE = "cps_file"
    FOLLOW_UP = "follow_up"
    TASK = "task"
    CHECKLIST = "checklist"
    EXPIRY = "expiry"


KIND_LABEL: dict[LineKind, str] = {
    LineKind.CONTACT: "Contact",
    LineKind.HOME_VISIT: "Home visit",
    LineKind.CHECKS: "Compliance checks",
    LineKind.DUTY: "Reporting duty",
    LineKind.EDUCATION_VISIT: "Education visit",
    LineKind.ORDER_OWED: "Owed on an order",
    LineKind.BREACH: "Breach report to assess",
    LineKind.ESCALATION: "Escalation to consider",
    LineKind.WARNING_LETTER: "Warning letter response",
    LineKind.CPS_FILE: "CPS file",
    LineKind.FOLLOW_UP: "Enforcement follow-up",
    LineKind.TASK: "District task overdue",
    LineKind.CHECKLIST: "Checklist steps outstanding",
    LineKind.EXPIRY: "Order past its expiry",
}
KIND_ORDER = {kind: n for n, kind in enumerate(LineKind)}
# Work on very high risk subjects first; a line about no subject (an unmatched report) last.
RISK_ORDER = {
    RiskLevel.VERY_HIGH: 0,
    RiskLevel.HIGH: 1,
    RiskLevel.MEDIUM: 2,
    RiskLevel.LOW: 3,
}


class State(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueLine:
    """One thing to act on, carrying what a button needs (subject ref, kind, record ref)."""

    kind: LineKind
    state: State
    due_on: date
    what: str  # plain words, e.g. "bank statements monthly by the 5th"
    subject_ref: str | None = None
    subject_name: str | None = None
    risk: RiskLevel | None = None
    officer_id: int | None = None
    district: str | None = None
    last_done: date | None = None
    ref: str | None = None  # the record acted on: breach, task, order or follow-up reference

    def sort_key(self) -> tuple[int, int, int, date, str]:
        """Most important first, so the top of a list is what to do when time is short:
        highest risk, then overdue before due, then the kind of work, then the oldest."""
        return (
            RISK_ORDER.get(self.risk, len(RISK_ORDER)) if self.risk else len(RISK_ORDER),
            0 if self.state is State.OVERDUE else 1,
            KIND_ORDER[self.kind],
            self.due_on,
            self.subject_ref or "",
        )


@dataclass(frozen=True)
class Officer:
    user_id: int | None
    name: str
    slack_id: str | None


NO_OFFICER = Officer(None, "No officer assigned", None)


@dataclass
class OfficerGroup:
    officer: Officer
    lines: list[DueLine] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.lines if line.state is State.OVERDUE)


@dataclass
class Digest:
    """The daily due list: every officer's lines, highest risk first (then overdue first)."""

    today: date
    groups: list[OfficerGroup]
    # What the data cannot show yet, said plainly rather than silently left out.
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[DueLine]:
        return [line for group in self.groups for line in group.lines]

    def count(self, state: State | None = None) -> int:
        return sum(1 for line in self.lines if state is None or line.state is state)

    def by_kind(self) -> dict[LineKind, int]:
        counts: dict[LineKind, int] = {}
        for line in sorted(self.lines, key=lambda item: KIND_ORDER[item.kind]):
            counts[line.kind] = counts.get(line.kind, 0) + 1
        return counts

    def only(self, user_id: int | None) -> Digest:
        """The same digest reduced to one officer's lines."""
        groups = [g for g in self.groups if g.officer.user_id == user_id]
        return Digest(self.today, groups, self.notes)


def group_lines(lines: list[DueLine], officers: dict[int, Officer], today: date) -> Digest:
    """Group by officer (named officers in name order, then unassigned), each officer's lines
    in `DueLine.sort_key` order: highest risk first."""
    groups: dict[int | None, OfficerGroup] = {}
    for line in lines:
        officer = officers.get(line.officer_id or -1, NO_OFFICER)
        groups.setdefault(officer.user_id, OfficerGroup(officer)).lines.append(line)
    for group in groups.values():
        group.lines.sort(key=DueLine.sort_key)
    ordered = sorted(
        groups.values(), key=lambda g: (g.officer.user_id is None, g.officer.name.lower())
    )
    return Digest(today, ordered)
