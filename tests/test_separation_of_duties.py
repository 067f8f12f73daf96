"""Separation of duties: whoever proposed or drafted an application cannot approve it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.enums import OrderStatus
from lom_bot.domain.errors import NotAuthorised
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import AuditEntry, Order, OrderEvent
from tests.test_order_support import CONDITIONS, new_subject


def drafted_by(rt: Runtime, proposer: Actor, drafter: Actor) -> str:
    ref = new_subject(rt, proposer)
    o.propose(rt.uow(), proposer, o.ProposeOrder(ref, "Supply of controlled drugs (fictional)."))
    o.draft(rt.uow(), drafter, o.DraftApplication(ref, "Role in a supply network.", CONDITIONS))
    return ref


def written(rt: Runtime) -> tuple[int, int, list[OrderStatus]]:
    """Audit entries other than refusals, order events, order states."""
    with rt.uow() as uow:
        s = uow.session
        audited = select(func.count(AuditEntry.id)).where(AuditEntry.what != "request.refused")
        return (
            int(s.scalar(audited) or 0),
            int(s.scalar(select(func.count(OrderEvent.id))) or 0),
            list(s.scalars(select(Order.status).order_by(Order.id))),
        )


@pytest.mark.parametrize("role", ["proposer", "drafter"])
def test_the_supervisor_who_proposed_or_drafted_cannot_approve_and_nothing_is_written(
    runtime: Runtime, officer: Actor, supervisor: Actor, role: str
) -> None:
    proposer, drafter = (supervisor, officer) if role == "proposer" else (officer, supervisor)
    ref = drafted_by(runtime, proposer, drafter)
    before = written(runtime)
    with pytest.raises(NotAuthorised, match="another supervisor must approve"):
        o.approve(runtime.uow(), supervisor, o.Review(ref))
    assert written(runtime) == before
    assert before[2][-1] is OrderStatus.DRAFTED
    with runtime.uow() as uow:
        refusal = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert refusal is not None and refusal.what == "request.refused"
    assert refusal.actor == supervisor.slack_id


def test_a_second_person_approves(runtime: Runtime, officer: Actor, supervisor: Actor) -> None:
    ref = drafted_by(runtime, officer, officer)
    assert o.approve(runtime.uow(), supervisor, o.Review(ref)).status is OrderStatus.APPROVED


def test_separation_of_duties_can_be_turned_off_in_app_yaml(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = drafted_by(runtime, supervisor, supervisor)
    runtime.config = runtime.config.model_copy(update={"separation_of_duties": False})
    assert o.approve(runtime.uow(), supervisor, o.Review(ref)).status is OrderStatus.APPROVED
