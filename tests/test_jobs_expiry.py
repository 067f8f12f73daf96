"""The daily expiry check moves orders onto the radar and past their end, once a day."""

from __future__ import annotations

import json
from datetime import date

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
    with demo.uow() as uow:
        overdue = [
            o.ref
            for o in uow.session.scalars(select(Order).where(Order.expires_on < DAY))
            if o.status in (OrderStatus.ACTIVE, OrderStatus.EXPIRING)
        ]
    assert overdue, "the demo data has active orders past their end date"

    dry = run_job(demo, "expire-orders", DAY, dry_run=True)
    assert dry.status == "dry-run" and overdue[0] in json.dumps([p.blocks for p in dry.posts])
    assert statuses(demo) == before

    done = run_job(demo, "expire-orders", DAY)
    assert done.status == "done"
    after = statuses(demo)
    assert all(after[ref] is OrderStatus.EXPIRED for ref in overdue)
    assert run_job(demo, "expire-orders", DAY).status == "skipped"
