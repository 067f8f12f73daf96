"""The order's Slack surfaces without Slack: step modals, cards within Block Kit limits, and
how `/lom order` reads its text."""

from __future__ import annotations

import json
from datetime import date

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from lom_bot.blocks.order import as_of_blocks, history_blocks, order_blocks, order_section_blocks
from lom_bot.domain.errors import InvalidInput
from lom_bot.handlers.commands.order import fields, split
from lom_bot.handlers.order_actions import STEP_FORMS
from lom_bot.runtime import Runtime
from lom_bot.services.orders.history import AsOf
from lom_bot.services.orders.next_steps import Step
from lom_bot.services.orders.view import HistoryRow, OrderView
from lom_bot.services.permissions import Action, Actor


def valid(blocks: list[dict[str, object]], limit: int = 50) -> None:
    assert len(blocks) <= limit
    for block in Block.parse_all(blocks):
        assert block is not None
        block.validate_json()


@pytest.mark.parametrize("step", sorted(STEP_FORMS))
def test_every_step_modal_is_a_valid_slack_view(step: str) -> None:
    view = STEP_FORMS[step].modal({"subject": "LOM-0001"}, {"channel": "C0LOMTEAM"})
    View(**view).validate_json()
    valid(view["blocks"], limit=100)
    assert view["callback_id"] == f"lom_form:order_{step}"


def big_view(events: int, conditions: int) -> OrderView:
    wording = "Not to use or possess more than one mobile telephone " * 12
    order = {
        "ref": "SCPO-0001",
        "status": "active",
        "version": 3,
        "court": "Leeds Crown Court",
        "made_on": "2026-11-02",
        "starts_on": "2026-11-20",
        "activated_on": "2026-11-20",
        "expires_on": "2031-11-19",
        "term_months": 60,
        "commencement": "on_release",
        "pending_court_event": "variation",
        "conditions": [
            {
                "number": n,
                "category": "other",
                "wording": wording,
                "starts_on": None,
                "ends_on": None,
                "duty": "notify within 3 days",
            }
            for n in range(1, conditions + 1)
        ],
    }
    history = [
        HistoryRow(date(2026, 11, 25), "varied_s17", "active", "x" * 400, "DC Olu Officer")
        for _ in range(events)
    ]
    steps = [
        Step(f"step{n}", f"A step with a long label number {n} " * 3, Action.MANAGE_ORDER)
        for n in range(30)
    ]
    return OrderView(
        "LOM-0001",
        "Darren Fictional",
        False,
        order,
        "West Yorkshire Police",
        "g" * 5000,
        "note",
        12,
        date(2026, 11, 1),
        history,
        [("systems", [("PNC", None, None), ("Niche", "25/11/2026", "R1")])],
        "to book",
        None,
        steps,
    )


def test_a_long_order_card_stays_within_slacks_limits_and_says_what_is_left_out() -> None:
    view = big_view(events=200, conditions=40)
    card = order_blocks(view)
    valid(card)
    text = json.dumps(card)
    assert "194 earlier event(s)" in text and "variation pending" in text
    assert "Systems checklist, to do:* PNC" in text
    section = order_section_blocks(view, buttons=False)
    valid(section)
    assert all(b["type"] != "actions" for b in section)
    history = history_blocks(big_view(events=400, conditions=1))
    valid(history)
    assert len(history) == 50 and "continues" in json.dumps(history[-1])


def test_the_as_of_view_quotes_the_conditions_of_that_date() -> None:
    view = big_view(events=1, conditions=2)
    blocks = as_of_blocks(
        AsOf("SCPO-0001", date(2027, 1, 1), view.order, "granted", date(2026, 11, 2))
    )
    valid(blocks)
    assert "as it stood on 01/01/2027" in json.dumps(blocks)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LOM-0001", ("LOM-0001", "", "")),
        ("LOM-0001 history 01/06/2026", ("LOM-0001", "history", "01/06/2026")),
        ("Darren Fictional grant court=x", ("Darren Fictional", "grant", "court=x")),
        ("LOM-0001 transfer-out Police Scotland", ("LOM-0001", "transfer_out", "Police Scotland")),
        ("grant", ("grant", "", "")),  # the first word is always the subject
    ],
)
def test_the_order_command_splits_subject_step_and_the_rest(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert split(text) == expected


def test_step_text_reads_field_values_and_free_words() -> None:
    got = fields("grant", 'court="Leeds Crown Court" made=02/11/2026 term=60')
    assert got == {"court": "Leeds Crown Court", "made": "02/11/2026", "term": "60"}
    assert fields("refuse", "not enough evidence") == {"reason": "not enough evidence"}
    assert fields("activate", "today") == {"released": "today"}
    with pytest.raises(InvalidInput, match="field=value"):
        fields("grant", "Leeds")
    with pytest.raises(InvalidInput, match="quote is not closed"):
        fields("propose", '"open')


def test_the_subject_card_can_include_the_orders_history_and_next_steps(
    runtime: Runtime, officer: Actor, supervisor: Actor, leeds_officer: Actor
) -> None:
    from lom_bot.domain.enums import OrderStatus
    from lom_bot.services.readmodels.card import load_card
    from tests.test_order_support import new_subject, walk_to

    ref = new_subject(runtime, officer)
    walk_to(runtime, officer, supervisor, ref, OrderStatus.SUBMITTED)
    with runtime.uow() as uow:
        view = load_card(uow, officer, ref, with_intel=False).order_view
        hidden = load_card(uow, leeds_officer, ref, with_intel=False).order_view
    assert view is not None and hidden is None
    blocks = order_section_blocks(view)
    valid(blocks)
    shown = json.dumps(blocks)
    assert "submitted to cps" in shown and "approved" in shown
    assert f"order {ref} grant" in shown and f"order {ref} refuse" in shown
