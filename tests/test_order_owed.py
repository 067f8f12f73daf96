"""What an order still owes is never lost: a release date, the education visit after an override
or transfer in, an s.22E charge's disposal, which of two orders governs; and a replaced order
is monitored, linked both ways, until its replacement is active."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import (
    ChecklistKind,
    Commencement,
    CustodyStatus,
    OrderStatus,
    ReleaseDateKind,
    RiskLevel,
)
from lom_bot.domain.errors import Ambiguous, GateClosed, NotAuthorised, NotFound
from lom_bot.services import orders as o
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.due import LineKind
from lom_bot.services.permissions import Actor
from lom_bot.services.subjects import NewSubject, create_subject
from lom_bot.services.summary import build_weekly_summary
from lom_bot.store.tables import Order, OrderCharge, OrderEvent
from tests.test_order_support import RELEASE, TODAY, grant_cmd, new_subject, walk_to

S = OrderStatus


def lines(rt: Runtime, day: date = TODAY) -> list[tuple[LineKind, str]]:
    with rt.uow() as uow:
        return [(x.kind, x.what) for x in build_daily_digest(uow, day).lines]


def status(rt: Runtime, ref: str) -> S:
    with rt.uow() as uow:
        return uow.session.scalars(select(Order.status).where(Order.ref == ref)).one()


def events(rt: Runtime) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OrderEvent)) or 0)


def no_release_subject(rt: Runtime, officer: Actor, custody: CustodyStatus) -> str:
    new = NewSubject("Kim", "Nowhere", "Leeds", RiskLevel.HIGH, custody, born_on=date(1980, 1, 1))
    with rt.uow() as uow:
        return create_subject(uow, officer, new).ref


# Release dates and the commencement default


def test_an_order_awaiting_release_with_no_release_date_is_in_the_digest_and_weekly_summary(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = no_release_subject(runtime, officer, CustodyStatus.IN_CUSTODY)
    walk_to(runtime, officer, supervisor, ref, S.GRANTED)
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.order["commencement"] == "on_release" and view.order["starts_on"] is None
    assert any("no release date is held" in what for kind, what in lines(runtime))
    assert any("A release date" in line for line in view.owed)
    with runtime.uow() as uow:
        summary = build_weekly_summary(uow, TODAY)
    assert any("no release date is held" in line for line in summary.owed)
    o.change_release_date(
        runtime.uow(), officer, o.ChangeReleaseDate(ref, ReleaseDateKind.CRD, date(2027, 3, 1))
    )
    assert not any("no release date is held" in what for _, what in lines(runtime))


def test_a_grant_for_a_subject_in_the_community_starts_when_made_not_on_release(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = no_release_subject(runtime, officer, CustodyStatus.IN_COMMUNITY)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    done = o.grant(runtime.uow(), officer, grant_cmd(ref))
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.order["commencement"] == "fixed_date"
    assert view.order["starts_on"] == "2026-11-02" and view.order["expires_on"] == "2031-11-01"
    assert "from 02/11/2026 to the end of 01/11/2031" in done.message


# The education visit after an override or a transfer in


def test_after_a_gate_override_the_visit_is_chased_until_done(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.AWAITING_ACTIVATION)
    o.activate(runtime.uow(), supervisor, o.Activate(ref, RELEASE, "released early"))
    chased = [w for k, w in lines(runtime) if k is LineKind.EDUCATION_VISIT]
    assert chased == [
        "SCPO-0001 education visit still owed (gate overridden; due by 25/11/2026)"
    ]  # released Fri 20/11 + 3 working days
    assert any(
        "The education visit" in line for line in o.view_order(runtime.uow(), officer, ref).owed
    )
    assert "visit_record" in [s.key for s in o.view_order(runtime.uow(), officer, ref).steps]
    o.record_visit(runtime.uow(), officer, o.RecordVisit(ref, TODAY))
    assert not [w for k, w in lines(runtime) if k is LineKind.EDUCATION_VISIT]


def test_after_a_transfer_in_the_visit_is_chased(runtime: Runtime, officer: Actor) -> None:
    ref = new_subject(runtime, officer)
    o.transfer_in(
        runtime.uow(),
        officer,
        o.TransferIn(
            ref,
            "merseyside",
            TODAY,
            "Liverpool Crown Court",
            date(2025, 3, 1),
            date(2025, 6, 1),
            date(2028, 5, 31),
            (o.ConditionDraft("cash", "Not to hold over £500 in cash."),),
        ),
    )
    chased = [w for k, w in lines(runtime) if k is LineKind.EDUCATION_VISIT]
    assert chased == ["SCPO-0001 education visit still owed (transferred in; due by 30/11/2026)"]


# s.22E charges


@pytest.fixture
def active(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    return ref


def test_an_s22e_charge_holds_the_order_in_force_until_disposed_of(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    done = o.extend(
        runtime.uow(),
        officer,
        o.Extend(
            active, "Leeds Crown Court", TODAY, None, "Possession with intent", date(2026, 11, 23)
        ),
    )
    assert "until the charge is disposed of" in done.message
    with runtime.uow() as uow:
        charge = uow.session.scalars(select(OrderCharge)).one()
    assert (charge.offence, charge.charged_on, charge.disposed_on) == (
        "Possession with intent",
        date(2026, 11, 23),
        None,
    )
    after_end = date(2031, 12, 1)  # past the end date 19/11/2031
    o.expire_due_orders(runtime.uow(), after_end)
    assert status(runtime, "SCPO-0001") is S.EXPIRING  # not expired: the charge holds it
    owed = [w for k, w in lines(runtime, after_end) if k is LineKind.ORDER_OWED]
    assert owed == [
        "SCPO-0001: record the disposal of the s.22E charge (Possession with intent, charged "
        "23/11/2026); the order is held in force only by it"
    ]
    before = events(runtime)
    with pytest.raises(GateClosed, match="stays in force until the charge is disposed of"):
        o.close_order(runtime.uow(), officer, o.CloseOrder(active))
    assert events(runtime) == before
    o.dispose_charge(runtime.uow(), officer, o.DisposeCharge(active, "acquitted", TODAY))
    o.expire_due_orders(runtime.uow(), after_end)
    assert status(runtime, "SCPO-0001") is S.EXPIRED


def test_a_disposal_with_no_charge_or_before_the_charge_is_refused_and_writes_nothing(
    runtime: Runtime, officer: Actor, active: str
) -> None:
    before = events(runtime)
    with pytest.raises(NotFound, match=r"no s\.22E charge"):
        o.dispose_charge(runtime.uow(), officer, o.DisposeCharge(active, "acquitted", TODAY))
    o.extend(
        runtime.uow(),
        officer,
        o.Extend(active, "Leeds CC", TODAY, None, "s.25", date(2026, 11, 23)),
    )
    before = events(runtime)
    with pytest.raises(Exception, match="before the charge"):
        o.dispose_charge(
            runtime.uow(), officer, o.DisposeCharge(active, "acquitted", date(2026, 11, 1))
        )
    assert events(runtime) == before


# Supersede


def test_a_replacement_is_linked_both_ways_and_the_old_order_is_monitored_until_it_is_active(
    runtime: Runtime, officer: Actor, supervisor: Actor, active: str
) -> None:
    due_before = [k for k, _ in lines(runtime) if k in (LineKind.CONTACT, LineKind.HOME_VISIT)]
    o.propose(runtime.uow(), officer, o.ProposeOrder(active, "new offending", replacement=True))
    o.draft(runtime.uow(), officer, o.DraftApplication(active, "g", (o.ConditionDraft("cash"),)))
    o.approve(runtime.uow(), supervisor, o.Review(active))
    o.submit(runtime.uow(), officer, o.Submit(active))
    o.grant(
        runtime.uow(),
        officer,
        grant_cmd(
            active,
            made_on=TODAY,
            commencement=Commencement.FIXED_DATE,
            starts_on=date(2027, 1, 4),
        ),
    )
    assert status(runtime, "SCPO-0001") is S.ACTIVE  # not yet superseded: the new is not in force
    new = o.view_order(runtime.uow(), officer, "SCPO-0002")
    old = o.view_order(runtime.uow(), officer, "SCPO-0001")
    assert new.links == [
        "Replaces SCPO-0001 (active): monitoring continues from it until this order is active."
    ]
    assert old.links == ["Replaced by SCPO-0002 (granted)."]
    assert {"replacement_proposed", "replacement_granted"} <= {h.kind for h in old.history}
    due_now = [k for k, _ in lines(runtime) if k in (LineKind.CONTACT, LineKind.HOME_VISIT)]
    assert due_now == due_before  # the cadences did not drop out
    for system in ("PNC", "Niche", "ViSOR", "Corvus", "HMPPS"):
        o.complete_step(
            runtime.uow(), officer, o.CompleteStep(active, ChecklistKind.SYSTEMS, system, "R")
        )
    with pytest.raises(Ambiguous, match="matches 2 live orders"):  # both could owe a visit
        o.record_visit(runtime.uow(), officer, o.RecordVisit(active, TODAY))
    o.record_visit(runtime.uow(), officer, o.RecordVisit("SCPO-0002", TODAY))
    o.activate(runtime.uow(), officer, o.Activate(active, TODAY))  # the one awaiting it
    assert status(runtime, "SCPO-0001") is S.SUPERSEDED
    assert o.view_order(runtime.uow(), officer, "SCPO-0001").links == [
        "Replaced by SCPO-0002 (active)."
    ]


# Transfer in with a live order here


def test_a_transfer_in_with_a_live_order_keeps_both_and_a_supervisor_decides_which_governs(
    runtime: Runtime, officer: Actor, supervisor: Actor, active: str
) -> None:
    done = o.transfer_in(
        runtime.uow(),
        officer,
        o.TransferIn(
            active,
            "merseyside",
            TODAY,
            "Liverpool Crown Court",
            date(2026, 6, 1),
            date(2026, 6, 1),
            date(2029, 5, 31),
            (o.ConditionDraft("cash", "Not to hold over £500 in cash."),),
        ),
    )
    assert "both are kept; a supervisor decides which order governs" in done.message
    with runtime.uow() as uow:
        arrived = uow.session.scalars(select(Order).where(Order.ref == "SCPO-0002")).one()
    assert (arrived.court, arrived.issuing_force) == ("Liverpool Crown Court", "Merseyside Police")
    owed = [w for k, w in lines(runtime) if k is LineKind.ORDER_OWED]
    assert len(owed) == 2 and all("a supervisor decides which order governs" in w for w in owed)
    before = events(runtime)
    with pytest.raises(NotAuthorised):
        o.decide_governing(runtime.uow(), officer, o.DecideGoverning("SCPO-0002", "both"))
    assert events(runtime) == before
    done = o.decide_governing(
        runtime.uow(), supervisor, o.DecideGoverning("SCPO-0002", "supersede")
    )
    assert "SCPO-0001 (made 02/11/2026) governs; SCPO-0002 is superseded" in done.message
    assert status(runtime, "SCPO-0002") is S.SUPERSEDED and status(runtime, "SCPO-0001") is S.ACTIVE
    assert not [w for k, w in lines(runtime) if k is LineKind.ORDER_OWED]
