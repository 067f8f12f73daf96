"""Breach reports end to end: signed Slack events, clicks and modal submissions against the real
app, Slack replaced by the recording stand-in. Key flows run on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.views import View
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from lom_bot.blocks import breach as ui
from lom_bot.blocks import breach_modals as modals
from lom_bot.console import signing
from lom_bot.domain.enums import AssessmentOutcome, BreachStatus
from lom_bot.store.tables import Assessment, AuditEntry, BreachEdit, BreachReport, SeenEvent
from tests import test_breach_support as support
from tests.conftest import both_databases
from tests.e2e.harness import TEAM, Result, SlackHarness
from tests.test_breach_support import valid_blocks, valid_view

# a demo database seeded once per session and copied per test (see test_breach_support)
db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

LEEDS, TRIAGE = "C0LEEDS", "C0TRIAGE"
SIGHTING = "Seen Shaun Madeup driving a white hire van on the ring road at 14:20, two men with him"


def district_say(
    slack: SlackHarness,
    text: str,
    *,
    user: str = "U0LEEDS",
    thread_ts: str | None = None,
    retry_num: int | None = None,
    event_id: str | None = None,
) -> tuple[str, Result]:
    """A person posts in #leeds: the stand-in stores it and Slack sends the event."""
    message = slack.standin.post_user_message(LEEDS, user, text, thread_ts=thread_ts)
    event = signing.message_event(LEEDS, user, text, message.ts, thread_ts=thread_ts)
    return message.ts, slack.event(event, retry_num=retry_num, event_id=event_id)


def reports(slack: SlackHarness) -> list[BreachReport]:
    with slack.rt.uow() as uow:
        return list(
            uow.session.scalars(select(BreachReport).where(BreachReport.message_ts.is_not(None)))
        )


def report_for(slack: SlackHarness, ts: str) -> BreachReport:
    with slack.rt.uow() as uow:
        return uow.session.scalars(select(BreachReport).where(BreachReport.message_ts == ts)).one()


def posts(calls: list[Any], channel: str, method: str = "chat.postMessage") -> list[dict[str, Any]]:
    return [c.params for c in calls if c.method == method and c.params.get("channel") == channel]


def triage_buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {
        e["action_id"]: e.get("value", "")
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
    }


def reported(slack: SlackHarness, text: str = SIGHTING) -> tuple[str, BreachReport, dict[str, Any]]:
    """Post a sighting, deliver the outbox, return (ts, report, triage post params)."""
    ts, result = district_say(slack, text)
    assert result.status == 200
    delivered = slack.flush()
    [triage] = posts(delivered, TRIAGE)
    return ts, report_for(slack, ts), triage


@both_databases
def test_a_sighting_in_a_district_channel_reaches_triage_and_the_reporter_gets_the_reference(
    slack: SlackHarness,
) -> None:
    ts, result = district_say(slack, SIGHTING)
    assert result.status == 200 and result.replies == []  # nothing said before the outbox runs
    report = report_for(slack, ts)
    assert (report.status, report.reporter_slack_id, report.district) == (
        BreachStatus.NEW,
        "U0LEEDS",
        "Leeds",
    )
    assert report.permalink and report.permalink.endswith(
        f"/archives/{LEEDS}/p{ts.replace('.', '')}"
    )
    delivered = slack.flush()
    [triage] = posts(delivered, TRIAGE)
    blocks = valid_blocks(triage["blocks"])
    assert "LOM-0003" in str(blocks) and report.ref in str(blocks)
    assert set(triage_buttons(blocks)) == {ui.outcome_action(o) for o in AssessmentOutcome} | {
        ui.MORE_INFO
    }
    [ack] = posts(delivered, LEEDS)
    assert ack["thread_ts"] == ts and report.ref in ack["text"]
    assert "LOM-0003" not in ack["text"] and "Madeup" not in ack["text"]
    assert report_for(slack, ts).triage_ts is not None  # linked for later updates


@both_databases
def test_a_redelivered_event_with_x_slack_retry_num_makes_one_report(slack: SlackHarness) -> None:
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    first = slack.event(event, event_id="EvRETRY1")
    again = slack.event(event, event_id="EvRETRY1", retry_num=1)
    assert (first.status, again.status) == (200, 200)
    assert len(reports(slack)) == 1
    assert len(posts(slack.flush(), TRIAGE)) == 1


