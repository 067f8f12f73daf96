"""Import, part 2: contacts, checks, intelligence, breaches, the ladder and documents."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from lom_bot.domain.enums import (
    HandlingCode,
    IntelGrade,
    SourceGrade,
)
from lom_bot.services.corrections import record_ref
from lom_bot.services.transfer_pack import fields
from lom_bot.services.transfer_pack.fields import shared
from lom_bot.services.transfer_pack.receive_orders import OrdersWritten, People
from lom_bot.services.transfer_pack.verify import Pack
from lom_bot.store.tables import (
    Assessment,
    BreachEdit,
    BreachReport,
    Check,
    Contact,
    CourtOutcome,
    Dissemination,
    Document,
    FollowUp,
    Intelligence,
    Subject,
)
from lom_bot.store.uow import UnitOfWork


@dataclass
class RecordsWritten:
    """Their references -> ours, per kind, and how many of each were written."""

    refs: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, theirs: str, ours: str) -> None:
        self.refs.setdefault(kind, {})[theirs] = ours
        self.counts[kind] = self.counts.get(kind, 0) + 1


def _placeholder() -> str:
    return f"tmp-{uuid.uuid4().hex[:12]}"


def write_records(
    uow: UnitOfWork, pack: Pack, subject: Subject, people: People, orders: OrdersWritten
) -> RecordsWritten:
    """Everything the pack holds beside the subject and orders, with the links between them."""
    session = uow.session
    out = RecordsWritten()
    for c in pack.contacts.contacts:
        contact = Contact(
            subject_id=subject.id, officer_id=people(c.officer), **shared(c, fields.CONTACT)
        )
        session.add(contact)
        session.flush()
        out.add("contacts", str(c.id), str(contact.id))
    intel_ids = _intelligence(uow, pack, subject, people, out)
    breach_ids = _breaches(uow, pack, subject, people, orders, out)
    for ch in pack.checks.checks:
        check = Check(
            subject_id=subject.id,
            officer_id=people(ch.officer),
            intelligence_id=intel_ids.get(ch.intelligence_ref or ""),
            breach_id=breach_ids.get(ch.breach_ref or ""),
            **shared(ch, fields.CHECK),
        )
        session.add(check)
        session.flush()
        out.add("checks", str(ch.id), str(check.id))
    follow_ids = _follow_ups(uow, pack, subject, people, breach_ids, out)
    for d in pack.documents.documents:
        document = Document(
            subject_id=subject.id,
            kind=d.kind,
            filename=d.filename,
            content=pack.files[d.path],
            follow_up_id=follow_ids.get(d.follow_up_id or 0),
            created_by=people(d.created_by),
            created_at=d.created_at,
        )
        session.add(document)
        session.flush()
        out.add("documents", d.path, str(document.id))
    return out


def _intelligence(
    uow: UnitOfWork, pack: Pack, subject: Subject, people: People, out: RecordsWritten
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for i in pack.intelligence.shared:
        intel = Intelligence(
            ref=_placeholder(),
            subject_id=subject.id,
            text=i.text,
            source_grade=SourceGrade(i.source_grade),
            intel_grade=IntelGrade(i.intel_grade),
            handling=HandlingCode(i.handling),
            handling_conditions=i.handling_conditions,
            breach_opportunity=i.breach_opportunity,
            recorded_by=people(i.recorded_by),
            recorded_at=i.recorded_at,
            review_on=i.review_on,
        )
        uow.session.add(intel)
        uow.session.flush()
        intel.ref = record_ref("intelligence", intel.id)
        for d in i.disseminations:
            uow.session.add(
                Dissemination(
                    intelligence_id=intel.id,
                    recipient=d.recipient,
                    shared_on=d.shared_on,
                    shared_by=people(d.shared_by),
                )
            )
        ids[i.ref] = intel.id
        out.add("intelligence", i.ref, intel.ref)
    return ids


def _breaches(
    uow: UnitOfWork,
    pack: Pack,
    subject: Subject,
    people: People,
    orders: OrdersWritten,
    out: RecordsWritten,
) -> dict[str, int]:
    session = uow.session
    ids: dict[str, int] = {}
    outcomes: dict[int, int] = {}  # their court outcome id -> ours (a sentence's charge)
    force = pack.manifest.sending_force
    for b in pack.breaches.breaches:
        condition = None
        if b.order_ref is not None and b.condition_number is not None:
            condition = orders.conditions.get((b.order_ref, b.condition_number))
        report = BreachReport(
            ref=_placeholder(),
            subject_id=subject.id,
            condition_id=condition,
            sighting_id=ids.get(b.sighting_ref or ""),  # when that report came in the pack too
            **shared(b, fields.BREACH),
        )
        session.add(report)
        session.flush()
        report.ref = f"BR-{report.id:05d}"
        ids[b.ref] = report.id
        out.add("breaches", b.ref, report.ref)
        for e in b.edits:
            session.add(BreachEdit(breach_id=report.id, **shared(e, fields.BREACH_EDIT)))
        if b.assessment is not None:
            a = b.assessment
            session.add(
                Assessment(
                    breach_id=report.id,
                    decided_by=people(a.decided_by or f"an officer of {force}"),
                    **shared(a, fields.ASSESSMENT),
                )
            )
            out.counts["assessments"] = out.counts.get("assessments", 0) + 1
        for o in b.court_outcomes:
            outcome = CourtOutcome(
                breach_id=report.id,
                recorded_by=people(o.recorded_by),
                charge_id=outcomes.get(o.charge_id or 0),
                **shared(o, fields.COURT_OUTCOME),
            )
            session.add(outcome)
            session.flush()
            outcomes[o.id] = outcome.id
            out.add("court_outcomes", str(o.id), str(outcome.id))
    return ids


def _follow_ups(
    uow: UnitOfWork,
    pack: Pack,
    subject: Subject,
    people: People,
    breach_ids: dict[str, int],
    out: RecordsWritten,
) -> dict[int, int]:
    ids: dict[int, int] = {}
    for f in pack.breaches.follow_ups:
        follow_up = FollowUp(
            breach_id=breach_ids.get(f.breach_ref or ""),
            subject_id=subject.id,
            owner_id=people(f.owner),
            **shared(f, fields.FOLLOW_UP),
        )
        uow.session.add(follow_up)
        uow.session.flush()
        ids[f.id] = follow_up.id
        out.add("follow_ups", str(f.id), str(follow_up.id))
    return ids
