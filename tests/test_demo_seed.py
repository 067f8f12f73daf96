"""The demo data is plausible: every state shown, dates in a possible order, names fictional."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from lom_bot.demo.seed import FAMILY, FEMALE, seed_demo
from lom_bot.domain.dates import age_on
from lom_bot.domain.enums import AuditAction, BreachStatus, OrderStatus
from lom_bot.domain.lifecycle import IN_FORCE, latest_expiry
from lom_bot.runtime import Runtime
from lom_bot.services.digest import build_daily_digest
from lom_bot.services.orders import order_as_of
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import (
    AuditEntry,
    BreachReport,
    Condition,
    EducationVisit,
    Order,
    OrderEvent,
    OutboxMessage,
    ReleaseDate,
    Subject,
    Transfer,
)


def test_the_demo_has_every_order_state_and_consistent_dates(demo: Runtime) -> None:
    with demo.uow() as uow:
        orders = list(uow.session.scalars(select(Order)))
        subjects = list(uow.session.scalars(select(Subject)))
    # Every state but "recorded on systems", which recording moves straight on from (to
    # awaiting activation, or education visit done) when the order is not yet active.
    assert {o.status for o in orders} == set(OrderStatus) - {OrderStatus.RECORDED}
    for order in orders:
        if order.made_on and order.activated_on:
            assert order.made_on < order.activated_on, order.ref
        if order.activated_on and order.expires_on:
            assert order.expires_on <= latest_expiry(order.activated_on), order.ref
    assert all(s.family_name in FAMILY for s in subjects)
    assert len({s.name for s in subjects}) == len(subjects)


def test_seeding_twice_adds_nothing(demo: Runtime) -> None:
    assert seed_demo(demo.uow()) is None


TODAY = date(2026, 11, 25)


def events(rt: Runtime) -> dict[str, list[OrderEvent]]:
    with rt.uow() as uow:
        rows = uow.session.execute(
            select(Order.ref, OrderEvent)
            .join(Order, Order.id == OrderEvent.order_id)
            .order_by(OrderEvent.id)
        ).all()
    out: dict[str, list[OrderEvent]] = {}
    for ref, event in rows:
        out.setdefault(ref, []).append(event)
    return out


def test_no_order_is_in_force_past_its_end_and_nothing_is_overdue_for_long(
    demo: Runtime,
) -> None:
    with demo.uow() as uow:
        orders = list(uow.session.scalars(select(Order)))
    for order in orders:
        if order.status in IN_FORCE:
            assert order.expires_on is not None and order.expires_on >= TODAY, order.ref
        if order.status is OrderStatus.EXPIRED:
            assert order.expires_on is not None and order.expires_on < TODAY, order.ref
    with demo.uow() as uow:
        lines = build_daily_digest(uow, TODAY).lines
    assert lines
    oldest = min(line.due_on for line in lines)
    assert oldest >= TODAY - timedelta(days=120), [
        (line.subject_ref, line.what, line.due_on) for line in lines if line.due_on == oldest
    ]


def test_descriptions_pronouns_and_ages_match_each_subject(demo: Runtime) -> None:
    with demo.uow() as uow:
        rows = uow.session.execute(
            select(Subject, Condition.wording)
            .join(Order, Order.subject_id == Subject.id)
            .join(Condition, Condition.order_id == Order.id)
        ).all()
    assert rows
    for subject, wording in rows:
        female = subject.given_names in FEMALE
        assert subject.description.startswith("Female" if female else "Male"), subject.ref
        assert f", {age_on(subject.born_on, TODAY)}," in subject.description, subject.ref
        words = f" {wording} "
        assert (" his " not in words) if female else (" her " not in words), subject.ref


def test_every_order_was_built_step_by_step_in_a_possible_order(demo: Runtime) -> None:
    life = ["proposed", "drafted", "approved", "submitted_to_cps", "granted", "activated"]
    for ref, story in events(demo).items():
        kinds = [e.kind for e in story]
        assert "demo_seeded" not in kinds and kinds[0] == "proposed", (ref, kinds)
        days = {e.kind: e.effective_on for e in story}
        reached = [days[k] for k in life if k in days]
        assert reached == sorted(reached), (ref, kinds)
        assert max(e.effective_on for e in story) <= TODAY
        assert all(e.snapshot for e in story if e.kind in ("granted", "activated")), ref
    with demo.uow() as uow:
        pending = uow.session.scalars(
            select(Order).where(Order.status == OrderStatus.SUBMITTED)
        ).all()
        for order in pending:  # with the CPS for weeks, not years
            assert order.proposed_at.date() >= TODAY - timedelta(days=120), order.ref


def test_an_active_orders_history_answers_as_of_a_past_date(demo: Runtime, officer: Actor) -> None:
    story = events(demo)["SCPO-0001"]
    granted = next(e.effective_on for e in story if e.kind == "granted")
    then = order_as_of(demo.uow(), officer, "LOM-0001", granted + timedelta(days=1))
    assert then.snapshot["status"] == OrderStatus.GRANTED.value
    now = order_as_of(demo.uow(), officer, "LOM-0001", TODAY)
    assert now.snapshot["status"] == OrderStatus.ACTIVE.value


def test_the_situations_worth_trying_are_all_there(demo: Runtime) -> None:
    with demo.uow() as uow:
        s = uow.session
        soon = s.execute(
            select(Subject.ref, ReleaseDate.on)
            .join(ReleaseDate, ReleaseDate.subject_id == Subject.id)
            .where(ReleaseDate.on > TODAY, ReleaseDate.on <= TODAY + timedelta(days=7))
        ).all()
        assert ("LOM-0024", TODAY + timedelta(days=7)) in soon
        order = s.scalars(select(Order).where(Order.ref == "SCPO-0024")).one()
        assert (
            s.scalars(select(EducationVisit).where(EducationVisit.order_id == order.id)).all() == []
        )
        assert s.scalars(select(BreachReport).where(BreachReport.status == BreachStatus.NEW)).all()
        expiring = s.scalars(
            select(Order.ref).where(
                Order.status == OrderStatus.EXPIRING,
                Order.expires_on <= TODAY + timedelta(days=31),
            )
        ).all()
        assert expiring
        assert s.scalars(select(Transfer).where(Transfer.accepted_on.is_(None))).all()
        assert s.scalars(select(Order).where(Order.pending_court_event.is_not(None))).all()


def test_the_demo_story_sends_nothing_now(demo: Runtime) -> None:
    """Its steps happened in the past: no DM or post about them is queued or audited as sent."""
    with demo.uow() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 0
        sent = select(func.count(AuditEntry.id)).where(AuditEntry.action == AuditAction.DISCLOSURE)
        assert uow.session.scalar(sent) == 0
