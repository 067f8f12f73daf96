"""Every step of the order's life through the services: legal moves, illegal moves refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from lom_bot.domain.enums import ChecklistKind, OrderStatus
from lom_bot.domain.errors import DomainError, IllegalTransition, NotAuthorised
from lom_bot.domain.lifecycle import TRANSITIONS
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, Order, OrderEvent, Subject
from tests.conftest import both_databases
from tests.test_order_support import RELEASE, TODAY, grant_cmd, new_subject, walk_to

S = OrderStatus
Step = Callable[[Runtime, Actor, Actor, str], object]

# Each step that moves the order, with the state it moves it to.
STEPS: dict[str, tuple[S, Step]] = {
    "draft": (
        S.DRAFTED,
        lambda rt, off, sup, ref: o.draft(
            rt.uow(), off, o.DraftApplication(ref, "grounds", (o.ConditionDraft("cash"),))
        ),
    ),
    "approve": (S.APPROVED, lambda rt, off, sup, ref: o.approve(rt.uow(), sup, o.Review(ref))),
    "submit": (S.SUBMITTED, lambda rt, off, sup, ref: o.submit(rt.uow(), off, o.Submit(ref))),
    "grant": (S.GRANTED, lambda rt, off, sup, ref: o.grant(rt.uow(), off, grant_cmd(ref))),
    "refuse": (
        S.REFUSED,
        lambda rt, off, sup, ref: o.refuse(rt.uow(), off, o.RefuseOrder(ref, "no evidence")),
    ),
    "visit": (
        S.EDUCATED,
        lambda rt, off, sup, ref: o.record_visit(rt.uow(), off, o.RecordVisit(ref, TODAY)),
    ),
    "activate": (
        S.ACTIVE,
        lambda rt, off, sup, ref: o.activate(
            rt.uow(), sup, o.Activate(ref, RELEASE, override_reason="urgent release")
        ),
    ),
    "discharge": (
        S.DISCHARGED,
        lambda rt, off, sup, ref: o.discharge(
            rt.uow(), off, o.Discharge(ref, "High Court (KBD)", TODAY)
        ),
    ),
    "close": (S.CLOSED, lambda rt, off, sup, ref: o.close_order(rt.uow(), off, o.CloseOrder(ref))),
}
STATES = [
    S.PROPOSED,
    S.DRAFTED,
    S.APPROVED,
    S.SUBMITTED,
    S.GRANTED,
    S.AWAITING_ACTIVATION,
    S.EDUCATED,
    S.ACTIVE,
    S.EXPIRING,
    S.EXPIRED,
    S.CLOSED,
    S.REFUSED,
    S.DISCHARGED,
]


def legal(state: S, step: str) -> bool:
    target = STEPS[step][0]
    if step == "draft" and state is S.DRAFTED:
        return True  # redrafting keeps the state
    if step == "visit" and state in (S.ACTIVE, S.EXPIRING, S.GRANTED, S.EDUCATED):
        return True  # recorded without a move (a late visit, or before systems are done)
    return target in TRANSITIONS[state]


CASES = [(state, step) for state in STATES for step in STEPS]


def status_of(rt: Runtime, ref: str) -> S:
    """The status of the subject's newest order."""
    with rt.uow() as uow:
        found = uow.session.scalars(
            select(Order.status)
            .join(Subject, Subject.id == Order.subject_id)
            .where(Subject.ref == ref)
            .order_by(Order.id.desc())
        ).first()
    assert found is not None
    return found


@pytest.mark.parametrize(("state", "step"), CASES, ids=[f"{s.value}-{p}" for s, p in CASES])
def test_each_step_is_allowed_exactly_where_the_state_machine_allows_it(
    runtime: Runtime, officer: Actor, supervisor: Actor, state: S, step: str
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, state)
    assert status_of(runtime, ref) is state
    target, run = STEPS[step]
    if legal(state, step):
        if state is S.EXPIRED and step == "close":
            for n in range(1, 6):
                o.complete_step(
                    runtime.uow(), officer, o.CompleteStep(ref, ChecklistKind.CLOSURE, str(n), "x")
                )
        run(runtime, officer, supervisor, ref)
        expected = (
            state
            if (step, state)
            in {
                ("draft", S.DRAFTED),
                ("visit", S.ACTIVE),
                ("visit", S.EXPIRING),
                ("visit", S.GRANTED),
            }
            else target
        )
        assert status_of(runtime, ref) is expected
    else:
        with pytest.raises(DomainError) as refused:
            run(runtime, officer, supervisor, ref)
        assert isinstance(refused.value, IllegalTransition) or "read-only" in str(refused.value)
        assert status_of(runtime, ref) is state