@both_databases
def test_when_the_database_is_down_the_event_is_not_acked_and_the_retry_stores_it_once(
    slack_inline: SlackHarness, tmp_path: Any
) -> None:
    slack = slack_inline
    message = slack.standin.post_user_message(LEEDS, "U0LEEDS", SIGHTING)
    event = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, message.ts)
    working = slack.rt.sessions
    broken = sa.create_engine(f"sqlite:///{tmp_path}/missing-dir/none.sqlite3")
    slack.rt.sessions = sessionmaker(broken)
    try:
        down = slack.event(event, event_id="EvDOWN1")
    finally:
        slack.rt.sessions = working
    assert down.status >= 500  # Slack will deliver it again
    assert reports(slack) == []
    retry = slack.event(event, event_id="EvDOWN1", retry_num=1)
    assert retry.status == 200
    assert len(reports(slack)) == 1
    again = slack.event(event, event_id="EvDOWN1", retry_num=2)
    assert again.status == 200 and len(reports(slack)) == 1
    assert len(posts(slack.flush(), TRIAGE)) == 1


def test_chat_and_bot_messages_in_a_district_channel_are_left_alone(slack: SlackHarness) -> None:
    _, chat = district_say(slack, "Anyone fancy a brew before the briefing?")
    bot = slack.event(
        signing.message_event(
            LEEDS, None, SIGHTING, "1764064801.000001", subtype="bot_message", bot_id="B0OTHER"
        )
    )
    own = slack.event(
        signing.message_event(
            LEEDS, signing.BOT_USER_ID, SIGHTING, "1764064802.000001", bot_id=signing.BOT_ID
        )
    )
    assert (chat.status, bot.status, own.status) == (200, 200, 200)
    assert reports(slack) == []
    assert slack.flush() == []


def test_a_thread_reply_under_a_report_attaches_to_it(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    _, result = district_say(slack, "Reg was YX19 ABC, a Transit", thread_ts=ts)
    assert result.status == 200
    with slack.rt.uow() as uow:
        [reply] = uow.session.scalars(select(BreachEdit).where(BreachEdit.kind == "reply")).all()
    assert reply.breach_id == report.id and "YX19" in reply.text
    [update] = posts(slack.flush(), TRIAGE, "chat.update")
    assert "YX19" in str(valid_blocks(update["blocks"]))
    assert len(reports(slack)) == 1  # the reply is not a second report


def test_an_edited_report_updates_the_stored_text_and_keeps_the_history(
    slack: SlackHarness,
) -> None:
    ts, _report, _ = reported(slack)
    edited = SIGHTING.replace("white", "silver")
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": LEEDS,
        "hidden": True,
        "ts": "1764070000.000100",
        "event_ts": "1764070000.000100",
        "channel_type": "channel",
        "message": {
            "type": "message",
            "user": "U0LEEDS",
            "text": edited,
            "ts": ts,
            "edited": {"user": "U0LEEDS", "ts": "1764070000.000100"},
        },
        "previous_message": {"type": "message", "user": "U0LEEDS", "text": SIGHTING, "ts": ts},
    }
    assert slack.event(event).status == 200
    assert slack.event(event, retry_num=1).status == 200
    assert report_for(slack, ts).text == edited
    with slack.rt.uow() as uow:
        history = uow.session.scalars(select(BreachEdit).where(BreachEdit.kind == "edit")).all()
    assert [h.text for h in history] == [SIGHTING]
    [update] = posts(slack.flush(), TRIAGE, "chat.update")
    assert "silver" in str(update["blocks"])


def test_a_deleted_report_is_flagged_not_erased(slack: SlackHarness) -> None:
    ts, _report, _ = reported(slack)
    event = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": LEEDS,
        "hidden": True,
        "deleted_ts": ts,
        "ts": "1764070001.000100",
        "event_ts": "1764070001.000100",
        "channel_type": "channel",
        "previous_message": {"type": "message", "user": "U0LEEDS", "text": SIGHTING, "ts": ts},
    }
    assert slack.event(event).status == 200
    stored = report_for(slack, ts)
    assert stored.deleted and stored.text == SIGHTING
    [update] = posts(slack.flush(), TRIAGE, "chat.update")
    assert "deleted" in str(update["blocks"])


