"""Capturing breach reports: from a district message, the message shortcut, `/lom breach`, the
report modal, or intelligence flagged as a breach opportunity. Each is stored once (per Slack
event and per message) and routed to triage in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from lom_bot.blocks import breach as ui
from lom_bot.domain.enums import BreachStatus
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.services.breach_clues import seen_when
from lom_bot.services.breach_from_record import raise_from_record
from lom_bot.services.breach_routing import post_to_triage, tell_reporter
from lom_bot.services.breach_sighting import (
    audit_reported,
    build_report,
    linked_reports,
    new_report,
    split_subjects,
)
from lom_bot.services.breach_view import SubjectFacts, subject_facts
from lom_bot.services.matching import STAMP, Match, cached_directory, match_message, match_sighting
from lom_bot.services.permissions import Action, Actor, require
from lom_bot.store.tables import BreachReport, Intelligence, SeenEvent, Subject
from lom_bot.store.uow import UnitOfWork

Source = Literal["message", "shortcut", "command", "modal", "intelligence", "dm"]
MAX_TEXT = 40_000  # Slack's own limit on a message's text


@dataclass(frozen=True)
class ReportBreach:
    source: Source
    text: str
    reporter: str  # Slack user id
    channel_id: str | None = None
    message_ts: str | None = None
    permalink: str | None = None
    subject: str | None = None  # as typed in the modal; otherwise found in the text
    seen_at: str | None = None
    seen_where: str | None = None
    event_id: str | None = None


@dataclass(frozen=True)
class Reported:
    ref: str
    breach_id: int
    status: BreachStatus
    subject_ref: str | None
    created: bool  # False: this event or message was already recorded
    reason: str | None = None
    others: tuple[str, ...] = ()  # the other reports made from the same message (subjects)

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.ref, *self.others)


def report_breach(uow: UnitOfWork, actor: Actor | None, cmd: ReportBreach) -> Reported | None:
    """Store and route a report; None when a district message turns out not to be one."""
    try:
        return _report(uow, actor, cmd)
    except IntegrityError:
        # A concurrent delivery of the same event or message committed first: that one stands.
        return _existing(uow, cmd)


def _existing(uow: UnitOfWork, cmd: ReportBreach) -> Reported | None:
    with uow:
        report = find_by_message(uow, cmd.channel_id, cmd.message_ts)
        return _result(uow, report, created=False) if report else None


def find_by_message(uow: UnitOfWork, channel: str | None, ts: str | None) -> BreachReport | None:
    if not channel or not ts:
        return None
    return uow.session.scalars(
        select(BreachReport).where(
            BreachReport.channel_id == channel, BreachReport.message_ts == ts
        )
    ).one_or_none()


def _result(
    uow: UnitOfWork, report: BreachReport, *, created: bool, reason: str | None = None
) -> Reported:
    subject = uow.session.get(Subject, report.subject_id) if report.subject_id else None
    others = tuple(r.ref for r in linked_reports(uow, report))
    return Reported(
        report.ref,
        report.id,
        report.status,
        subject.ref if subject else None,
        created,
        reason,
        others,
    )


def seen_before(uow: UnitOfWork, event_id: str | None) -> bool:
    """Record the event id; True when Slack already delivered this event."""
    if not event_id:
        return False
    if uow.session.get(SeenEvent, event_id) is not None:
        return True
    uow.session.add(SeenEvent(event_id=event_id, seen_at=uow.clock.now()))
    return False


def _match(
    uow: UnitOfWork, cmd: ReportBreach, district: str | None, stamp: Sequence[object] | None
) -> list[Match]:
    """One verdict per report to make: [] when a district message is not one."""
    rules = uow.config.matching
    directory = cached_directory(uow.session, stamp)
    if cmd.subject and cmd.subject.strip():
        # the form's Subject field: one subject, or several separated by commas or "and"
        eager = rules.model_copy(update={"require_keyword_for_name_only": False})
        found: dict[object, Match] = {}
        for part in split_subjects(cmd.subject):
            match = match_message(part, directory, eager, district=district)
            if match is None:
                raise InvalidInput(
                    f"No subject matches '{part.strip()[:80]}'.",
                    field="subject",
                    example="LOM-0042, a PNC ID or a name (several: separated by commas)",
                )
            found.setdefault(match.subject_id or match.candidates, match)
        return list(found.values())
    if cmd.source in ("message", "dm"):  # as written to colleagues: chat is left alone
        return match_sighting(cmd.text, directory, rules, district=district)
    # Someone chose to report this: it is kept even when no subject is recognised.
    eager = rules.model_copy(update={"require_keyword_for_name_only": False})
    return match_sighting(cmd.text, directory, eager, district=district) or [
        Match("possible", None, (), 0, "no subject recognised")
    ]


# seen_before, find_by_message and the subject directory's stamp in one statement, built once
# (a NULL parameter finds nothing)
_DELIVERED = select(
    select(SeenEvent.event_id).where(SeenEvent.event_id == bindparam("event_id")).exists(),
    select(BreachReport.id)
    .where(
        BreachReport.channel_id == bindparam("channel"),
        BreachReport.message_ts == bindparam("ts"),
    )
    .scalar_subquery(),
    *STAMP,
)


@dataclass(frozen=True)
class _Delivered:
    duplicate: bool  # Slack delivered this event already
    existing: BreachReport | None  # the report already stored from this message
    stamp: Sequence[object] | None  # the subject directory's (matching.STAMP)


def _delivered(uow: UnitOfWork, cmd: ReportBreach) -> _Delivered:
    """What earlier deliveries left, in one statement; records the event id."""
    session = uow.session
    message = bool(cmd.channel_id and cmd.message_ts)
    if not cmd.event_id and not message:
        return _Delivered(False, None, None)
    duplicate, existing_id, *stamp = session.execute(
        _DELIVERED,
        {
            "event_id": cmd.event_id or None,
            "channel": cmd.channel_id if message else None,
            "ts": cmd.message_ts if message else None,
        },
    ).one()
    if cmd.event_id and not duplicate:
        session.add(SeenEvent(event_id=cmd.event_id, seen_at=uow.clock.now()))
    existing = session.get(BreachReport, existing_id) if existing_id is not None else None
    return _Delivered(bool(duplicate), existing, stamp)


def _report(uow: UnitOfWork, actor: Actor | None, cmd: ReportBreach) -> Reported | None:
    with uow:
        if cmd.source != "message":
            if actor is None:
                raise NotAuthorised()
            require(actor, Action.REPORT_BREACH)
        delivered = _delivered(uow, cmd)
        if delivered.existing is not None:
            uow.commit()
            return _result(uow, delivered.existing, created=False)
        if delivered.duplicate:
            return None  # a redelivered event that was not a report the first time
        text = (cmd.text or "").strip()
        if not text:
            raise InvalidInput(
                "Say what was seen.", field="what", example="seen driving a hire van"
            )
        channel_district = uow.config.district_of_channel(cmd.channel_id or "")
        district = channel_district or (actor.district if actor else None)
        matches = _match(uow, cmd, district, delivered.stamp)
        if not matches:
            uow.commit()  # the seen event id only: chat is left alone
            return None
        made = _store(uow, cmd, text[:MAX_TEXT], matches, district)
        if cmd.source in ("message", "shortcut"):
            refs = tuple(r.ref for r, _ in made)
            tell_reporter(uow, made[0][0], ui.reporter_ack(*refs), actor=cmd.reporter, receipt=refs)
        uow.commit()
        first, facts = made[0]
        return Reported(
            first.ref,
            first.id,
            first.status,
            facts.summary.ref if facts else None,
            True,
            matches[0].reason,
            tuple(r.ref for r, _ in made[1:]),
        )


def _store(
    uow: UnitOfWork,
    cmd: ReportBreach,
    text: str,
    matches: list[Match],
    district: str | None,
) -> list[tuple[BreachReport, SubjectFacts | None]]:
    """One report per verdict, the first holding the message, the others linked to it; each
    audited and routed to triage with its own subject's conditions."""
    base = BreachReport(
        source=cmd.source,
        reporter_slack_id=cmd.reporter,
        channel_id=cmd.channel_id,
        message_ts=cmd.message_ts,
        permalink=cmd.permalink,
        district=district,
        seen_at=(cmd.seen_at or seen_when(text) or "").strip()[:120] or None,
        seen_where=(cmd.seen_where or "").strip()[:200] or None,
    )
    made: list[tuple[BreachReport, SubjectFacts | None]] = []
    for match in matches:
        facts = subject_facts(uow, match.subject_id) if match.subject_id else None
        report = build_report(uow, base, match, facts, text)
        new_report(uow, report)
        audit_reported(uow, report, match, facts)
        made.append((report, facts))
        if len(made) == 1 and len(matches) > 1:
            base.message_ts, base.sighting_id = None, report.id
    for report, facts in made:
        post_to_triage(uow, report, cmd.reporter, new=len(made) == 1, facts=facts)
    return made


def route_intelligence(uow: UnitOfWork, actor: Actor, intel: Intelligence, subject: Subject) -> str:
    """Intelligence flagged as a breach opportunity becomes a report in triage (same commit)."""
    report = raise_from_record(
        uow,
        actor,
        subject,
        source="intelligence",
        text=f"Intelligence {intel.ref} ({intel.source_grade.value}{intel.intel_grade.value}"
        f"{intel.handling.value}) flagged as a breach opportunity: {intel.text}"
        + (
            f"\nHandling conditions: {intel.handling_conditions}"
            if intel.handling_conditions  # handling code C: shared only on these conditions
            else ""
        ),
        about=intel.text,
        detail={"intelligence": intel.ref},
    )
    return report.ref
