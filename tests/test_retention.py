"""Retention: every record comes up for review; only a supervisor's audited decision retains
or erases; erasure redacts personal details and keeps the records' links and the audit chain."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from lom_bot.domain.enums import AuditAction, ContactKind, ContactOutcome
from lom_bot.domain.errors import GateClosed, InvalidInput, NotAuthorised, NotFound
from lom_bot.runtime import Runtime
from lom_bot.services.audit import verify_chain
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.services.retention import (
    ENDED,
    ERASED,
    Decision,
    DueRecord,
    RecordKind,
    RecordRef,
    decide_retention,
    records_due_for_review,
)
from lom_bot.store.tables import AuditEntry, Contact, Intelligence, Order, Subject
from tests.conftest import TODAY, both_databases

SIX_YEARS_ON = date(2032, 11, 25)  # the demo's review dates: made today + 6 years


def due(rt: Runtime, on: date) -> list[DueRecord]:
    with rt.uow() as uow:
        return records_due_for_review(uow, on)


def refs(items: list[DueRecord], kind: RecordKind) -> set[str]:
    return {d.record.ref for d in items if d.record.kind is kind}


def closed_subject(rt: Runtime) -> str:
    """A demo subject whose every order has ended."""
    with rt.uow() as uow:
        for subject in uow.session.scalars(select(Subject).order_by(Subject.ref)):
            statuses = list(
                uow.session.scalars(select(Order.status).where(Order.subject_id == subject.id))
            )
            if statuses and all(s in ENDED for s in statuses):
                return subject.ref
    raise AssertionError("the demo has no subject with only ended orders")


def live_subject(rt: Runtime) -> tuple[str, str]:
    with rt.uow() as uow:
        order = uow.session.scalars(
            select(Order).where(Order.status.not_in(ENDED)).order_by(Order.ref)
        ).first()
        assert order is not None
        ref = uow.session.scalar(select(Subject.ref).where(Subject.id == order.subject_id))
        return str(ref), order.ref


def audit_tail(rt: Runtime) -> AuditEntry:
    with rt.uow() as uow:
        entry = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        return entry


def test_nothing_is_due_before_its_review_date_and_everything_after(demo: Runtime) -> None:
    assert due(demo, TODAY) == []
    assert due(demo, date(2032, 11, 24)) == []
    later = due(demo, date(2032, 11, 26))
    with demo.uow() as uow:
        subjects = set(uow.session.scalars(select(Subject.ref)))
        intel = set(uow.session.scalars(select(Intelligence.ref)))
    assert refs(later, RecordKind.SUBJECT) == subjects
    assert refs(later, RecordKind.INTELLIGENCE) == intel
    assert [d.review_on for d in later] == sorted(d.review_on for d in later)


def test_a_record_without_a_review_date_still_falls_due(demo: Runtime) -> None:
    with demo.engine.begin() as conn:
        conn.execute(text("UPDATE orders SET review_on = NULL"))
        conn.execute(text("UPDATE intelligence SET review_on = NULL"))
    with demo.uow() as uow:
        orders = set(uow.session.scalars(select(Order.ref)))
    # made "today" (the fixed clock), so due six years on from when each row was created
    assert refs(due(demo, date(2040, 1, 1)), RecordKind.ORDER) == orders
    assert refs(due(demo, TODAY), RecordKind.ORDER) == set()


def test_a_subject_still_being_contacted_is_not_put_up_for_review(
    demo: Runtime, officer: Actor, clock: object
) -> None:
    from lom_bot.domain.clock import FixedClock

    assert isinstance(clock, FixedClock)
    clock.advance(days=365)  # a contact a year from now keeps LOM-0001 held a year longer
    log_contact(
        demo.uow(),
        officer,
        LogContact("LOM-0001", ContactKind.CALL, ContactOutcome.COMPLIED, date(2027, 11, 25)),
    )
    later = refs(due(demo, date(2033, 1, 1)), RecordKind.SUBJECT)
    assert "LOM-0001" not in later and "LOM-0002" in later
    assert "LOM-0001" in refs(due(demo, date(2033, 11, 26)), RecordKind.SUBJECT)


@both_databases
def test_retaining_sets_a_new_review_date_and_is_audited(demo: Runtime, supervisor: Actor) -> None:
    ref = closed_subject(demo)
    reply = decide_retention(
        demo.uow(), supervisor, RecordRef(RecordKind.SUBJECT, ref), Decision.RETAIN, "PSD inquiry"
    )
    assert "next review 25/11/2032" in reply
    entry = audit_tail(demo)
    assert (entry.action, entry.what, entry.subject_ref) == (
        AuditAction.ALTERATION,
        "retention.retained",
        ref,
    )
    assert entry.purpose == "PSD inquiry" and entry.actor == "U0SUPER"
    decide_retention(
        demo.uow(),
        supervisor,
        RecordRef(RecordKind.SUBJECT, ref),
        Decision.RETAIN,
        "longer",
        review_on=date(2035, 1, 1),
    )
    assert ref not in refs(due(demo, date(2034, 12, 31)), RecordKind.SUBJECT)
    assert verify_chain(demo.uow()).intact


@both_databases
def test_erasing_a_subject_redacts_personal_details_but_keeps_rows_and_links(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = closed_subject(demo)
    with demo.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == ref)).one()
        sid, name = subject.id, subject.name
        contacts = uow.session.scalar(
            select(func.count(Contact.id)).where(Contact.subject_id == sid)
        )
    reply = decide_retention(
        demo.uow(),
        supervisor,
        RecordRef(RecordKind.SUBJECT, ref.lower()),
        Decision.ERASE,
        "review: no longer necessary",
    )
    assert reply.startswith(f"{ref} erased")
    with demo.uow() as uow:
        after = uow.session.get(Subject, sid)
        assert after is not None and after.ref == ref and after.read_only
        assert (after.given_names, after.family_name) == (ERASED, ERASED)
        assert after.pnc_id is None and after.address is None and after.born_on is None
        kept = uow.session.scalar(select(func.count(Contact.id)).where(Contact.subject_id == sid))
        assert kept == contacts
        notes = uow.session.scalars(select(Contact.notes).where(Contact.subject_id == sid))
        assert set(notes) <= {None}
        orders = uow.session.scalars(select(Order.grounds).where(Order.subject_id == sid))
        assert set(orders) <= {ERASED}
    entry = audit_tail(demo)
    assert (entry.action, entry.what, entry.subject_ref) == (
        AuditAction.ERASURE,
        "retention.erased",
        ref,
    )
    assert entry.purpose == "review: no longer necessary" and entry.detail
    assert entry.detail["subjects"] == 1
    assert name not in str(entry.detail)
    assert verify_chain(demo.uow()).intact
    assert ref not in refs(due(demo, date(2040, 1, 1)), RecordKind.SUBJECT)


def test_a_person_under_an_order_in_force_is_not_erased(demo: Runtime, supervisor: Actor) -> None:
    ref, order_ref = live_subject(demo)
    before = verify_chain(demo.uow()).entries
    with pytest.raises(GateClosed, match=order_ref):
        decide_retention(
            demo.uow(), supervisor, RecordRef(RecordKind.SUBJECT, ref), Decision.ERASE, "x"
        )
    with pytest.raises(GateClosed, match="in force"):
        decide_retention(
            demo.uow(), supervisor, RecordRef(RecordKind.ORDER, order_ref), Decision.ERASE, "x"
        )
    with demo.uow() as uow:
        assert uow.session.scalars(select(Subject).where(Subject.ref == ref)).one().name != ERASED
    assert verify_chain(demo.uow()).entries == before


def test_one_intelligence_item_can_be_erased_alone(demo: Runtime, supervisor: Actor) -> None:
    with demo.uow() as uow:
        first, second = uow.session.scalars(select(Intelligence).order_by(Intelligence.id)).all()[
            :2
        ]
        first_ref, second_text = first.ref, second.text
    decide_retention(
        demo.uow(),
        supervisor,
        RecordRef(RecordKind.INTELLIGENCE, first_ref),
        Decision.ERASE,
        "graded E, shown false",
    )
    with demo.uow() as uow:
        texts = {r: t for r, t in uow.session.execute(select(Intelligence.ref, Intelligence.text))}
    assert texts[first_ref] == ERASED and second_text in texts.values()
    assert audit_tail(demo).action == AuditAction.ERASURE


@pytest.mark.parametrize("who", ["officer", "leeds_officer", "admin"])
def test_only_a_supervisor_decides_retention(
    demo: Runtime, who: str, request: pytest.FixtureRequest
) -> None:
    actor: Actor = request.getfixturevalue(who)
    ref = closed_subject(demo)
    before = verify_chain(demo.uow()).entries
    for decision in Decision:
        with pytest.raises(NotAuthorised):
            decide_retention(demo.uow(), actor, RecordRef(RecordKind.SUBJECT, ref), decision, "x")
    # each refusal is audited, and nothing else is written
    assert verify_chain(demo.uow()).entries == before + len(Decision)
    with demo.uow() as uow:
        newest = uow.session.scalars(
            select(AuditEntry.what).order_by(AuditEntry.seq.desc()).limit(len(Decision))
        ).all()
    assert newest == ["request.refused"] * len(Decision)


def test_a_decision_needs_a_reason_a_known_record_and_a_future_date(
    demo: Runtime, supervisor: Actor
) -> None:
    ref = RecordRef(RecordKind.SUBJECT, closed_subject(demo))
    with pytest.raises(InvalidInput, match="reason"):
        decide_retention(demo.uow(), supervisor, ref, Decision.ERASE, "   ")
    with pytest.raises(NotFound):
        decide_retention(
            demo.uow(), supervisor, RecordRef(RecordKind.ORDER, "SCPO-9999"), Decision.RETAIN, "x"
        )
    with pytest.raises(InvalidInput, match="future"):
        decide_retention(demo.uow(), supervisor, ref, Decision.RETAIN, "x", review_on=TODAY)
