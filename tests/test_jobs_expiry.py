"""The daily expiry check moves orders onto the radar and past their end, once a day."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from lom_bot.domain.enums import OrderStatus
from lom_bot.runtime import Runtime
from lom_bot.schedules.execute import run_job
from lom_bot.store.tables import Order

DAY = date(2026, 11, 25)


def statuses(rt: Runtime) -> dict[str, OrderStatus]:
    with rt.uow() as uow:
        return {o.ref: o.status for o in uow.session.scalars(select(Order))}


def test_a_dry_run_moves_nothing_and_a_real_run_moves_overdue_orders_once(demo: Runtime) -> None:
    before = statuses(demo)
    in_force = (OrderStatus.ACTIVE, OrderStatus.EXPIRING)
    with demo.uow() as uow:
        orders = [o for o in uow.session.scalars(select(Order)) if o.status in in_force]
    # The demo has no order in force past its end; run the job the day after the first ends.
    assert all(o.expires_on is not None and o.expires_on >= DAY for o in orders)
    day = min(o.expires_on for o in orders if o.expires_on) + timedelta(days=1)
    assert day - DAY < timedelta(days=40), "the demo has an order expiring next month"
    overdue = [o.ref for o in orders if o.expires_on and o.expires_on < day]
    assert overdue

    dry = run_job(demo, "expire-orders", day, dry_run=True)
    assert dry.status == "dry-run" and overdue[0] in json.dumps([p.blocks for p in dry.posts])
    assert statuses(demo) == before

    done = run_job(demo, "expire-orders", day)
    assert done.status == "done"
    after = statuses(demo)
    assert all(after[ref] is OrderStatus.EXPIRED for ref in overdue)
    assert run_job(demo, "expire-orders", day).status == "skipped"
