"""Classes of case a court relies on, tried on every route: placeholders in any of their
spellings, blank wording, an arriving order that has already ended, and which order a step
acts on when a subject has two live ones."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.runtime import Runtime
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Condition, EducationVisit, Order, OrderCharge, OrderEvent
from tests.test_handlers_dispatch import context
from tests.test_order_support import new_subject, walk_to

S = OrderStatus
GRANT = 'order {ref} grant court="Leeds Crown Court" made=today term=60 '


def written(rt: Runtime) -> tuple[int, ...]:
    with rt.uow() as uow:
        return tuple(
            int(uow.session.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Order, OrderEvent, EducationVisit, Condition, OrderCharge)
        )


def wordings(rt: Runtime) -> list[str]:
    with rt.uow() as uow:
        return list(uow.session.scalars(select(Condition.wording).order_by(Condition.id)))


@pytest.mark.parametrize(
    "words",
    [
        "Not to hold more than £xxx in cash.",
        "Not to enter the area bounded by \u2026",
        "Not to enter the area bounded by ...",
        "Curfew hours TBA.",
        "Not to contact <to be agreed>.",
        "Not to contact [TBC].",
        "",
    ],
)
def test_a_grant_whose_wording_holds_any_kind_of_gap_is_refused_and_writes_nothing(
    runtime: Runtime, officer: Actor, supervisor: Actor, words: str
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.SUBMITTED)
    before, kept = written(runtime), wordings(runtime)
    reply = dispatch(context(runtime, officer), GRANT.format(ref=ref) + f'wording="1: {words}"')
    assert "still reads" in reply.text or "no words" in reply.text
    assert written(runtime) == before and wordings(runtime) == kept
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Order.status)).one() is S.SUBMITTED
