"""Collect the subject's records: contacts, checks, intelligence, breaches and documents."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import select

from lom_bot.domain.enums import HandlingCode
from lom_bot.domain.handling import PassOn
from lom_bot.services.transfer_pack import fields
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.fields import shared
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
    User,
)
from lom_bot.store.uow import UnitOfWork

PACK_KINDS = ("transfer_pack_in", "transfer_pack_out")  # packs kept as documents: not re-sent
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class Names:
    """User ids to names, read once."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._names = dict(uow.session.execute(select(User.id, User.name)).all())

    def __call__(self, user_id: int | None) -> str | None:
        return None if user_id is None else self._names.get(user_id)


def contacts_of(uow: UnitOfWork, subject: Subject, names: Names) -> m.ContactsFile:
    rows = uow.session.scalars(
        select(Contact).where(Contact.subject_id == subject.id).order_by(Contact.id)
    )
    return m.ContactsFile(
        contacts=[
            m.ContactRecord(id=c.id, officer=names(c.officer_id), **shared(c, fields.CONTACT))
            for c in rows
        ]
    )


def _refs(
    uow: UnitOfWork, table: type[Intelligence] | type[BreachReport], subject_id: int
) -> dict[int, str]:
    return dict(
        uow.session.execute(select(table.id, table.ref).where(table.subject_id == subject_id)).all()
    )


def checks_of(uow: UnitOfWork, subject: Subject, names: Names) -> m.ChecksFile:
    intel = _refs(uow, Intelligence, subject.id)
    breaches = _refs(uow, BreachReport, subject.id)
    rows = uow.session.scalars(
        select(Check).where(Check.subject_id == subject.id).order_by(Check.id)
    )
    return m.ChecksFile(
        checks=[
            m.CheckRecord(
                id=c.id,
                officer=names(c.officer_id),
                intelligence_ref=intel.get(c.intelligence_id) if c.intelligence_id else None,
                breach_ref=breaches.get(c.breach_id) if c.breach_id else None,
                **shared(c, fields.CHECK),
            )
            for c in rows
        ]
    )


def intelligence_of(
    uow: UnitOfWork,
    subject: Subject,
    names: Names,
    rule: Callable[[HandlingCode, str | None], PassOn],
) -> m.IntelligenceFile:
    """Each item the handling rule lets go, with its disseminations; the rest listed as withheld."""
    session = uow.session
    shared: list[m.IntelRecord] = []
    withheld: list[m.WithheldRecord] = []
    for i in session.scalars(
        select(Intelligence).where(Intelligence.subject_id == subject.id).order_by(Intelligence.id)
    ):
        verdict = rule(i.handling, i.handling_conditions)
        if not verdict.allowed:
            withheld.append(
                m.WithheldRecord(
                    ref=i.ref,
                    recorded_at=i.recorded_at,
                    handling=i.handling.value,
                    reason=verdict.reason or "withheld",
                )
            )
            continue
        spread = session.scalars(
            select(Dissemination)
            .where(Dissemination.intelligence_id == i.id)
            .order_by(Dissemination.id)
        )
        shared.append(
            m.IntelRecord(
                ref=i.ref,
                text=i.text,
                source_grade=i.source_grade.value,
                intel_grade=i.intel_grade.value,
                handling=i.handling.value,
                handling_conditions=i.handling_conditions,
                breach_opportunity=i.breach_opportunity,
                recorded_by=names(i.recorded_by),
                recorded_at=i.recorded_at,
                review_on=i.review_on,
                disseminations=[
                    m.DisseminationRecord(
                        recipient=d.recipient, shared_on=d.shared_on, shared_by=names(d.shared_by)
                    )
                    for d in spread
                ],
            )
        )
    return m.IntelligenceFile(shared=shared, withheld=withheld)


def breaches_of(
    uow: UnitOfWork,
    subject: Subject,
    names: Names,
    conditions: dict[int, tuple[str, int]],
) -> m.BreachesFile:
    """Reports about the subject with their edits, assessment and court outcomes; the ladder."""
    session = uow.session
    reports = session.scalars(
        select(BreachReport).where(BreachReport.subject_id == subject.id).order_by(BreachReport.id)
    ).all()
    refs = {b.id: b.ref for b in reports}
    sighting_ids = [b.sighting_id for b in reports if b.sighting_id]
    sightings = dict(
        session.execute(
            select(BreachReport.id, BreachReport.ref).where(BreachReport.id.in_(sighting_ids))
        ).all()
    )
    breaches = []
    for b in reports:
        assessment = session.scalars(
            select(Assessment).where(Assessment.breach_id == b.id)
        ).one_or_none()
        edits = session.scalars(
            select(BreachEdit).where(BreachEdit.breach_id == b.id).order_by(BreachEdit.id)
        )
        outcomes = session.scalars(
            select(CourtOutcome).where(CourtOutcome.breach_id == b.id).order_by(CourtOutcome.id)
        )
        order_ref, number = conditions.get(b.condition_id or 0, (None, None))
        breaches.append(
            m.BreachRecord(
                ref=b.ref,
                order_ref=order_ref,
                condition_number=number,
                sighting_ref=sightings.get(b.sighting_id) if b.sighting_id else None,
                **shared(b, fields.BREACH),
                edits=[m.EditRecord(**shared(e, fields.BREACH_EDIT)) for e in edits],
                assessment=None
                if assessment is None
                else m.AssessmentRecord(
                    decided_by=names(assessment.decided_by),
                    **shared(assessment, fields.ASSESSMENT),
                ),
                court_outcomes=[
                    m.CourtOutcomeRecord(
                        id=o.id,
                        recorded_by=names(o.recorded_by),
                        charge_id=o.charge_id,
                        **shared(o, fields.COURT_OUTCOME),
                    )
                    for o in outcomes
                ],
            )
        )
    follow_ups = session.scalars(
        select(FollowUp).where(FollowUp.subject_id == subject.id).order_by(FollowUp.id)
    )
    return m.BreachesFile(
        breaches=breaches,
        follow_ups=[
            m.FollowUpRecord(
                id=f.id,
                breach_ref=refs.get(f.breach_id) if f.breach_id else None,
                owner=names(f.owner_id),
                **shared(f, fields.FOLLOW_UP),
            )
            for f in follow_ups
        ],
    )


def documents_of(
    uow: UnitOfWork, subject: Subject, names: Names
) -> tuple[m.DocumentsFile, dict[str, bytes]]:
    """Letters and documents kept with the record (earlier packs excepted), and their bytes."""
    records: list[m.DocumentRecord] = []
    files: dict[str, bytes] = {}
    rows = uow.session.scalars(
        select(Document)
        .where(Document.subject_id == subject.id, Document.kind.not_in(PACK_KINDS))
        .order_by(Document.id)
    )
    for d in rows:
        path = f"documents/{d.id:05d}-{_UNSAFE.sub('-', d.filename)[:150]}"
        files[path] = d.content
        records.append(
            m.DocumentRecord(
                path=path,
                kind=d.kind,
                filename=d.filename,
                follow_up_id=d.follow_up_id,
                created_by=names(d.created_by),
                created_at=d.created_at,
            )
        )
    return m.DocumentsFile(documents=records), files
