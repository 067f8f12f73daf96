"""Collect: read one subject's whole record into the pack's models (intelligence filtered)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lom_bot.domain.handling import pass_on_to_force
from lom_bot.services.transfer_pack import fields
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.collect_records import (
    Names,
    breaches_of,
    checks_of,
    contacts_of,
    documents_of,
    intelligence_of,
)
from lom_bot.services.transfer_pack.fields import shared
from lom_bot.store.tables import (
    Alias,
    Associate,
    Checklist,
    ChecklistStep,
    Condition,
    EducationVisit,
    Order,
    OrderEvent,
    ReleaseDate,
    Subject,
)
from lom_bot.store.uow import UnitOfWork


@dataclass
class Collected:
    """Everything a pack holds, as models, and the documents' bytes by path."""

    subject: m.SubjectFile
    orders: m.OrdersFile
    contacts: m.ContactsFile
    checks: m.ChecksFile
    intelligence: m.IntelligenceFile
    breaches: m.BreachesFile
    documents: m.DocumentsFile
    files: dict[str, bytes]

    def content(self) -> dict[str, m.Strict]:
        return {
            "subject.json": self.subject,
            "orders.json": self.orders,
            "contacts.json": self.contacts,
            "checks.json": self.checks,
            "intelligence.json": self.intelligence,
            "breaches.json": self.breaches,
            "documents.json": self.documents,
        }


def collect(uow: UnitOfWork, subject: Subject) -> Collected:
    """The subject's record as the pack's models, inside the caller's unit of work."""
    names = Names(uow)
    orders = _orders(uow, subject, names)
    condition_refs = {
        c_id: (o_ref, number)
        for c_id, o_ref, number in uow.session.execute(
            select(Condition.id, Order.ref, Condition.number)
            .join(Order, Order.id == Condition.order_id)
            .where(Order.subject_id == subject.id)
        ).all()
    }
    documents, files = documents_of(uow, subject, names)
    return Collected(
        subject=_subject(uow, subject, names),
        orders=orders,
        contacts=contacts_of(uow, subject, names),
        checks=checks_of(uow, subject, names),
        intelligence=intelligence_of(uow, subject, names, pass_on_to_force),
        breaches=breaches_of(uow, subject, names, condition_refs),
        documents=documents,
        files=files,
    )


def _subject(uow: UnitOfWork, s: Subject, names: Names) -> m.SubjectFile:
    session = uow.session
    aliases = session.scalars(select(Alias.name).where(Alias.subject_id == s.id).order_by(Alias.id))
    releases = session.scalars(
        select(ReleaseDate).where(ReleaseDate.subject_id == s.id).order_by(ReleaseDate.id)
    )
    associates = session.scalars(
        select(Associate).where(Associate.subject_id == s.id).order_by(Associate.id)
    ).all()
    linked_ids = [a.linked_subject_id for a in associates if a.linked_subject_id]
    linked = dict(
        session.execute(select(Subject.id, Subject.ref).where(Subject.id.in_(linked_ids))).all()
    )
    return m.SubjectFile(
        ref=s.ref,
        title=s.title,
        given_names=s.given_names,
        family_name=s.family_name,
        born_on=s.born_on,
        pnc_id=s.pnc_id,
        niche_id=s.niche_id,
        visor_ref=s.visor_ref,
        prison_number=s.prison_number,
        address=s.address,
        district=s.district,
        description=s.description,
        risk_level=s.risk_level.value,
        custody_status=s.custody_status.value,
        officer=names(s.officer_id),
        aliases=list(aliases),
        release_dates=[
            m.ReleaseDateRecord(recorded_by=names(r.recorded_by), **shared(r, fields.RELEASE_DATE))
            for r in releases
        ],
        associates=[
            m.AssociateRecord(
                name=a.name,
                notes=a.notes,
                linked_subject_ref=linked.get(a.linked_subject_id) if a.linked_subject_id else None,
            )
            for a in associates
        ],
    )


def _orders(uow: UnitOfWork, subject: Subject, names: Names) -> m.OrdersFile:
    session = uow.session
    orders = session.scalars(
        select(Order).where(Order.subject_id == subject.id).order_by(Order.id)
    ).all()
    refs = {o.id: o.ref for o in orders}
    return m.OrdersFile(orders=[_order(uow, o, refs, names) for o in orders])


def _order(uow: UnitOfWork, o: Order, refs: dict[int, str], names: Names) -> m.OrderRecord:
    session = uow.session
    conditions = session.scalars(
        select(Condition).where(Condition.order_id == o.id).order_by(Condition.number, Condition.id)
    )
    events = session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == o.id).order_by(OrderEvent.id)
    )
    visits = session.scalars(
        select(EducationVisit).where(EducationVisit.order_id == o.id).order_by(EducationVisit.id)
    )
    checklists = session.scalars(
        select(Checklist).where(Checklist.order_id == o.id).order_by(Checklist.id)
    ).all()
    return m.OrderRecord(
        ref=o.ref,
        status=o.status.value,
        route=o.route.value if o.route else None,
        issuing_force=o.issuing_force,
        managing_force=o.managing_force,
        supersedes_ref=refs.get(o.supersedes_id) if o.supersedes_id else None,
        **shared(o, fields.ORDER),
        conditions=[m.ConditionRecord(**shared(c, fields.CONDITION)) for c in conditions],
        versions=[
            m.VersionRecord(
                note=e.note, recorded_by=names(e.recorded_by), **shared(e, fields.ORDER_EVENT)
            )
            for e in events
        ],
        education_visits=[
            m.VisitRecord(
                booked_for=v.booked_for,
                done_on=v.done_on,
                outcome=v.outcome,
                acknowledged=v.acknowledged,
                service_evidence=v.service_evidence,
                officer=names(v.officer_id),
            )
            for v in visits
        ],
        checklists=[_checklist(uow, c, names) for c in checklists],
    )


def _checklist(uow: UnitOfWork, c: Checklist, names: Names) -> m.ChecklistRecord:
    steps = uow.session.scalars(
        select(ChecklistStep).where(ChecklistStep.checklist_id == c.id).order_by(ChecklistStep.id)
    )
    return m.ChecklistRecord(
        kind=c.kind.value,
        opened_on=c.opened_on,
        completed_on=c.completed_on,
        steps=[
            m.StepRecord(
                name=s.name,
                requested_on=s.requested_on,
                received_on=s.received_on,
                done_on=s.done_on,
                done_by=names(s.done_by),
                reference=s.reference,
            )
            for s in steps
        ],
    )
