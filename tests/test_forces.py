"""Forces are chosen from the UK list, each with its jurisdiction: a move to, or an order from,
Scotland, Northern Ireland or a Crown Dependency is always flagged."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lom_bot.bootstrap import Runtime
from lom_bot.domain.forces import FORCES, force
from lom_bot.services import orders as o
from lom_bot.services.permissions import Actor
from lom_bot.store.tables import Order
from tests.test_order_record_rules import arriving
from tests.test_order_support import new_subject


def test_the_force_list_holds_every_uk_force_with_its_jurisdiction() -> None:
    by_place: dict[str, int] = {}
    for f in FORCES:
        by_place[f.jurisdiction] = by_place.get(f.jurisdiction, 0) + 1
    assert by_place == {
        "england_wales": 43,
        "scotland": 1,
        "northern_ireland": 1,
        "jersey": 1,
        "guernsey": 1,
        "isle_of_man": 1,
    }
    assert len(FORCES) <= 100  # one Slack select


@pytest.mark.parametrize(
    ("typed", "place", "outside"),
    [
        ("Strathclyde", "scotland", True),
        ("PSNI", "northern_ireland", True),
        ("States of Jersey Police", "jersey", True),
        ("guernsey", "guernsey", True),
        ("Isle of Man Constabulary", "isle_of_man", True),
        ("Merseyside Police", "england_wales", False),
        ("metropolitan police service", "england_wales", False),
    ],
)
def test_a_force_is_found_by_key_name_or_former_name(typed: str, place: str, outside: bool) -> None:
    found = force(typed)
    assert found.jurisdiction == place and found.outside_england_wales is outside


def test_an_order_arriving_from_the_isle_of_man_is_flagged_as_not_protecting_england_and_wales(
    runtime: Runtime, officer: Actor
) -> None:
    ref = new_subject(runtime, officer)
    done = o.transfer_in(runtime.uow(), officer, arriving(ref, from_force="isle_of_man"))
    assert "protects the Isle of Man, not England and Wales" in done.message
    with runtime.uow() as uow:
        assert uow.session.scalars(select(Order.issuing_force)).one() == "Isle of Man Constabulary"
