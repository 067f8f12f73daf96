"""How the console shows Block Kit, and how it turns typed answers into a modal's state."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from lom_bot.console.modal import BadAnswer, questions, state_values
from lom_bot.console.render import Renderer

TODAY = date(2026, 11, 25)
NAMES = {"U0OFF1": "DC Olu Officer", "C0LEEDS": "leeds"}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text}, "value": value}


def button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


CARD: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "LOM-0001 Kayleigh Invented"}},
    {
        "type": "section",
        "block_id": "who",
        "text": {"type": "mrkdwn", "text": "*Officer* <@U0OFF1> in <#C0LEEDS> &amp; more"},
        "accessory": button("Refresh", "lom_rerun", "subject LOM-0001"),
    },
    {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Risk*\nhigh"}]},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "see <https://x.test|the order>"}]},
    {
        "type": "actions",
        "block_id": "next",
        "elements": [
            button("Log contact", "lom_log_contact", "LOM-0001"),
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": {"type": "plain_text", "text": "Outcome"},
                "options": [option("No breach", "none"), option("Advice", "advice")],
            },
        ],
    },
]


def test_a_card_reads_as_text_with_its_controls_numbered_in_order() -> None:
    Block.parse_all(CARD)  # a real Block Kit payload
    renderer = Renderer(names=lambda key: NAMES.get(key, key), start=1)
    text = "\n".join(renderer.message({"blocks": CARD}, channel="C0LOMTEAM", ts="1.0"))
    assert "LOM-0001 Kayleigh Invented" in text
    assert "Officer @DC Olu Officer in #leeds & more  [1 Refresh]" in text
    assert "Risk: high" in text
    assert "see the order (https://x.test)" in text
    assert "[2 Log contact]" in text and "[3 Outcome ▾]" in text
    refresh, contact, pick = renderer.clickables
    assert (refresh.action_id, refresh.value, refresh.block_id) == (
        "lom_rerun",
        "subject LOM-0001",
        "who",
    )
    assert (contact.channel, contact.ts) == ("C0LOMTEAM", "1.0")
    assert pick.options == (("No breach", "none"), ("Advice", "advice"))


def test_slack_emphasis_is_dropped_but_code_blocks_keep_their_alignment() -> None:
    table = "state      Leeds  Total\n" + "active" + " " * 70 + "4      20"
    lines = Renderer().mrkdwn(f"*Caseload* _by state_\n```{table}```\nend", hang=True)
    assert lines[0] == "Caseload by state"
    assert lines[1:3] == ["  " + row for row in table.split("\n")]  # not wrapped
    assert lines[3] == "  end"


def test_a_message_without_blocks_shows_its_text_wrapped() -> None:
    long = "word " * 40
    lines = Renderer().message({"text": long}, channel="C1", ts="1.0")
    assert len(lines) > 1 and all(len(line) <= 78 for line in lines)


FORM: dict[str, Any] = {
    "type": "modal",
    "callback_id": "contact",
    "title": {"type": "plain_text", "text": "Log a contact"},
    "submit": {"type": "plain_text", "text": "Log"},
    "blocks": [
        {
            "type": "input",
            "block_id": "subject",
            "label": {"type": "plain_text", "text": "Subject"},
            "element": {
                "type": "plain_text_input",
                "action_id": "subject",
                "initial_value": "LOM-0001",
                "max_length": 20,
            },
        },
        {
            "type": "input",
            "block_id": "kind",
            "label": {"type": "plain_text", "text": "Kind"},
            "element": {
                "type": "static_select",
                "action_id": "kind",
                "options": [option("Home visit", "home_visit"), option("Call", "call")],
            },
        },
        {
            "type": "input",
            "block_id": "when",
            "optional": True,
            "label": {"type": "plain_text", "text": "Date"},
            "element": {"type": "datepicker", "action_id": "when"},
        },
        {
            "type": "input",
            "block_id": "flags",
            "optional": True,
            "label": {"type": "plain_text", "text": "Flags"},
            "element": {
                "type": "checkboxes",
                "action_id": "flags",
                "options": [option("Urgent", "urgent"), option("Joint visit", "joint")],
            },
        },
    ],
}


def test_form_answers_become_the_view_state_slack_would_send() -> None:
    View(**FORM).validate_json()
    subject, kind, when, flags = questions(FORM)
    assert subject.default() == "LOM-0001"
    answers = {
        "subject": (subject, subject.state("", TODAY)),  # Enter keeps the initial value
        "kind": (kind, kind.state("home", TODAY)),  # a unique beginning of an option
        "when": (when, when.state("+7d", TODAY)),
        "flags": (flags, flags.state("2, urgent", TODAY)),
    }
    values = state_values(answers)
    assert values["subject"]["subject"] == {"type": "plain_text_input", "value": "LOM-0001"}
    assert values["kind"]["kind"]["selected_option"]["value"] == "home_visit"
    assert values["when"]["when"] == {"type": "datepicker", "selected_date": "2026-12-02"}
    assert [o["value"] for o in values["flags"]["flags"]["selected_options"]] == ["joint", "urgent"]
    assert when.state("", TODAY) == {"type": "datepicker", "selected_date": None}


@pytest.mark.parametrize(
    ("index", "answer", "message"),
    [
        (1, "", "required"),
        (1, "3", "Choose one of 1-2"),
        (1, "visit", "Choose one of 1-2"),  # no option starts with it
        (0, "x" * 21, "At most 20 characters"),
        (2, "31/02/2026", "not a real date"),
    ],
)
def test_an_answer_a_field_cannot_take_says_what_it_can(
    index: int, answer: str, message: str
) -> None:
    with pytest.raises(BadAnswer, match=message):
        questions(FORM)[index].state(answer, TODAY)
