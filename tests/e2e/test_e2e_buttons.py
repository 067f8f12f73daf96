"""Card buttons call the same services as the commands; double clicks add nothing."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from lom_bot.handlers.commands_listener import FORM_TOO_LATE
from lom_bot.store.tables import Contact, Task
from tests.e2e.harness import SlackHarness, check_view

CONTACT_VALUES = {
    "kind": {"type": "static_select", "selected_option": {"value": "home_visit"}},
    "outcome": {"type": "static_select", "selected_option": {"value": "attended_complied"}},
    "date": "today",
    "notes": "from the card",
}


def _count(slack: SlackHarness, model: type[Contact] | type[Task]) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


def test_log_contact_from_a_card_then_a_second_click_adds_nothing(slack: SlackHarness) -> None:
    before = _count(slack, Contact)
    first = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1764000100.000001")
    (view,) = first.modals
    check_view(view)
    assert view["blocks"][0]["element"]["initial_value"] == "LOM-0001"
    # a double click opened a second modal before the first was submitted
    second = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1764000100.000001")
    (view2,) = second.modals
    values = {"subject": "LOM-0001", **CONTACT_VALUES}
    ok = slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert ok.body == "" and "Contact logged for LOM-0001" in ok.text
    dup = slack.submit("U0OFF1", view2["callback_id"], values, view2["private_metadata"])
    assert "already recorded" in dup.json()["errors"]["subject"]
    stale = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1764000100.000001")
    assert stale.modals == [] and "already done from this card" in stale.text
    assert _count(slack, Contact) == before + 1


def test_raise_task_from_a_card_uses_the_task_form(slack: SlackHarness) -> None:
    before = _count(slack, Task)
    click = slack.click("U0OFF1", "lom_raise_task", "LOM-0004", "C0LOMTEAM", "1764000200.000001")
    (view,) = click.modals
    values = {
        "subject": "LOM-0004",
        "kind": {"type": "static_select", "selected_option": {"value": "curfew_check"}},
        "due": "yesterday",
        "instructions": "",
        "district": "",
    }
    late = slack.submit("U0OFF1", view["callback_id"], values, view["private_metadata"])
    assert "has passed" in late.json()["errors"]["due"]
    ok = slack.submit(
        "U0OFF1", view["callback_id"], {**values, "due": "+3d"}, view["private_metadata"]
    )
    assert "Task T-" in ok.text
    assert _count(slack, Task) == before + 1


def test_a_district_officer_cannot_use_card_buttons(slack: SlackHarness) -> None:
    click = slack.click("U0LEEDS", "lom_log_contact", "LOM-0001", "C0LEEDS", "1764000300.000001")
    assert click.modals == [] and "may not" in click.text


def test_refresh_reruns_the_subject_command(slack: SlackHarness) -> None:
    click = slack.click("U0OFF1", "lom_rerun", "subject LOM-0002", "C0LOMTEAM", "1764000400.1")
    assert "LOM-0002" in json.dumps(click.blocks)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(max_size=120),
        st.builds(
            lambda word, rest: f"{word} {rest}",
            st.sampled_from(
                ["subject", "subjects", "contact", "check", "intel", "task", "help", "s", "Contact"]
            ),
            st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80),
        ),
    )
)
def test_any_text_after_lom_gets_a_reply_never_an_error(slack: SlackHarness, text: str) -> None:
    result = slack.command("U0OFF1", text)
    assert result.status == 200
    assert result.replies or result.modals, f"no answer to {text!r}"
    assert "Traceback" not in result.text and "incident" not in result.text


def test_the_cards_order_button_opens_the_order_and_its_next_steps(slack: SlackHarness) -> None:
    card = slack.command("U0OFF1", "subject LOM-0001")
    buttons = [e for b in card.blocks if b["type"] == "actions" for e in b["elements"]]
    (order,) = [b for b in buttons if b["value"] == "order LOM-0001"]
    click = slack.click("U0OFF1", order["action_id"], order["value"], "C0LOMTEAM", "1764000600.1")
    assert "SCPO-" in json.dumps(click.blocks) or click.modals


def test_a_form_slack_refuses_to_open_in_time_is_explained(slack: SlackHarness) -> None:
    """A click answered after Slack's 3-second trigger: the person is told to click again."""
    slack.standin.fail_next("views.open", error="expired_trigger_id")
    click = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1764000700.000001")
    assert click.status == 200
    assert [c.failed for c in click.calls if c.method == "views.open"] == [True]
    assert FORM_TOO_LATE in click.text


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ({"status": 404}, "could not reach Slack (HTTP 404)"),
        ({"drop_connection": True, "times": 3}, "could not reach Slack ("),
        ({"error": "invalid_arguments"}, "Slack refused it (invalid_arguments)"),
        ({"status": 429, "retry_after": 0, "times": 4}, "limiting how fast"),
    ],
    ids=["404", "unreachable", "form-refused", "rate-limited"],
)
def test_a_form_that_does_not_open_says_what_actually_happened(
    slack: SlackHarness, fault: dict[str, object], says: str
) -> None:
    slack.standin.fail_next("views.open", **fault)  # type: ignore[arg-type]
    click = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "1764000700.000002")
    assert click.status == 200
    assert says in click.text
    assert "3 seconds" not in click.text
