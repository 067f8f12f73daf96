"""An edited district message is matched again: a report whose subject the edit no longer names
moves to the subject it now names, or asks a person when the words are unsure; a subject the
edit adds gets its own linked report. Decided reports keep their subject. Every change is
audited and noted on the triage post."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.domain.enums import AuditAction, BreachStatus
from lom_bot.services.breach_routing import post_to_triage, refresh_triage
from lom_bot.services.breach_sighting import (
    audit_reported,
    build_report,
    linked_reports,
    new_report,
)
from lom_bot.services.breach_view import subject_facts, touched_condition_id
from lom_bot.services.matching import Match, cached_directory, match_sighting
from lom_bot.store.tables import BreachEdit, BreachReport, Subject
from lom_bot.store.uow import UnitOfWork


def _ref(uow: UnitOfWork, subject_id: int | None) -> str:
    if subject_id is None:
        return "subject to confirm"
    ref = uow.session.scalar(select(Subject.ref).where(Subject.id == subject_id))
    return ref or "subject to confirm"


def _note(uow: UnitOfWork, report: BreachReport, user: str | None, before: str) -> None:
    after = _ref(uow, report.subject_id)
    if report.subject_id is None and report.candidates:
        after = "subject to confirm between " + ", ".join(report.candidates[:6])
    text = f"Matched again after the reporter's edit: was {before}, now {after}."
    uow.session.add(
        BreachEdit(
            breach_id=report.id, kind="rematch", text=text, by_slack_id=user, at=uow.clock.now()
        )
    )
    uow.audit(
        user or "system",
        AuditAction.ALTERATION,
        "breach.rematched",
        entity="breach_report",
        entity_id=report.id,
        subject_ref=None if report.subject_id is None else after,
        detail={"from": before, "to": after, "candidates": report.candidates},
    )


def _assign(uow: UnitOfWork, report: BreachReport, match: Match) -> None:
    report.subject_id = match.subject_id
    report.status = BreachStatus.NEW if match.subject_id else BreachStatus.POSSIBLE
    report.candidates = list(match.candidates) or None
    report.match_score, report.match_reason = match.score, match.reason[:200] or None
    report.condition_id = (
        touched_condition_id(uow, match.subject_id, report.text) if match.subject_id else None
    )


def rematch_after_edit(uow: UnitOfWork, first: BreachReport, user: str | None) -> None:
    """Match the message's new text (already on `first`) again; see the module's docstring."""
    reports = [first, *linked_reports(uow, first)]
    for other in reports[1:]:
        other.text = first.text
    directory = cached_directory(uow.session)
    matches = match_sighting(first.text, directory, uow.config.matching, district=first.district)
    named = {m.subject_id for m in matches if m.subject_id is not None}
    held = {r.subject_id for r in reports if r.subject_id is not None}
    todo = [m for m in matches if m.subject_id is None or m.subject_id not in held]
    free = [
        r
        for r in reports
        if r.status is not BreachStatus.ASSESSED
        and (r.subject_id is None or r.subject_id not in named)
    ]
    for match in todo:
        if not free:
            _linked(uow, first, match, user)
            continue
        report = free.pop(0)
        same = report.subject_id is None and match.subject_id is None
        if same and set(report.candidates or ()) == set(match.candidates):
            continue  # still the same choice to make
        before = _ref(uow, report.subject_id)
        _assign(uow, report, match)
        _note(uow, report, user, before)
    for report in free:
        if report.subject_id is None:
            continue  # still a possible report: its candidates stand
        before = _ref(uow, report.subject_id)
        _assign(uow, report, Match("possible", None, (before,), 0, "the edit no longer names it"))
        _note(uow, report, user, before)
    for report in reports[1:]:
        refresh_triage(uow, report, user or "system")


def _linked(uow: UnitOfWork, first: BreachReport, match: Match, user: str | None) -> None:
    """A new report for a subject the edit added, linked to the message's first report."""
    base = BreachReport(
        source=first.source,
        reporter_slack_id=first.reporter_slack_id,
        channel_id=first.channel_id,
        permalink=first.permalink,
        district=first.district,
        seen_at=first.seen_at,
        seen_where=first.seen_where,
        sighting_id=first.sighting_id or first.id,
    )
    facts = subject_facts(uow, match.subject_id) if match.subject_id else None
    report = build_report(uow, base, match, facts, first.text)
    new_report(uow, report)
    audit_reported(uow, report, match, facts)
    _note(uow, report, user, "not in the message")
    uow.session.flush()
    post_to_triage(uow, report, user or "system", facts=facts)