def assess(
    slack: SlackHarness,
    user: str,
    report: BreachReport,
    triage_ts: str,
    outcome: AssessmentOutcome,
    rationale: str = "Two officers saw it; van not notified.",
    excuse: str = "no",
) -> tuple[Result, Result]:
    click = slack.click(user, ui.outcome_action(outcome), str(report.id), TRIAGE, triage_ts)
    [view] = click.modals or [None]
    if view is None:
        return click, click
    valid_view(view)
    submitted = slack.submit(
        user,
        view["callback_id"],
        {
            ui.RATIONALE: rationale,
            ui.EXCUSE: {"type": "radio_buttons", "selected_option": {"value": excuse}},
        },
        private_metadata=view["private_metadata"],
    )
    return click, submitted


@both_databases
def test_an_officer_assesses_from_triage_and_the_reporter_is_told_without_the_outcome(
    slack: SlackHarness,
) -> None:
    ts, report, _triage = reported(slack)
    triage_ts = report_for(slack, ts).triage_ts or ""
    click, submitted = assess(slack, "U0OFF1", report, triage_ts, AssessmentOutcome.FIRST_WARNING)
    assert click.status == 200 and submitted.status == 200 and submitted.body == ""
    with slack.rt.uow() as uow:
        a = uow.session.scalars(select(Assessment).where(Assessment.breach_id == report.id)).one()
        audit = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.what == "breach.assessed")
        ).one()
    assert a.outcome is AssessmentOutcome.FIRST_WARNING and audit.actor == "U0OFF1"
    delivered = slack.flush()
    [update] = posts(delivered, TRIAGE, "chat.update")
    assert update["ts"] == triage_ts
    blocks = valid_blocks(update["blocks"])
    assert "First warning letter" in str(blocks) and "DC Olu Officer" in str(blocks)
    assert set(triage_buttons(blocks)) == {ui.PREPARE_LETTER, ui.FOLLOW_UP_DONE}  # no outcomes
    [told] = posts(delivered, LEEDS)
    assert told["thread_ts"] == ts and report.ref in told["text"] and "assessed" in told["text"]
    assert "warning" not in told["text"].lower()
    leeds_thread = [m for m in slack.standin.messages_in(LEEDS) if m.thread_ts == ts]
    assert len(leeds_thread) == 2  # the reference, then "assessed"


def test_the_second_officer_is_told_who_decided(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    triage_ts = report_for(slack, ts).triage_ts or ""
    first_click = slack.click(
        "U0OFF1", ui.outcome_action(AssessmentOutcome.ADVICE), str(report.id), TRIAGE, triage_ts
    )
    second_click = slack.click(
        "U0OFF2", ui.outcome_action(AssessmentOutcome.ARREST), str(report.id), TRIAGE, triage_ts
    )
    for click, who in ((first_click, "U0OFF1"), (second_click, "U0OFF2")):
        view = click.modals[0]
        result = slack.submit(
            who,
            ui.ASSESS_VIEW,
            {
                ui.RATIONALE: "Decided.",
                ui.EXCUSE: {"type": "radio_buttons", "selected_option": {"value": "no"}},
            },
            private_metadata=view["private_metadata"],
        )
        if who == "U0OFF2":
            answer = result.json()
            assert answer["response_action"] == "errors"
            assert "DC Olu Officer" in answer["errors"][ui.RATIONALE]
    late = slack.click(
        "U0OFF2", ui.outcome_action(AssessmentOutcome.ARREST), str(report.id), TRIAGE, triage_ts
    )
    assert late.modals == [] and "already assessed by DC Olu Officer" in late.text
    with slack.rt.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(Assessment.id)).where(Assessment.breach_id == report.id)
            )
            == 1
        )


