"""Sentencing outcomes for SCPO breaches: each sentenced case, and the figures by kind of
condition breached, by court and by quarter, for supervisors and the national conversation.

Small numbers are shown as counts: a group of fewer than SMALL_GROUP cases never gets a
percentage (3 of 4 is said as "3 of 4", not "75%"). Custodial terms are summarised by their
median and range, always with how many terms they are drawn from.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select

from lom_bot.domain.dates import add_months, format_date
from lom_bot.domain.enums import AuditAction
from lom_bot.domain.errors import InvalidInput
from lom_bot.services.court_fields import DISPOSAL_LABELS
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.classification import Classification
from lom_bot.store.tables import BreachReport, Condition, CourtOutcome, Subject
from lom_bot.store.uow import UnitOfWork

SMALL_GROUP = 10  # fewer cases than this: counts only, no percentages
DEFAULT_MONTHS = 24
EXAMPLE = "/lom stats sentencing 01/01/2025 30/11/2026"
NOT_RECORDED = "not recorded"
CONDITION_LABELS = {  # the s.5 categories as a reader says them
    "financial": "financial dealings",
    "work": "work",
    "communications": "communications and devices",
    "association": "association",
    "premises": "premises",
    "items_vehicles": "items and vehicles",
    "travel": "travel",
    "information": "providing information",
    "residence": "residence",
    "other": "other",
}
# The disposals in the order they are shown (most to least severe).
DISPOSALS = ("custody", "suspended", "community_order", "fine", "discharge", "other")


@dataclass(frozen=True)
class SentencedCase:
    """One sentence for a breach, with its charge, plea and the condition it breached."""

    breach_ref: str
    subject_ref: str | None
    condition: str  # the category of the condition breached
    court: str
    sentenced_on: date
    offence: str | None
    section: str | None
    plea: str | None
    disposal: str
    custody_months: int | None
    fine_pounds: int | None
    penalty: str | None
    new_order: bool | None

    @property
    def quarter(self) -> str:
        return f"{self.sentenced_on.year} Q{(self.sentenced_on.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Terms:
    """Custodial (or suspended) terms in months: how many, median and range."""

    count: int
    median: float | None
    low: int | None
    high: int | None

    @classmethod
    def of(cls, months: list[int]) -> Terms:
        if not months:
            return cls(0, None, None, None)
        return cls(len(months), float(median(months)), min(months), max(months))


@dataclass(frozen=True)
class Group:
    """The cases sharing one value (a condition kind, a court, a quarter)."""

    name: str
    cases: tuple[SentencedCase, ...]

    @property
    def n(self) -> int:
        return len(self.cases)

    @property
    def disposals(self) -> dict[str, int]:
        counts = Counter(c.disposal for c in self.cases)
        return {d: counts[d] for d in (*DISPOSALS, *sorted(counts)) if counts.get(d)}

    @property
    def custody(self) -> Terms:
        return Terms.of([c.custody_months or 0 for c in self.cases if c.disposal == "custody"])

    @property
    def suspended(self) -> Terms:
        return Terms.of([c.custody_months or 0 for c in self.cases if c.disposal == "suspended"])

    @property
    def new_orders(self) -> int:
        return sum(1 for c in self.cases if c.new_order)

    def share(self, count: int) -> str:
        """`3 of 4` for a small group; `7 of 15 (47%)` once the group is big enough."""
        if self.n < SMALL_GROUP:
            return f"{count} of {self.n}"
        return f"{count} of {self.n} ({round(100 * count / self.n)}%)"


@dataclass
class SentencingReport:
    start: date
    end: date
    cases: list[SentencedCase]
    not_sentenced: dict[str, int] = field(default_factory=dict)  # acquitted, awaiting...

    @property
    def overall(self) -> Group:
        return Group("All cases", tuple(self.cases))

    def by(self, key: str) -> list[Group]:
        """Groups by "condition", "court" or "quarter" (quarters in time order)."""
        groups: dict[str, list[SentencedCase]] = {}
        for case in self.cases:
            groups.setdefault(str(getattr(case, key)), []).append(case)
        ordered = sorted(groups.items(), key=lambda kv: (key != "quarter" and -len(kv[1]), kv[0]))
        return [Group(name, tuple(cases)) for name, cases in ordered]


def choose_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """Default: the 24 months to today (sentences are few: a long window is needed)."""
    last = end or today
    first = start or add_months(last, -DEFAULT_MONTHS) + timedelta(days=1)
    if last > today:
        raise InvalidInput("The period cannot end after today.", field="to", example=EXAMPLE)
    if first > last:
        raise InvalidInput("The period ends before it starts.", field="from", example=EXAMPLE)
    return first, last


def build_sentencing(uow: UnitOfWork, start: date, end: date) -> SentencingReport:
    """Every sentence passed in the period, and charges not (yet) sentenced (inside a uow)."""
    s = uow.session
    rows = s.execute(
        select(CourtOutcome, BreachReport.ref, Subject.ref, Condition.category)
        .join(BreachReport, BreachReport.id == CourtOutcome.breach_id)
        .outerjoin(Subject, Subject.id == BreachReport.subject_id)
        .outerjoin(Condition, Condition.id == BreachReport.condition_id)
        .order_by(CourtOutcome.on, CourtOutcome.id)
    ).all()
    by_breach: dict[str, list[CourtOutcome]] = {}
    cases: list[SentencedCase] = []
    for row, breach_ref, subject_ref, category in rows:
        by_breach.setdefault(breach_ref, []).append(row)
        if row.kind != "sentence" or not start <= row.on <= end:
            continue
        made = row.new_order or any(
            c.kind == "new_order" for c in by_breach[breach_ref] if c.on <= end
        )
        cases.append(
            SentencedCase(
                breach_ref=breach_ref,
                subject_ref=subject_ref,
                condition=CONDITION_LABELS.get(category.value, category.value)
                if category
                else NOT_RECORDED,
                court=row.court or NOT_RECORDED,
                sentenced_on=row.on,
                offence=row.offence,
                section=row.section,
                plea=row.plea,
                disposal=row.disposal or "other",
                custody_months=row.custody_months,
                fine_pounds=row.fine_pounds,
                penalty=row.penalty,
                new_order=True if made else row.new_order,
            )
        )
    return SentencingReport(start, end, cases, _not_sentenced(by_breach, start, end))


def _not_sentenced(
    by_breach: dict[str, list[CourtOutcome]], start: date, end: date
) -> dict[str, int]:
    """Charges in the period without a sentence: acquitted, discontinued, or still before court."""
    out: Counter[str] = Counter()
    for events in by_breach.values():
        charged = [c for c in events if c.kind == "charge" and start <= c.on <= end]
        if not charged or any(c.kind == "sentence" for c in events):
            continue
        verdicts = [c.detail.get("verdict") for c in events if c.kind == "verdict"]
        if verdicts and verdicts[-1] in ("not_guilty", "discontinued"):
            out["acquitted" if verdicts[-1] == "not_guilty" else "discontinued"] += 1
        else:
            out["awaiting plea, trial or sentence"] += 1
    return dict(out)


def sentencing_for(uow: UnitOfWork, actor: Actor, start: date, end: date) -> SentencingReport:
    """`/lom stats sentencing`: the report, each subject named audited as consulted, and the
    chart sent to the supervisor's DM."""
    with uow:
        require(actor, Action.VIEW_STATS)
        report = build_sentencing(uow, start, end)
        for ref in dict.fromkeys(c.subject_ref for c in report.cases if c.subject_ref):
            uow.audit(
                actor.slack_id,
                AuditAction.CONSULTATION,
                "stats.sentencing_viewed",
                subject_ref=ref,
                purpose="supervisor sentencing statistics",
            )
        if report.cases:
            uow.send(
                "upload",
                actor.slack_id,
                _chart_payload(report),
                actor=actor.slack_id,
                classification=Classification.REFERENCE,  # counts and terms, no names
                purpose="sentencing statistics chart",
            )
        uow.commit()
    return report