@both_databases
def test_every_step_records_an_event_with_a_snapshot_and_an_audit_entry(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.CLOSED)
    with runtime.uow() as uow:
        events = uow.session.scalars(select(OrderEvent).order_by(OrderEvent.id)).all()
        kinds = [e.kind for e in events]
        audits = set(uow.session.scalars(select(AuditEntry.what)))
    assert kinds[:5] == ["proposed", "drafted", "approved", "submitted_to_cps", "granted"]
    assert {
        "recorded_on_systems",
        "awaiting_activation",
        "education_visit_done",
        "activated",
        "expiring",
        "expired",
        "closed",
    } <= set(kinds)
    assert all(e.snapshot and e.snapshot["status"] == e.status_to for e in events)
    assert {f"order.{k}" for k in kinds} <= audits
    assert "checklist.step_done" in audits


@pytest.mark.parametrize("step", ["approve", "return"])
def test_only_a_supervisor_approves_or_returns_an_application(
    runtime: Runtime, officer: Actor, supervisor: Actor, step: str
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.DRAFTED)
    service = o.approve if step == "approve" else o.return_application
    with pytest.raises(NotAuthorised):
        service(runtime.uow(), officer, o.Review(ref, "looks fine"))
    assert status_of(runtime, ref) is S.DRAFTED
    service(runtime.uow(), supervisor, o.Review(ref, "tighten condition 3"))
    assert status_of(runtime, ref) is (S.APPROVED if step == "approve" else S.PROPOSED)


def test_a_district_officer_cannot_manage_orders(
    runtime: Runtime, officer: Actor, leeds_officer: Actor
) -> None:
    ref = new_subject(runtime, officer)
    with pytest.raises(NotAuthorised):
        o.propose(runtime.uow(), leeds_officer, o.ProposeOrder(ref))


def test_the_time_from_proposal_to_decision_is_recorded_and_shown(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    runtime.clock.advance(days=12)  # type: ignore[attr-defined]
    done = o.grant(runtime.uow(), officer, grant_cmd(ref))
    assert "12 days from proposal to decision" in done.message
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.days_to_decision == 12


def test_a_second_live_order_is_refused_unless_it_replaces_the_first(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import Duplicate

    ref = new_subject(runtime, officer)
    with pytest.raises(Duplicate):
        walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
        o.propose(runtime.uow(), officer, o.ProposeOrder(ref))
    new = o.propose(runtime.uow(), officer, o.ProposeOrder(ref, "new grounds", replacement=True))
    with pytest.raises(Duplicate):
        o.propose(runtime.uow(), officer, o.ProposeOrder(ref, replacement=True))
    for step in ("draft", "approve", "submit", "grant"):
        STEPS[step][1](runtime, officer, supervisor, ref)
    with runtime.uow() as uow:
        orders = uow.session.scalars(select(Order).order_by(Order.id)).all()
    assert [x.status for x in orders] == [S.SUPERSEDED, S.GRANTED]
    assert orders[1].ref == new.order_ref and orders[1].supersedes_id == orders[0].id


def test_proposing_for_an_unknown_subject_is_refused(runtime: Runtime, officer: Actor) -> None:
    from lom_bot.domain.errors import NotFound

    with pytest.raises(NotFound):
        o.propose(runtime.uow(), officer, o.ProposeOrder("LOM-0999"))


def test_a_returned_application_carries_the_comments_and_is_redrafted(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import InvalidInput

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.DRAFTED)
    with pytest.raises(InvalidInput):
        o.return_application(runtime.uow(), supervisor, o.Review(ref, "  "))
    o.return_application(runtime.uow(), supervisor, o.Review(ref, "add the vehicle term"))
    view = o.view_order(runtime.uow(), officer, ref)
    assert view.history[-1].note == "add the vehicle term"
    assert [s.key for s in view.steps][:1] == ["draft"]
    STEPS["draft"][1](runtime, officer, supervisor, ref)
    assert status_of(runtime, ref) is S.DRAFTED


def test_draft_needs_known_templates_and_at_least_one_condition(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import InvalidInput

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.PROPOSED)
    with pytest.raises(InvalidInput, match="no condition template 'jetpack'"):
        o.draft(
            runtime.uow(), officer, o.DraftApplication(ref, "g", (o.ConditionDraft("jetpack"),))
        )
    with pytest.raises(InvalidInput, match="at least one"):
        o.draft(runtime.uow(), officer, o.DraftApplication(ref, "g", ()))
    assert status_of(runtime, ref) is S.PROPOSED


def test_grant_refuses_an_under_18_subject_and_a_future_date(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    from lom_bot.domain.errors import InvalidInput, SubjectTooYoung

    ref = new_subject(runtime, officer, born=date(2009, 1, 1))
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    with pytest.raises(SubjectTooYoung):
        o.grant(runtime.uow(), officer, grant_cmd(ref))
    with pytest.raises(InvalidInput, match="future"):
        o.grant(runtime.uow(), officer, grant_cmd(ref, made_on=date(2026, 12, 1)))
    assert status_of(runtime, ref) is S.SUBMITTED
