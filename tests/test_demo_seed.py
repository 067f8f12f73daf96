"""The demo data is plausible: every state shown, dates in a possible order, names fictional."""

from __future__ import annotations

from sqlalchemy import select

from lom_bot.demo.seed import FAMILY, seed_demo
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.lifecycle import latest_expiry
from lom_bot.runtime import Runtime
from lom_bot.store.tables import Order, Subject


def test_the_demo_has_every_order_state_and_consistent_dates(demo: Runtime) -> None:
    with demo.uow() as uow:
        orders = list(uow.session.scalars(select(Order)))
        subjects = list(uow.session.scalars(select(Subject)))
    assert {o.status for o in orders} == set(OrderStatus)
    for order in orders:
        if order.made_on and order.activated_on:
            assert order.made_on < order.activated_on, order.ref
        if order.activated_on and order.expires_on:
            assert order.expires_on <= latest_expiry(order.activated_on), order.ref
    assert all(s.family_name in FAMILY for s in subjects)
    assert len({s.name for s in subjects}) == len(subjects)


def test_seeding_twice_adds_nothing(demo: Runtime) -> None:
    assert seed_demo(demo.uow()) is None
