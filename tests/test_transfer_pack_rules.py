"""The rules a transfer pack applies: which intelligence goes, and how each order arrives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from lom_bot.domain.enums import HandlingCode, OrderStatus
from lom_bot.domain.handling import pass_on_to_force
from lom_bot.services.transfer_pack import model as m
from lom_bot.services.transfer_pack.receive_orders import received_note, status_here


def test_handling_code_p_goes_and_c_is_withheld_with_its_conditions() -> None:
    assert pass_on_to_force(HandlingCode.MAY_SHARE, None).allowed
    kept = pass_on_to_force(HandlingCode.CONDITIONS, "Not outside WYP without the DI")
    assert not kept.allowed and kept.reason is not None
    assert "Not outside WYP without the DI" in kept.reason
    unsaid = pass_on_to_force(HandlingCode.CONDITIONS, "  ")
    assert not unsaid.allowed and "none recorded" in (unsaid.reason or "")


def _order(status: str, versions: list[dict[str, Any]] | None = None) -> m.OrderRecord:
    fields: dict[str, Any] = {
        name: None for name in m.OrderRecord.model_fields if name not in ("conditions",)
    }
    fields.update(
        ref="SCPO-0001",
        status=status,
        commencement="on_release",
        version=1,
        conditions=[],
        versions=versions or [],
        education_visits=[],
        checklists=[],
    )
    return m.OrderRecord.model_validate(fields)


@pytest.mark.parametrize(
    ("there", "here"),
    [
        ("active", OrderStatus.ACTIVE),
        ("expiring", OrderStatus.EXPIRING),
        ("granted", OrderStatus.AWAITING_ACTIVATION),
        ("recorded_on_systems", OrderStatus.AWAITING_ACTIVATION),
        ("education_visit_done", OrderStatus.AWAITING_ACTIVATION),  # the visit is done again here
        ("expired", OrderStatus.EXPIRED),
        ("superseded", OrderStatus.SUPERSEDED),
        ("proposed", None),  # an application in progress there is not created here
        ("submitted_to_cps", None),
    ],
)
def test_each_order_arrives_in_force_waiting_ended_or_not_at_all(
    there: str, here: OrderStatus | None
) -> None:
    assert status_here(_order(there)) is here


def test_an_order_already_transferred_out_arrives_as_it_stood_before_it_left() -> None:
    left = {
        "kind": "transferred_out",
        "status_from": "awaiting_activation",
        "status_to": "transferred_out",
        "effective_on": date(2026, 11, 20),
        "note": None,
        "snapshot": None,
        "recorded_by": None,
        "recorded_at": datetime(2026, 11, 20, tzinfo=UTC),
    }
    assert status_here(_order("transferred_out", [left])) is OrderStatus.AWAITING_ACTIVATION


def test_a_received_event_keeps_its_note_verbatim_after_the_mark() -> None:
    assert (
        received_note("Kent Police", "Varied: condition 3")
        == "Received from Kent Police: Varied: condition 3"
    )
    assert received_note("Kent Police", None) == "Received from Kent Police"
