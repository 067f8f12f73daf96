"""The legal and practice rules on an order: the gate, 5 years, s.22E, versions, transfers,
release dates, expiry and closure."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import (
    ChecklistKind,
    ContactKind,
    ContactOutcome,
    CustodyStatus,
    OrderStatus,
    ReleaseDateKind,
)
from lom_bot.domain.errors import (
    GateClosed,
    IllegalTransition,
    InvalidInput,
    NotAuthorised,
    OrderTooLong,
    ReadOnlyRecord,
)
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogContact, log_contact
from lom_bot.store.tables import AuditEntry, EducationVisit, Order, Subject, Transfer
from tests.conftest import both_databases
from tests.test_order_support import RELEASE, TODAY, grant_cmd, new_subject, walk_to

S = OrderStatus


@pytest.fixture
def awaiting(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.AWAITING_ACTIVATION)
    return ref


@pytest.fixture
def active(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    return ref


def order(rt: Runtime) -> Order:
    with rt.uow() as uow:
        return uow.session.scalars(select(Order).order_by(Order.id.desc())).one()


# The education-visit gate


def test_activation_without_the_visit_is_refused_by_the_gate(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    with pytest.raises(GateClosed, match="education visit"):
        o.activate(runtime.uow(), officer, o.Activate(awaiting, RELEASE))
    assert order(runtime).status is S.AWAITING_ACTIVATION


def test_only_a_supervisor_may_override_the_gate_and_the_reason_is_kept(
    runtime: Runtime, officer: Actor, supervisor: Actor, awaiting: str
) -> None:
    with runtime.uow() as uow:
        audit_before = uow.session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(NotAuthorised, match="Only a supervisor"):
        o.activate(runtime.uow(), officer, o.Activate(awaiting, RELEASE, "released early"))
    with runtime.uow() as uow:  # nothing written but the refusal's own audit row
        rows = uow.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id).offset(audit_before)
        ).all()
        assert [(r.action, r.actor, r.subject_ref) for r in rows] == [
            ("refusal", officer.slack_id, awaiting)
        ]
        assert rows[0].detail["needed"] == "override_gate"
    assert order(runtime).status is S.AWAITING_ACTIVATION
    assert order(runtime).education_override is None
    done = o.activate(runtime.uow(), supervisor, o.Activate(awaiting, RELEASE, "released early"))
    assert done.status is S.ACTIVE and "overridden" in done.message
    held = order(runtime)
    assert held.education_override == "released early"
    assert held.activated_on == RELEASE and held.expires_on == date(2031, 11, 19)


def test_activation_records_the_actual_release_and_the_subject_is_in_the_community(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    from lom_bot.store.tables import ReleaseDate

    with runtime.uow() as uow:
        actual = uow.session.scalars(select(ReleaseDate).where(ReleaseDate.actual)).one()
        subject = uow.session.scalars(select(Subject)).one()
    assert actual.on == RELEASE and actual.kind is ReleaseDateKind.CONFIRMED
    assert subject.custody_status is CustodyStatus.IN_COMMUNITY


def test_a_visit_must_cover_every_condition_or_record_a_refusal_with_service(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    with pytest.raises(InvalidInput, match="not yet: 3"):
        o.record_visit(runtime.uow(), officer, o.RecordVisit(awaiting, TODAY, acknowledged=(1, 2)))
    with pytest.raises(InvalidInput, match="evidence of service"):
        o.record_visit(runtime.uow(), officer, o.RecordVisit(awaiting, TODAY, refused=True))
    done = o.record_visit(
        runtime.uow(),
        officer,
        o.RecordVisit(
            awaiting,
            TODAY,
            refused=True,
            service="recorded_delivery",
            notes="signed for by occupant",
        ),
    )
    assert done.status is S.EDUCATED
    with runtime.uow() as uow:
        visit = uow.session.scalars(select(EducationVisit)).one()
    assert visit.outcome == "refused"
    assert visit.service_evidence == "served by recorded delivery: signed for by occupant"
    o.activate(runtime.uow(), officer, o.Activate(awaiting, RELEASE))
    assert order(runtime).status is S.ACTIVE


def test_a_booked_visit_in_the_past_is_refused(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    with pytest.raises(InvalidInput, match="has passed"):
        o.book_visit(runtime.uow(), officer, o.BookVisit(awaiting, date(2026, 11, 1)))
    done = o.book_visit(runtime.uow(), officer, o.BookVisit(awaiting, date(2026, 12, 1)))
    assert "01/12/2026" in done.message


# Release dates


def test_a_release_date_change_moves_the_expected_start_and_expiry(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.GRANTED)
    assert (order(runtime).starts_on, order(runtime).expires_on) == (RELEASE, date(2031, 11, 19))
    done = o.change_release_date(
        runtime.uow(),
        officer,
        o.ChangeReleaseDate(ref, ReleaseDateKind.CONFIRMED, date(2027, 2, 10)),
    )
    assert "expected to start 10/02/2027, in force to the end of 09/02/2032" in done.message
    held = order(runtime)
    assert (held.starts_on, held.expires_on) == (date(2027, 2, 10), date(2032, 2, 9))


# 5 years, variation and s.22E


def test_a_term_over_5_years_is_refused(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    with pytest.raises(OrderTooLong, match="at most 5 years"):
        o.grant(runtime.uow(), officer, grant_cmd(ref, term_months=61))
    with pytest.raises(OrderTooLong):
        o.grant(runtime.uow(), officer, grant_cmd(ref, term_months=0))


def test_a_variation_past_5_years_is_refused_but_a_s22e_extension_may_pass_it(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    with pytest.raises(OrderTooLong, match=r"Only a s\.22E extension"):
        o.vary(
            runtime.uow(),
            officer,
            o.Vary(active, "s17", "Leeds Crown Court", TODAY, expires_on=date(2032, 1, 1)),
        )
    with pytest.raises(InvalidInput, match="after the current end date"):
        o.extend(
            runtime.uow(),
            officer,
            o.Extend(active, "Leeds Crown Court", TODAY, date(2031, 1, 1), "conspiracy"),
        )
    done = o.extend(
        runtime.uow(),
        officer,
        o.Extend(active, "Leeds Crown Court", TODAY, date(2032, 6, 30), "conspiracy to supply"),
    )
    assert order(runtime).expires_on == date(2032, 6, 30) and order(runtime).version == 2
    assert "s.22E" in done.message


def test_an_extension_needs_an_order_in_force(
    runtime: Runtime, officer: Actor, awaiting: str
) -> None:
    with pytest.raises(IllegalTransition):
        o.extend(
            runtime.uow(),
            officer,
            o.Extend(awaiting, "Leeds Crown Court", TODAY, date(2032, 6, 30), "x"),
        )


@both_databases
def test_the_order_as_it_stood_before_and_after_a_variation(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    runtime.clock.advance(days=40)  # type: ignore[attr-defined]
    new_wording = "Not to use or possess any mobile telephone not notified to the police."
    o.vary(
        runtime.uow(),
        officer,
        o.Vary(
            active,
            "s.17",
            "Leeds Crown Court",
            date(2026, 12, 20),
            wording={1: new_wording, 2: None},
            add=(o.ConditionDraft("vehicle"),),
            expires_on=date(2030, 12, 31),
        ),
    )
    before = o.order_as_of(runtime.uow(), officer, active, date(2026, 12, 19))
    after = o.order_as_of(runtime.uow(), officer, active, date(2026, 12, 20))
    early = [c["wording"] for c in before.snapshot["conditions"]]
    late = {c["number"]: c["wording"] for c in after.snapshot["conditions"]}
    assert early[0].startswith("Not to use or possess more than one mobile telephone")
    assert len(early) == 3 and before.snapshot["expires_on"] == "2031-11-19"
    assert late[1] == new_wording and 2 not in late and late[4].startswith("Not to drive")
    assert after.snapshot["expires_on"] == "2030-12-31" and after.snapshot["version"] == 2
    assert after.event_kind == "varied_s17"
    with pytest.raises(Exception, match="no recorded version"):
        o.order_as_of(runtime.uow(), officer, active, date(2020, 1, 1))


def test_a_variation_names_its_section_and_a_real_condition(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    with pytest.raises(InvalidInput, match=r"s\.17, s\.20 or s\.21"):
        o.vary(runtime.uow(), officer, o.Vary(active, "s99", "Leeds CC", TODAY, wording={1: "x"}))
    with pytest.raises(InvalidInput, match="no condition 9"):
        o.vary(runtime.uow(), officer, o.Vary(active, "s21", "Leeds CC", TODAY, wording={9: "x"}))
    with pytest.raises(InvalidInput, match="none was given"):
        o.vary(runtime.uow(), officer, o.Vary(active, "s20", "Leeds CC", TODAY))


def test_only_the_high_court_discharges_an_order(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    with pytest.raises(InvalidInput, match="only the High Court"):
        o.discharge(runtime.uow(), officer, o.Discharge(active, "Leeds Crown Court", TODAY))
    o.discharge(runtime.uow(), officer, o.Discharge(active, "High Court (KBD)", TODAY, "spent"))
    assert order(runtime).status is S.DISCHARGED


# Transfers


@both_databases
def test_transfer_out_makes_the_record_read_only_once_accepted(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    done = o.transfer_out(runtime.uow(), officer, o.TransferOut(active, "Merseyside Police"))
    assert "separate order" not in done.message
    with pytest.raises(GateClosed, match="not all sent"):
        o.accept_transfer(runtime.uow(), officer, o.AcceptTransfer(active, TODAY))
    for n in range(1, 9):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(active, ChecklistKind.TRANSFER_OUT, str(n))
        )
    done = o.accept_transfer(runtime.uow(), officer, o.AcceptTransfer(active, TODAY))
    assert done.status is S.TRANSFERRED_OUT and "read-only" in done.message
    with runtime.uow() as uow:
        subject = uow.session.scalars(select(Subject)).one()
    assert subject.read_only
    with pytest.raises(ReadOnlyRecord):
        log_contact(
            runtime.uow(),
            officer,
            LogContact(active, ContactKind.CALL, ContactOutcome.COMPLIED, TODAY),
        )
    with pytest.raises(ReadOnlyRecord):
        o.vary(runtime.uow(), officer, o.Vary(active, "s17", "Leeds CC", TODAY, wording={1: "x"}))


@pytest.mark.parametrize(
    ("force", "destination", "place"),
    [
        ("Police Scotland", None, "Scotland"),
        ("PSNI", None, "Northern Ireland"),
        ("Strathclyde", "scotland", "Scotland"),
        ("jersey", None, "Jersey"),
        ("Guernsey Police", None, "Guernsey"),
        ("Isle of Man", None, "the Isle of Man"),
    ],
)
def test_a_move_to_scotland_or_northern_ireland_is_flagged_as_needing_a_separate_order(
    runtime: Runtime, officer: Actor, active: str, force: str, destination: str | None, place: str
) -> None:
    done = o.transfer_out(runtime.uow(), officer, o.TransferOut(active, force, destination))
    assert f"does not protect {place}: a separate order is needed there" in done.message
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Transfer.needs_separate_order)).one() is True
    view = o.view_order(runtime.uow(), officer, active)
    assert view.transfer and "NEEDS A SEPARATE ORDER" in view.transfer


def test_an_unknown_destination_is_refused(runtime: Runtime, officer: Actor, active: str) -> None:
    with pytest.raises(InvalidInput, match="england_wales, scotland, northern_ireland"):
        o.transfer_out(runtime.uow(), officer, o.TransferOut(active, "merseyside", "atlantis"))
    with pytest.raises(InvalidInput, match="Merseyside Police polices England and Wales"):
        o.transfer_out(runtime.uow(), officer, o.TransferOut(active, "merseyside", "scotland"))
    with pytest.raises(InvalidInput, match="not a UK police force"):
        o.transfer_out(runtime.uow(), officer, o.TransferOut(active, "Some Force"))


def test_transfer_in_records_the_arriving_order_requests_the_pack_and_prompts_a_visit(
    runtime: Runtime, officer: Actor
) -> None:
    ref = new_subject(runtime, officer)
    with pytest.raises(InvalidInput, match="court, date made and conditions"):
        o.transfer_in(runtime.uow(), officer, o.TransferIn(ref, "Merseyside Police", TODAY))
    done = o.transfer_in(
        runtime.uow(),
        officer,
        o.TransferIn(
            ref,
            "Merseyside Police",
            TODAY,
            court="Liverpool Crown Court",
            made_on=date(2025, 3, 1),
            activated_on=date(2025, 6, 1),
            expires_on=date(2028, 5, 31),
            conditions=(o.ConditionDraft("cash", "Not to possess cash over £1,000."),),
        ),
    )
    assert done.status is S.ACTIVE and "new local education visit" in done.message
    with runtime.uow() as uow:
        visit = uow.session.scalars(select(EducationVisit)).one()
        held = uow.session.scalars(select(Order)).one()
    assert visit.done_on is None and held.issuing_force == "Merseyside Police"
    done = o.complete_step(
        runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.TRANSFER_IN, "mg5")
    )
    assert "'MG5 case summary' done" in done.message
    view = o.view_order(runtime.uow(), officer, ref)
    pack = dict(view.checklists)["transfer_in"]
    assert pack[2][1] == "25/11/2026" and pack[0][1] is None


# Expiry and closure


def test_the_expiry_job_moves_orders_onto_the_radar_then_to_expired(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    assert o.expire_due_orders(runtime.uow(), date(2031, 5, 1)).expiring == []
    report = o.expire_due_orders(runtime.uow(), date(2031, 6, 1))
    assert report.expiring == [order(runtime).ref] and order(runtime).status is S.EXPIRING
    assert o.expire_due_orders(runtime.uow(), date(2031, 11, 19)).expired == []
    report = o.expire_due_orders(runtime.uow(), date(2031, 11, 20))
    assert report.expired == [order(runtime).ref] and order(runtime).status is S.EXPIRED
    view = o.view_order(runtime.uow(), officer, active)
    assert dict(view.checklists)["closure"][0] == (
        "Final checks with subject and probation",
        None,
        None,
    )


def test_closure_is_refused_before_expiry_while_pending_and_until_the_checklist_is_done(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    with pytest.raises(IllegalTransition, match="before the expiry date"):
        o.close_order(runtime.uow(), officer, o.CloseOrder(active))
    o.note_pending(runtime.uow(), officer, o.NotePending(active, "extension", "charged 1/6"))
    o.expire_due_orders(runtime.uow(), date(2031, 11, 20))
    with pytest.raises(GateClosed, match="extension is pending"):
        o.close_order(runtime.uow(), officer, o.CloseOrder(active))
    with runtime.uow() as uow:
        uow.session.scalars(select(Order)).one().pending_court_event = None
        uow.commit()
    with pytest.raises(GateClosed, match="closure checklist is not finished"):
        o.close_order(runtime.uow(), officer, o.CloseOrder(active))
    for n in range(1, 6):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(active, ChecklistKind.CLOSURE, str(n), "ok")
        )
    done = o.close_order(runtime.uow(), officer, o.CloseOrder(active))
    assert done.status is S.CLOSED
    with pytest.raises(ReadOnlyRecord):
        o.note_pending(runtime.uow(), officer, o.NotePending(active, "variation"))


def test_a_systems_step_needs_its_reference_and_cannot_be_done_twice(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import AlreadyDone

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.GRANTED)
    with pytest.raises(InvalidInput, match="reference number"):
        o.complete_step(runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.SYSTEMS, "pnc"))
    with pytest.raises(InvalidInput, match="Which step"):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.SYSTEMS, "fax", "R1")
        )
    o.complete_step(runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.SYSTEMS, "pnc", "R1"))
    with pytest.raises(AlreadyDone):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.SYSTEMS, "1", "R2")
        )
    assert order(runtime).status is S.GRANTED


def test_an_officer_records_an_expiry_that_has_passed_and_not_one_that_has_not(
    runtime: Runtime, officer: Actor, supervisor: Actor, active: str
) -> None:
    from lom_bot.domain.enums import Commencement

    with pytest.raises(
        IllegalTransition, match="in force to the end of 19/11/2031: nothing to record yet"
    ):
        o.record_expiry(runtime.uow(), officer, o.RecordExpiry(active))
    ref = new_subject(runtime, officer, family="Shortterm")
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    o.grant(
        runtime.uow(),
        officer,
        grant_cmd(
            ref,
            made_on=date(2026, 8, 20),
            term_months=1,
            commencement=Commencement.FIXED_DATE,
            starts_on=date(2026, 9, 1),
        ),
    )
    for system in ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS"):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.SYSTEMS, system, "R")
        )
    o.activate(runtime.uow(), supervisor, o.Activate(ref, date(2026, 9, 1), "served at court"))
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.steps[0].key == "expire" and view.order["expires_on"] == "2026-09-30"
    done = o.record_expiry(runtime.uow(), officer, o.RecordExpiry(ref))
    assert done.status is S.EXPIRED and "closure checklist is open" in done.message
    assert "expired at the end of 30/09/2026" in done.message
    assert "expire" not in [s.key for s in o.view_order(runtime.uow(), officer, ref).steps]


def test_a_new_order_may_be_proposed_after_expiry_and_the_old_one_closed_by_its_reference(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.EXPIRED)
    old = order(runtime).ref
    new = o.propose(runtime.uow(), officer, o.ProposeOrder(ref, "still active in the network"))
    assert new.order_ref != old
    assert o.view_order(runtime.uow(), officer, ref).order["ref"] == new.order_ref
    # by subject, a closure step reaches the expired order, not the new proposal
    o.complete_step(runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.CLOSURE, "1"))
    for n in range(2, 6):
        o.complete_step(runtime.uow(), officer, o.CompleteStep(old, ChecklistKind.CLOSURE, str(n)))
    assert o.close_order(runtime.uow(), officer, o.CloseOrder(old)).status is S.CLOSED
    assert o.view_order(runtime.uow(), officer, ref).order["status"] == "proposed"
