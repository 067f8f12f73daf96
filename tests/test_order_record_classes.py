"""Classes of case a court relies on, tried on every route: placeholders in any of their
spellings, blank wording, an arriving order that has already ended, and which order a step
acts on when a subject has two live ones."""

from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block
from sqlalchemy import func, select

from lom_bot.domain.enums import OrderStatus
from lom_bot.handlers.commands_listener import dispatch
from lom_bot.runtime import Runtime
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Condition, EducationVisit, Order, OrderCharge, OrderEvent
from tests.test_handlers_dispatch import context
from tests.test_order_record_rules import arriving
from tests.test_order_support import TODAY, new_subject, walk_to

S = OrderStatus
GRANT = 'order {ref} grant court="Leeds Crown Court" reference=T20267001 made=today term=60 '


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


# Which order a step acts on when a subject has two live orders


def test_with_a_replacement_proposed_a_post_grant_step_acts_on_the_order_in_force(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    o.propose(runtime.uow(), officer, o.ProposeOrder(ref, "Fresh offending", replacement=True))
    reply = dispatch(context(runtime, officer), f"order {ref} pending kind=variation")
    assert "SCPO-0001" in reply.text and "SCPO-0002" not in reply.text.split("\n")[0]
    with runtime.uow() as uow:
        pending = dict(uow.session.execute(select(Order.ref, Order.pending_court_event)).all())
    assert pending["SCPO-0001"] and not pending["SCPO-0002"]
    drafted = dispatch(
        context(runtime, officer), f"order {ref} draft conditions=phone Role in a supply network"
    )
    assert "SCPO-0002" in drafted.text
    with runtime.uow() as uow:
        statuses = dict(uow.session.execute(select(Order.ref, Order.status)).all())
    assert statuses == {"SCPO-0001": S.ACTIVE, "SCPO-0002": S.DRAFTED}


def test_with_two_orders_in_force_a_step_by_subject_asks_which_and_writes_nothing(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    o.transfer_in(runtime.uow(), officer, arriving(ref))
    before = written(runtime)
    reply = dispatch(
        context(runtime, officer),
        f'order {ref} vary section=s17 court="Leeds Crown Court" made=today expires=+30d',
    )
    assert f"'{ref}' matches 2 live orders" in reply.text
    assert "SCPO-0001" in reply.text and "SCPO-0002" in reply.text
    assert reply.blocks is not None  # a button per order, each retrying the step by its ref
    assert written(runtime) == before
    named = dispatch(context(runtime, officer), "order SCPO-0001 pending kind=variation")
    assert "SCPO-0001" in named.text


# The subject card shows what the order card shows of links and what is still owed


def test_the_subject_card_shows_the_link_and_still_owed_lines_of_the_order_card(
    runtime: Runtime, officer: Actor, supervisor: Actor
) -> None:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    o.extend(
        runtime.uow(),
        officer,
        o.Extend(ref, "Leeds Crown Court", TODAY, None, "Possession with intent to supply"),
    )
    card = dispatch(context(runtime, officer), f"subject {ref}")
    assert card.blocks is not None
    for block in Block.parse_all(card.blocks):
        assert block is not None and not block.validate_json()
    shown = json.dumps(card.blocks)
    assert "*Still owed:* The disposal of the s.22E charge Possession with intent" in shown
    o.propose(runtime.uow(), officer, o.ProposeOrder(ref, "Fresh offending", replacement=True))
    shown = json.dumps(dispatch(context(runtime, officer), f"subject {ref}").blocks)
    assert "*Link:* Replaces SCPO-0001 (active): monitoring continues from it" in shown


# s.22E: a disposal says how the charge ended, and which charge when several wait


def charges(rt: Runtime) -> list[tuple[str, str | None]]:
    with rt.uow() as uow:
        return [
            (c.offence, c.disposal)
            for c in uow.session.scalars(select(OrderCharge).order_by(OrderCharge.id))
        ]


@pytest.fixture
def extended(runtime: Runtime, officer: Actor, supervisor: Actor) -> str:
    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, S.ACTIVE)
    for offence in ("Possession with intent to supply", "Money laundering"):
        o.extend(runtime.uow(), officer, o.Extend(ref, "Leeds Crown Court", TODAY, None, offence))
    return ref


@pytest.mark.parametrize("outcome", ["TBC", "to be confirmed", "xxx", "pending", "ok", "..."])
def test_a_disposal_that_does_not_say_how_the_charge_ended_is_refused(
    runtime: Runtime, officer: Actor, extended: str, outcome: str
) -> None:
    before, held = written(runtime), charges(runtime)
    reply = dispatch(
        context(runtime, officer), f'order {extended} disposal date=today charge=1 "{outcome}"'
    )
    assert "not how the charge ended" in reply.text and "acquitted" in reply.text
    assert written(runtime) == before and charges(runtime) == held


@pytest.mark.parametrize(
    "outcome",
    ["acquitted", "convicted, 2 years custody", "discontinued by the CPS", "withdrawn",
     "no evidence offered", "left to lie on the file", "dismissed"],
)  # fmt: skip
def test_each_kind_of_disposal_is_recorded_against_the_charge_named(
    runtime: Runtime, officer: Actor, extended: str, outcome: str
) -> None:
    before = written(runtime)
    asked = dispatch(context(runtime, officer), f"order {extended} disposal date=today {outcome}")
    assert "2 s.22E charges wait for their disposal" in asked.text and "charge=" in asked.text
    assert written(runtime) == before
    done = dispatch(
        context(runtime, officer), f"order {extended} disposal date=today charge=2 {outcome}"
    )
    assert "charge disposed of: Money laundering" in done.text
    assert charges(runtime) == [
        ("Possession with intent to supply", None),
        ("Money laundering", outcome),
    ]
