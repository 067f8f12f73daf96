"""Court outcomes recorded later against a breach: charge, plea, verdict, sentence, variation,
new order. Recorded consistently, they let a force compare sentencing for s.25 offences."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from lom_bot.domain.court_rules import (
    breach_date,
    check_charge_date,
    check_one_sentence,
    check_sentence_term,
)
from lom_bot.domain.dates import format_date
from lom_bot.domain.enums import AssessmentOutcome, AuditAction, CustodyStatus
from lom_bot.domain.errors import GateClosed, InvalidInput, NotFound
from lom_bot.services.court_fields import court_columns, latest
from lom_bot.services.custody_status import apply_custody_change
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store import queries
from lom_bot.store.tables import Assessment, BreachReport, CourtOutcome, Subject
from lom_bot.store.uow import UnitOfWork

COURT_KINDS = ("charge", "plea", "verdict", "sentence", "variation", "new_order")
PLEAS = ("guilty", "not_guilty")
VERDICTS = ("guilty", "not_guilty", "discontinued", "other")
SENTENCES = ("custody", "suspended", "community_order", "fine", "discharge", "other")


@dataclass(frozen=True)
class RecordCourtOutcome:
    breach_ref: str
    kind: str
    on: date
    court: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _check_court(kind: str, detail: dict[str, Any], earlier: list[CourtOutcome]) -> dict[str, Any]:
    kinds = {c.kind for c in earlier}
    if kind not in COURT_KINDS:
        raise InvalidInput(
            f"'{kind}' is not a court outcome; use one of {', '.join(COURT_KINDS)}.",
            field="kind",
            example="sentence custody 18",
        )
    if kind in ("plea", "verdict", "sentence") and "charge" not in kinds:
        raise GateClosed(f"Record the charge before the {kind}.")
    if kind == "plea" and detail.get("plea") not in PLEAS:
        raise InvalidInput("A plea is guilty or not_guilty.", field="detail", example="plea guilty")
    if kind == "verdict" and detail.get("verdict") not in VERDICTS:
        raise InvalidInput(f"A verdict is one of {', '.join(VERDICTS)}.", field="detail")
    if kind == "sentence":
        convicted = any(
            (c.kind == "plea" and c.detail.get("plea") == "guilty")
            or (c.kind == "verdict" and c.detail.get("verdict") == "guilty")
            for c in earlier
        )
        if not convicted:
            raise GateClosed("A sentence needs a guilty plea or verdict recorded first.")
        if detail.get("type") not in SENTENCES:
            raise InvalidInput(
                f"A sentence is one of {', '.join(SENTENCES)}.",
                field="detail",
                example="sentence custody 18",
            )
        months = detail.get("months")
        if detail["type"] in ("custody", "suspended") and not (
            isinstance(months, int) and 0 < months <= 600
        ):
            raise InvalidInput(
                "Give the term in months.", field="detail", example="sentence custody 18"
            )
        charge = latest(earlier, "charge")
        section = charge.section if charge is not None else None
        check_sentence_term(section, detail["type"], months if isinstance(months, int) else None)
        sentenced = [
            c
            for c in earlier
            if c.kind == "sentence" and charge is not None and c.charge_id == charge.id
        ]
        check_one_sentence(len(sentenced), appeal=bool(detail.get("appeal")))
    return detail


def describe_court(c: CourtOutcome) -> str:
    bits = [f"{format_date(c.on)} {c.kind.replace('_', ' ')}"]
    d = c.detail
    for key in ("offence", "plea", "verdict", "type"):
        if d.get(key):
            bits.append(str(d[key]).replace("_", " "))
    if d.get("months"):
        bits.append(f"{d['months']} months")
    if d.get("amount"):
        bits.append(f"£{d['amount']}")
    if d.get("penalty"):
        bits.append(str(d["penalty"]))
    if d.get("new_order"):
        bits.append("and a new order made")
    if d.get("appeal"):
        bits.append("on appeal")
    if d.get("note"):
        bits.append(str(d["note"]))
    if c.court:
        bits.append(f"({c.court})")
    return " ".join(bits)


def record_court_outcome(uow: UnitOfWork, actor: Actor, cmd: RecordCourtOutcome) -> str:
    """Record a charge, plea, verdict, sentence, variation or new order against a breach."""
    from lom_bot.services.breach_routing import refresh_triage  # it shows court outcomes too

    with uow:
        require(actor, Action.ASSESS_BREACH)
        report = uow.session.scalars(
            select(BreachReport).where(BreachReport.ref == cmd.breach_ref.strip().upper())
        ).one_or_none()
        if report is None:
            raise NotFound(
                f"There is no breach report {cmd.breach_ref}.", field="breach", example="BR-00012"
            )
        if cmd.on > uow.clock.today():
            raise InvalidInput(f"The date {format_date(cmd.on)} is in the future.", field="on")
        assessed = uow.session.scalars(
            select(Assessment).where(Assessment.breach_id == report.id)
        ).one_or_none()
        if assessed is None or assessed.outcome is AssessmentOutcome.NO_BREACH:
            raise GateClosed(
                f"{report.ref} has not been assessed as a breach, so it has no court case."
            )
        earlier = list(
            uow.session.scalars(select(CourtOutcome).where(CourtOutcome.breach_id == report.id))
        )
        subject = uow.session.get(Subject, report.subject_id) if report.subject_id else None
        if cmd.kind == "charge":
            order = queries.current_order(uow.session, subject.id) if subject else None
            check_charge_date(
                cmd.on,
                breach_on=breach_date(report.seen_at),
                order_made=order.made_on if order else None,
            )
        detail = _check_court(cmd.kind, dict(cmd.detail), earlier)
        row = CourtOutcome(
            breach_id=report.id,
            kind=cmd.kind,
            detail=detail,
            on=cmd.on,
            court=(cmd.court or "").strip()[:120] or None,
            recorded_by=actor.user_id,
            **court_columns(cmd.kind, detail, earlier),
        )
        uow.session.add(row)
        uow.session.flush()
        custody = None
        if subject is not None and cmd.kind == "sentence" and detail.get("type") == "custody":
            custody = apply_custody_change(
                uow,
                actor,
                subject,
                CustodyStatus.IN_CUSTODY,
                f"custody sentence on {report.ref}",
            )
        uow.audit(
            actor.slack_id,
            AuditAction.COLLECTION,
            "breach.court_outcome",
            entity="court_outcome",
            entity_id=row.id,
            subject_ref=subject.ref if subject else None,
            detail={"breach": report.ref, "kind": cmd.kind, **detail},
        )
        refresh_triage(uow, report, actor.slack_id)
        uow.commit()
        return f"{report.ref}: recorded {describe_court(row)}." + (f" {custody}" if custody else "")