def _chart_payload(report: SentencingReport) -> dict[str, str]:
    from lom_bot.services.sentencing_chart import sentencing_chart

    start, end = report.start, report.end
    return {
        "content": base64.b64encode(sentencing_chart(report)).decode("ascii"),
        "filename": f"lom-sentencing-{start.isoformat()}-to-{end.isoformat()}.png",
        "title": f"SCPO breach sentencing, {format_date(start)} to {format_date(end)}",
    }


def export_rows(
    uow: UnitOfWork, start: date, end: date
) -> tuple[list[str], list[list[Any]], list[str]]:
    """The export's headings, one row per sentenced case, and the subjects named."""
    report = build_sentencing(uow, start, end)
    heads = [
        "Breach ref", "LOM ref", "Condition breached", "Offence", "Section", "Court",
        "Date sentenced", "Plea", "Disposal", "Custody or suspended (months)", "Fine (£)",
        "Other penalty", "New order made",
    ]  # fmt: skip
    rows = [
        [
            c.breach_ref, c.subject_ref, c.condition, c.offence, c.section, c.court,
            c.sentenced_on, (c.plea or "").replace("_", " ") or None,
            DISPOSAL_LABELS.get(c.disposal, c.disposal), c.custody_months, c.fine_pounds,
            c.penalty, {True: "yes", False: "no"}.get(c.new_order) if c.new_order is not None
            else None,
        ]
        for c in report.cases
    ]  # fmt: skip
    return heads, rows, [c.subject_ref for c in report.cases if c.subject_ref]
