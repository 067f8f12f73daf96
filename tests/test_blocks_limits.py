"""Rendered payloads stay within Slack's limits however large the data (parsed by slack_sdk)."""

from __future__ import annotations

import json
from datetime import date

from lom_bot.blocks.card import subject_card
from lom_bot.blocks.home import district_view, officer_view
from lom_bot.blocks.lists import caseload_messages
from lom_bot.domain.enums import (
    ConditionCategory,
    CustodyStatus,
    OrderStatus,
    RiskLevel,
)
from lom_bot.handlers.forms import FORMS
from lom_bot.services.home_data import DistrictHome, OfficerHome
from lom_bot.services.readmodels.card import Card
from lom_bot.services.readmodels.caseload import Caseload, CaseloadRow
from lom_bot.store.tables import Condition, Order, Subject
from tests.e2e.harness import check_blocks, check_view

TODAY = date(2026, 11, 25)


def subject(n: int) -> Subject:
    return Subject(
        id=n,
        ref=f"LOM-{n:04d}",
        given_names="Averyveryverylonggivenname" * 2,
        family_name=f"Family{n}",
        district="Leeds",
        risk_level=RiskLevel.HIGH,
        custody_status=CustodyStatus.IN_COMMUNITY,
        description="tall, " * 400,
    )


def conditions(count: int) -> list[Condition]:
    return [
        Condition(
            number=i,
            category=ConditionCategory.OTHER,
            wording="Not to possess more than one mobile telephone " * 40,
            watch_for="a second phone " * 20,
        )
        for i in range(1, count + 1)
    ]


def test_a_card_with_many_long_conditions_fits_and_says_how_many_are_not_shown() -> None:
    order = Order(ref="SCPO-0001", status=OrderStatus.ACTIVE, subject_id=1)
    card = Card(subject(1), limited=False, order=order, conditions=conditions(40))
    blocks = subject_card(card, TODAY, intel_shown=True, buttons=True)
    check_blocks(blocks)
    assert "more" in json.dumps(blocks)


def test_a_district_officers_card_has_no_buttons_and_fits() -> None:
    card = Card(subject(1), limited=True, conditions=conditions(3))
    blocks = subject_card(card, TODAY, intel_shown=False, buttons=True)
    check_blocks(blocks)
    assert not [b for b in blocks if b["type"] == "actions"]


def test_a_long_caseload_is_paged_into_messages_of_at_most_50_blocks() -> None:
    rows = [CaseloadRow(subject(n), None, None, "DC Officer") for n in range(1, 401)]
    pages = caseload_messages(Caseload("All subjects", rows))
    assert len(pages) >= 2
    for _, blocks in pages:
        check_blocks(blocks)
    listed = "".join(json.dumps(blocks) for _, blocks in pages)
    assert all(f"LOM-{n:04d}" in listed for n in range(1, 401))


def test_home_views_stay_under_100_blocks_and_say_when_cut() -> None:
    many = [subject(n) for n in range(1, 300)]
    officer = officer_view(OfficerHome(many), TODAY)
    check_view(officer)
    district = district_view(DistrictHome("Leeds", [(s, conditions(2)) for s in many]))
    check_view(district)
    assert "goes on" in json.dumps(district["blocks"])


def test_every_form_modal_is_a_valid_view_even_prefilled_with_long_text() -> None:
    for form in FORMS.values():
        values = {f.name: "x" * 5000 for f in form.fields}
        check_view(form.modal(values, {"channel": "C0LOMTEAM", "request_key": "k" * 80}))
