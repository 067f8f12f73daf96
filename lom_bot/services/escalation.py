"""Unacceptable failures per subject, read in bulk: failed or missed contacts, checks that
found a concern (not already raised as a breach) and breaches assessed without an excuse,
counted within the escalation window and the current order (domain/escalation.py). The
breach triage card, the subject card, `/lom due` and the digest all read this one function."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from lom_bot.config import AppConfig
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import (
    UNACCEPTABLE_FAILURES,
    AssessmentOutcome,
    CheckResult,
)
from lom_bot.domain.escalation import BEYOND, needs_escalation, window_start
from lom_bot.domain.vocab import label
from lom_bot.services.breach_model import LETTERS_OR_LESS, OUTCOME_LABELS
from lom_bot.store import queries
from lom_bot.store.tables import Assessment, BreachReport, Check, Contact


@dataclass(frozen=True)
class Failure:
    on: date
    what: str
    beyond_letters: bool = False  # an assessment that already escalated past letters


def failures_by_subject(
    session: Session,
    config: AppConfig,
    today: date,
    subject_ids: Sequence[int],
    *,
    exclude_breach: int | None = None,
    order_starts: dict[int, date | None] | None = None,
) -> dict[int, list[Failure]]:
    """Each subject's counted failures, oldest first: three statements whatever the number,
    four unless the caller already knows when each current order began (`order_starts`)."""
    months = config.due.escalation_window_months
    if order_starts is None:
        order_starts = {
            sid: order.activated_on or order.starts_on
            for sid, order in queries.current_orders(session, list(subject_ids)).items()
        }
    starts = {sid: window_start(today, months, began) for sid, began in order_starts.items()}
    default = window_start(today, months, None)
    earliest = min([default, *starts.values()])
    found: dict[int, list[Failure]] = defaultdict(list)

    def keep(sid: int, on: date, what: str, beyond: bool = False) -> None:
        if on >= starts.get(sid, default) and on <= today:
            found[sid].append(Failure(on, f"{format_date(on)} {what}", beyond))

    for sid, on, missed in session.execute(
        select(Contact.subject_id, Contact.occurred_on, Contact.outcome).where(
            Contact.subject_id.in_(subject_ids),
            Contact.outcome.in_(UNACCEPTABLE_FAILURES),
            Contact.occurred_on >= earliest,
        )
    ):
        keep(sid, on, label(missed))
    for sid, on, kind in session.execute(
        select(Check.subject_id, Check.done_on, Check.kind).where(
            Check.subject_id.in_(subject_ids),
            Check.result == CheckResult.CONCERN,
            Check.breach_id.is_(None),  # one raised as a breach counts through its assessment
            Check.done_on >= earliest,
        )
    ):
        keep(sid, on, f"{label(kind)} check concern")
    since = datetime.combine(earliest, time(), tzinfo=UTC)
    for who, breach_id, ref, outcome, decided_at in session.execute(
        select(
            BreachReport.subject_id,
            BreachReport.id,
            BreachReport.ref,
            Assessment.outcome,
            Assessment.decided_at,
        )
        .join(Assessment, Assessment.breach_id == BreachReport.id)
        .where(
            BreachReport.subject_id.in_(subject_ids),
            Assessment.outcome != AssessmentOutcome.NO_BREACH,
            Assessment.excuse_accepted.is_(False),
            Assessment.decided_at >= since,
        )
    ):
        if breach_id == exclude_breach or who is None:
            continue
        on = decided_at.astimezone(ZoneInfo(config.timezone)).date()
        beyond = outcome not in LETTERS_OR_LESS
        keep(who, on, f"{ref} {OUTCOME_LABELS[outcome].lower()}", beyond)
    return {sid: sorted(rows, key=lambda f: f.on) for sid, rows in found.items()}


def escalation_line(config: AppConfig, found: list[Failure]) -> str | None:
    """The prompt for a subject with enough failures since any escalation beyond letters
    already decided (that decision answered the earlier ones), else None."""
    rules = config.due
    last = max((n for n, f in enumerate(found) if f.beyond_letters), default=-1)
    found = found[last + 1 :]
    if not needs_escalation(len(found), rules.escalation_failures):
        return None
    listed = "; ".join(f.what for f in found[-4:])
    return (
        f"{len(found)} unacceptable failures in the last {rules.escalation_window_months} "
        f"months within the current order ({listed}): {BEYOND}. A prompt, not a decision."
    )
