"""A replayed or double-submitted request is recorded once, and the person is told so."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from lom_bot.blocks import breach as ui
from lom_bot.console import signing
from lom_bot.handlers.replay_guard import ALREADY_RUN, ALREADY_SUBMITTED
from lom_bot.store.tables import BreachReport, Contact, Intelligence, Task
from tests import test_breach_support as support
from tests.e2e.harness import TEAM, SlackHarness

db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

WRITES = [
    ("contact LOM-0001 call complied today", Contact),
    ("breach LOM-0001 seen driving a hire van on the ring road at 14:20", BreachReport),
    ("intel LOM-0001 2/C/P seen driving a white Transit van in Harehills", Intelligence),
    ("task LOM-0001 curfew check +7d check he is in after 21:00", Task),
]


def count(slack: SlackHarness, model: Any) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(model.id))) or 0)


@pytest.mark.parametrize(("text", "model"), WRITES, ids=[w[0].split()[0] for w in WRITES])
def test_the_same_signed_command_sent_three_times_records_once(
    slack: SlackHarness, text: str, model: Any
) -> None:
    body = signing.slash_command_body(
        "/lom",
        text,
        "U0OFF1",
        "C0LOMTEAM",
        response_url=slack.standin.response_url("U0OFF1", "C0LOMTEAM"),
        trigger_id=slack.standin.trigger_id("U0OFF1"),
    )
    signed_at = int(time.time())
    before = count(slack, model)
    first = slack.post(body, timestamp=signed_at)
    assert first.status == 200 and ALREADY_RUN not in first.body + first.text
    for _ in range(2):  # a captured request, replayed inside Slack's 5-minute window
        again = slack.post(body, timestamp=signed_at)
        assert again.status == 200 and ALREADY_RUN in again.body + again.text
    assert count(slack, model) == before + 1


def test_the_same_breach_report_form_submitted_three_times_makes_one_report(
    slack: SlackHarness,
) -> None:
    [view] = slack.command("U0LEEDS", "breach LOM-0003", "C0LEEDS").modals
    state = {
        ui.SUBJECT: {ui.SUBJECT: {"type": "plain_text_input", "value": "LOM-0003"}},
        ui.WHAT: {ui.WHAT: {"type": "plain_text_input", "value": "seen at the car wash"}},
    }
    payload = signing.view_submission_payload(
        "U0LEEDS", TEAM, ui.REPORT_VIEW, state, view["private_metadata"], view_id="V0REPORT"
    )
    before = count(slack, BreachReport)
    results = [slack.post(signing.interactivity_body(payload)) for _ in range(3)]
    assert results[0].status == 200 and results[0].body == ""
    for again in results[1:]:
        assert again.json()["errors"] == {ui.SUBJECT: ALREADY_SUBMITTED}
    assert count(slack, BreachReport) == before + 1


def test_a_form_sent_back_with_errors_can_be_corrected_and_submitted(
    slack: SlackHarness,
) -> None:
    [view] = slack.command("U0LEEDS", "breach LOM-0003", "C0LEEDS").modals

    def submit(subject: str) -> Any:
        state = {
            ui.SUBJECT: {ui.SUBJECT: {"type": "plain_text_input", "value": subject}},
            ui.WHAT: {ui.WHAT: {"type": "plain_text_input", "value": "seen at the car wash"}},
        }
        payload = signing.view_submission_payload(
            "U0LEEDS", TEAM, ui.REPORT_VIEW, state, view["private_metadata"], view_id="V0FIX"
        )
        return slack.post(signing.interactivity_body(payload))

    before = count(slack, BreachReport)
    assert "No subject matches" in submit("Zebedee Nobodyatall").json()["errors"][ui.SUBJECT]
    assert submit("LOM-0003").body == ""
    assert count(slack, BreachReport) == before + 1


def test_the_same_signed_click_sent_twice_is_answered_once(slack: SlackHarness) -> None:
    payload = signing.block_actions_payload(
        "U0OFF1",
        TEAM,
        "C0LOMTEAM",
        "lom_log_contact",
        "LOM-0001",
        message_ts="2.0002",
        trigger_id=slack.standin.trigger_id("U0OFF1"),
        response_url=slack.standin.response_url("U0OFF1", "C0LOMTEAM", "2.0002"),
    )
    body = signing.interactivity_body(payload)
    signed_at = int(time.time())
    first = slack.post(body, timestamp=signed_at)
    assert len(first.modals) == 1
    again = slack.post(body, timestamp=signed_at)
    assert again.status == 200 and again.modals == [] and ALREADY_RUN in again.text


def test_a_form_that_failed_unexpectedly_can_be_sent_again_with_the_same_values(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lom_bot.services import records

    (view,) = slack.click("U0OFF1", "lom_log_contact", "LOM-0001", "C0LOMTEAM", "3.0001").modals
    state = {
        "subject": {"subject": {"type": "plain_text_input", "value": "LOM-0001"}},
        "kind": {"kind": {"type": "static_select", "selected_option": {"value": "call"}}},
        "outcome": {
            "outcome": {"type": "static_select", "selected_option": {"value": "attended_complied"}}
        },
        "date": {"date": {"type": "plain_text_input", "value": "today"}},
    }
    payload = signing.view_submission_payload(
        "U0OFF1", TEAM, view["callback_id"], state, view["private_metadata"], view_id="V0AGAIN"
    )
    body = signing.interactivity_body(payload)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a failure that is not the officer's")

    before = count(slack, Contact)
    with monkeypatch.context() as patch:
        patch.setattr(records, "_once", broken)
        failed = slack.post(body)
    assert "nothing was saved" in str(failed.json()["errors"])
    assert count(slack, Contact) == before
    saved = slack.post(body)  # the very same submission, once the fault has gone
    assert saved.status == 200 and saved.body == ""
    assert count(slack, Contact) == before + 1