def test_a_refused_decision_goes_back_on_the_field(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    triage_ts = report_for(slack, ts).triage_ts or ""
    _, empty = assess(slack, "U0OFF1", report, triage_ts, AssessmentOutcome.ADVICE, rationale=" ")
    assert empty.json()["errors"].keys() == {ui.RATIONALE}
    _, excuse = assess(
        slack, "U0OFF1", report, triage_ts, AssessmentOutcome.FIRST_WARNING, excuse="yes"
    )
    assert "reasonable excuse" in excuse.json()["errors"][ui.EXCUSE]


def test_a_district_officer_cannot_use_the_triage_buttons(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    click = slack.click(
        "U0LEEDS",
        ui.outcome_action(AssessmentOutcome.ADVICE),
        str(report.id),
        TRIAGE,
        report_for(slack, ts).triage_ts,
    )
    assert click.modals == [] and "may not assess breach" in click.text


def test_more_information_is_asked_in_the_thread_and_the_answer_attaches(
    slack: SlackHarness,
) -> None:
    ts, report, _ = reported(slack)
    triage_ts = report_for(slack, ts).triage_ts
    click = slack.click("U0OFF1", ui.MORE_INFO, str(report.id), TRIAGE, triage_ts)
    [view] = click.modals
    assert "#leeds" in json.dumps(valid_view(view))
    sent = slack.submit(
        "U0OFF1",
        ui.MORE_INFO_VIEW,
        {ui.QUESTION: "What colour was the van?"},
        private_metadata=view["private_metadata"],
    )
    assert sent.status == 200 and sent.body == ""
    [question] = posts(slack.flush(), LEEDS)
    assert question["thread_ts"] == ts and "What colour" in question["text"]
    assert report_for(slack, ts).status is BreachStatus.NEED_INFO
    district_say(slack, "White, with a roof rack", thread_ts=ts)
    assert report_for(slack, ts).status is BreachStatus.NEW
    assert "roof rack" in str(posts(slack.flush(), TRIAGE, "chat.update")[-1]["blocks"])


def test_a_possible_report_gets_a_picker_and_the_chosen_subject_unlocks_assessment(
    slack: SlackHarness,
) -> None:
    ts, report, triage = reported(slack, "Shaun seen driving a hire van near the Crown")
    assert report.status is BreachStatus.POSSIBLE
    blocks = valid_blocks(triage["blocks"])
    picker = next(
        b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "static_select"
    )
    chosen = next(o for o in picker["options"] if o["value"].endswith("LOM-0003"))
    payload = signing.block_actions_payload(
        "U0OFF1",
        TEAM,
        TRIAGE,
        ui.PICK_SUBJECT,
        "",
        message_ts=report_for(slack, ts).triage_ts,
        response_url=slack.standin.response_url("U0OFF1", TRIAGE),
    )
    payload["actions"][0] = {
        "type": "static_select",
        "action_id": ui.PICK_SUBJECT,
        "block_id": "b",
        "selected_option": chosen,
        "action_ts": "1.0",
    }
    result = slack.post(signing.interactivity_body(payload))
    assert result.status == 200 and "LOM-0003" in result.text
    assert report_for(slack, ts).status is BreachStatus.NEW
    [update] = posts(slack.flush(), TRIAGE, "chat.update")
    assert len(triage_buttons(valid_blocks(update["blocks"]))) == 9


def test_another_subject_can_be_typed_and_a_wrong_one_is_refused_on_the_field(
    slack: SlackHarness,
) -> None:
    ts, report, _ = reported(slack, "Shaun seen driving a hire van near the Crown")
    click = slack.click(
        "U0OFF1", ui.PICK_OTHER, str(report.id), TRIAGE, report_for(slack, ts).triage_ts
    )
    [view] = click.modals
    wrong = slack.submit(
        "U0OFF1", ui.PICK_VIEW, {ui.SUBJECT: "LOM-9999"}, private_metadata=view["private_metadata"]
    )
    assert "LOM-9999" in wrong.json()["errors"][ui.SUBJECT]
    right = slack.submit(
        "U0OFF1", ui.PICK_VIEW, {ui.SUBJECT: "LOM-0023"}, private_metadata=view["private_metadata"]
    )
    assert right.status == 200 and right.body == ""
    assert report_for(slack, ts).subject_id is not None


def shortcut(slack: SlackHarness, user: str, ts: str, text: str) -> Result:
    payload = signing.message_shortcut_payload(
        user,
        TEAM,
        LEEDS,
        "report_breach",
        ts,
        text,
        message_user="U0LEEDS",
        trigger_id=slack.standin.trigger_id(user),
        response_url=slack.standin.response_url(user, LEEDS, ts),
    )
    return slack.post(signing.interactivity_body(payload))


def test_the_shortcut_after_the_message_makes_no_second_report(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    result = shortcut(slack, "U0LEEDS", ts, SIGHTING)
    assert result.status == 200 and f"already breach report *{report.ref}*" in result.text
    assert len(reports(slack)) == 1


def test_the_shortcut_reports_a_message_the_bot_did_not_take_as_one(slack: SlackHarness) -> None:
    ts, _chat = district_say(slack, "That white van from yesterday is back outside number 3")
    assert reports(slack) == []
    result = shortcut(
        slack, "U0LEEDS", ts, "That white van from yesterday is back outside number 3"
    )
    assert result.status == 200 and "Recorded as breach report" in result.text
    [report] = reports(slack)
    assert (report.source, report.status, report.message_ts) == (
        "shortcut",
        BreachStatus.POSSIBLE,
        ts,
    )
    delivered = slack.flush()
    assert posts(delivered, TRIAGE) and posts(delivered, LEEDS)[0]["thread_ts"] == ts


def test_a_user_without_a_role_cannot_use_the_shortcut(slack: SlackHarness) -> None:
    ts, _ = district_say(slack, "nothing to see")
    result = shortcut(slack, "U0STRANGER", ts, "nothing to see")
    assert "not authorised" in result.text and reports(slack) == []


def test_lom_breach_records_a_report_and_answers_with_its_reference(slack: SlackHarness) -> None:
    result = slack.command("U0LEEDS", "breach LOM-0003 seen driving a hire van at 14:20", LEEDS)
    assert result.status == 200 and "Recorded as breach report *BR-" in result.text
    assert "LOM-0003" not in result.text.replace("breach LOM-0003", "")
    with slack.rt.uow() as uow:
        report = uow.session.scalars(
            select(BreachReport).where(BreachReport.source == "command")
        ).one()
    assert report.status is BreachStatus.NEW and report.district == "Leeds"
    assert posts(slack.flush(), TRIAGE)


def test_lom_breach_without_enough_text_opens_the_form_and_its_errors_go_on_the_field(
    slack: SlackHarness,
) -> None:
    result = slack.command("U0LEEDS", "breach LOM-0003", LEEDS)
    [view] = result.modals
    valid_view(view)
    assert view["blocks"][0]["element"]["initial_value"] == "LOM-0003"
    bad = slack.submit(
        "U0LEEDS",
        ui.REPORT_VIEW,
        {ui.SUBJECT: "Zebedee Nobodyatall", ui.WHAT: "seen at the car wash"},
        private_metadata=view["private_metadata"],
    )
    assert "No subject matches" in bad.json()["errors"][ui.SUBJECT]
    good = slack.submit(
        "U0LEEDS",
        ui.REPORT_VIEW,
        {
            ui.SUBJECT: "LOM-0003",
            ui.WHAT: "seen at the car wash",
            ui.WHEN: "today 09:10",
            ui.WHERE: "Kirkstall Road",
        },
        private_metadata=view["private_metadata"],
    )
    assert good.status == 200 and "Recorded as breach report" in good.text
    with slack.rt.uow() as uow:
        report = uow.session.scalars(
            select(BreachReport).where(BreachReport.source == "modal")
        ).one()
    assert (report.seen_at, report.seen_where) == ("today 09:10", "Kirkstall Road")


def test_lom_breach_court_records_outcomes_in_order(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    assess(
        slack, "U0OFF1", report, report_for(slack, ts).triage_ts or "", AssessmentOutcome.CPS_FILE
    )
    early = slack.command("U0OFF1", f"breach court {report.ref} sentence custody 18")
    assert "charge before" in early.text
    slack.command("U0OFF1", f"breach court {report.ref} charge on 20/11/2026 at Leeds Magistrates")
    slack.command("U0OFF1", f"breach court {report.ref} plea guilty")
    done = slack.command(
        "U0OFF1", f"breach court {report.ref} sentence custody 18 at Leeds Crown Court"
    )
    assert "18 months" in done.text and "Leeds Crown Court" in done.text
    refused = slack.command("U0LEEDS", f"breach court {report.ref} verdict guilty", LEEDS)
    assert "may not" in refused.text


def test_seen_events_are_recorded_for_district_messages(slack: SlackHarness) -> None:
    district_say(slack, "Morning all", event_id="EvMORNING")
    with slack.rt.uow() as uow:
        assert uow.session.get(SeenEvent, "EvMORNING") is not None


def test_every_modal_the_breach_flow_opens_is_a_valid_view() -> None:
    for view in (
        modals.assess_modal(1, "BR-00001", AssessmentOutcome.ARREST, "LOM-0001", "x" * 2500),
        modals.more_info_modal(1, "BR-00001", "the thread in #leeds"),
        modals.pick_subject_modal(1, "BR-00001"),
        modals.report_modal({ui.SUBJECT: "LOM-0001", ui.WHAT: "y" * 5000}, "C0LEEDS"),
    ):
        View(**valid_view(view)).validate_json()
        assert len(view["title"]["text"]) <= 24


@pytest.fixture(autouse=True)
def _quiet_bolt_errors(caplog: pytest.LogCaptureFixture) -> None:
    """The database-down test logs an expected error; keep the output readable."""
    caplog.set_level("CRITICAL", logger="slack_bolt")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    words=st.sampled_from(
        ["", "court ", "court BR-00001 ", "LOM-0003 ", "court BR-00001 sentence "]
    ),
    text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80),
)
def test_any_text_after_lom_breach_gets_an_answer_never_an_error(
    slack: SlackHarness, words: str, text: str
) -> None:
    result = slack.command("U0OFF1", f"breach {words}{text}")
    assert result.status == 200
    assert result.replies or result.modals, f"no answer to {words + text!r}"
    assert "Traceback" not in result.text and "incident" not in result.text


def test_an_edit_that_turns_chat_into_a_sighting_is_captured(slack: SlackHarness) -> None:
    ts, _ = district_say(slack, "Morning all, quiet one so far")
    assert reports(slack) == []
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": LEEDS,
        "hidden": True,
        "ts": "1764070002.000100",
        "event_ts": "1764070002.000100",
        "channel_type": "channel",
        "message": {"type": "message", "user": "U0LEEDS", "text": SIGHTING, "ts": ts},
        "previous_message": {"type": "message", "user": "U0LEEDS", "text": "Morning", "ts": ts},
    }
    assert slack.event(event).status == 200
    [report] = reports(slack)
    assert report.message_ts == ts and report.text == SIGHTING


def test_a_sighting_posted_as_a_reply_under_chat_is_a_report_of_its_own(
    slack: SlackHarness,
) -> None:
    parent, _ = district_say(slack, "Anyone on the ring road this afternoon?")
    ts, result = district_say(slack, SIGHTING, thread_ts=parent)
    assert result.status == 200
    report = report_for(slack, ts)
    assert report.status is BreachStatus.NEW and report.permalink
    assert f"thread_ts={parent}" in report.permalink
    [ack] = posts(slack.flush(), LEEDS)
    assert ack["thread_ts"] == ts


def test_an_empty_or_malformed_district_message_is_acknowledged_and_stores_nothing(
    slack: SlackHarness,
) -> None:
    empty = signing.message_event(LEEDS, "U0LEEDS", "   ", "1764000000.000009")
    odd = signing.message_event(LEEDS, "U0LEEDS", SIGHTING, "1764000000.000011")
    odd["subtype"] = []
    assert slack.event(empty).status == 200
    assert slack.event(odd).status == 200
    assert reports(slack) == []


def test_a_forged_triage_button_or_form_changes_nothing(slack: SlackHarness) -> None:
    ts, report, _ = reported(slack)
    bogus = slack.click("U0OFF1", ui.OUTCOME_PREFIX + "hanging", str(report.id), TRIAGE, "1.1")
    huge = slack.click("U0OFF1", ui.outcome_action(AssessmentOutcome.ADVICE), "9" * 30, TRIAGE)
    form = slack.submit(
        "U0OFF1",
        ui.ASSESS_VIEW,
        {ui.RATIONALE: "x"},
        private_metadata='{"breach_id": "x", "outcome": "nonsense"}',
    )
    assert (bogus.status, huge.status, form.status) == (200, 200, 200)
    assert "not one lom-bot knows" in bogus.text and "no breach report" in huge.text
    assert form.json()["response_action"] == "errors"
    assert report_for(slack, ts).status is BreachStatus.NEW


def test_the_letter_is_drafted_and_the_follow_up_marked_done_from_the_triage_post(
    slack: SlackHarness,
) -> None:
    kelly = "Seen Kelly Inventive on the ring road at 14:20 driving a hire van"
    ts, report, _ = reported(slack, kelly)  # touches her vehicle condition: the letter quotes it
    triage_ts = report_for(slack, ts).triage_ts or ""
    assess(slack, "U0OFF1", report, triage_ts, AssessmentOutcome.FIRST_WARNING)
    [update] = posts(slack.flush(), TRIAGE, "chat.update")
    buttons = triage_buttons(valid_blocks(update["blocks"]))
    assert set(buttons) == {ui.PREPARE_LETTER, ui.FOLLOW_UP_DONE}
    letter = slack.click("U0OFF1", ui.PREPARE_LETTER, buttons[ui.PREPARE_LETTER], TRIAGE, triage_ts)
    assert "drafted and sent to you in a DM" in letter.text
    assert any(c.method == "files.completeUploadExternal" for c in slack.flush())
    done = slack.click("U0OFF1", ui.FOLLOW_UP_DONE, buttons[ui.FOLLOW_UP_DONE], TRIAGE, triage_ts)
    assert "marked done" in done.text
    [after] = posts(slack.flush(), TRIAGE, "chat.update")
    assert triage_buttons(valid_blocks(after["blocks"])) == {}
    again = slack.click("U0OFF1", ui.FOLLOW_UP_DONE, buttons[ui.FOLLOW_UP_DONE], TRIAGE, triage_ts)
    assert "already marked done" in again.text
    by_command = slack.command("U0OFF1", f"breach done {report.ref}")
    assert "nothing open" in by_command.text


def test_an_edited_reply_under_a_report_joins_it_and_makes_no_new_report(
    slack: SlackHarness,
) -> None:
    ts, report, _ = reported(slack)
    reply_ts, _ = district_say(slack, "Reg was YX19 ABC", thread_ts=ts)
    edited = "Reg was YX19 ABD, Shaun Madeup driving it again"
    event = {
        "type": "message",
        "subtype": "message_changed",
        "channel": LEEDS,
        "hidden": True,
        "ts": "1764070003.000100",
        "event_ts": "1764070003.000100",
        "channel_type": "channel",
        "message": {
            "type": "message",
            "user": "U0LEEDS",
            "text": edited,
            "ts": reply_ts,
            "thread_ts": ts,
        },
    }
    assert slack.event(event).status == 200
    assert slack.event(event, retry_num=1).status == 200
    assert len(reports(slack)) == 1
    with slack.rt.uow() as uow:
        replies = uow.session.scalars(
            select(BreachEdit.text).where(BreachEdit.kind == "reply").order_by(BreachEdit.id)
        ).all()
    assert replies == ["Reg was YX19 ABC", f"(edited) {edited}"]
    assert report.id == report_for(slack, ts).id


def test_the_workspace_address_for_permalinks_is_asked_of_slack_once(slack: SlackHarness) -> None:
    """Bolt gives each request a new WebClient: auth.test must not follow it (rate limited)."""
    district_say(slack, f"{SIGHTING} (first sighting)")
    asked = len(slack.standin.calls_to("auth.test"))  # Bolt's own authorisation, and ours
    for n in range(3):
        district_say(slack, f"{SIGHTING} (sighting {n})")
    assert len(slack.standin.calls_to("auth.test")) == asked
    assert all(r.permalink and r.permalink.startswith("https://") for r in reports(slack))
