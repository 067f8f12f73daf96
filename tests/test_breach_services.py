"""Breach reports at the service level: capture, routing, dedupe, edits, replies, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lom_bot.blocks import breach as ui
from lom_bot.domain.enums import BreachStatus
from lom_bot.domain.errors import InvalidInput, NotAuthorised
from lom_bot.domain.grading import parse_grading
from lom_bot.runtime import Runtime
from lom_bot.services.breach_assess import confirm_subject, request_more_info
from lom_bot.services.breach_thread import attach_reply, record_deletion, record_edit
from lom_bot.services.permissions import Actor
from lom_bot.services.records import LogIntel, log_intelligence
from lom_bot.store.classification import Classification
from lom_bot.store.tables import AuditEntry, BreachEdit, BreachReport, SeenEvent
from tests import test_breach_support as support
from tests.test_breach_support import LEEDS, TRIAGE, outbox, report_row, say, valid_blocks

# a demo database seeded once per session and copied per test (see test_breach_support)
db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

SIGHTING = (
    "Seen Shaun Madeup driving a white hire van on the ring road today at 14:20, two men with him"
)


def count_reports(rt: Runtime) -> int:
    with rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(BreachReport.id))) or 0)


def test_a_district_sighting_is_stored_with_its_facts_and_routed_to_triage(demo: Runtime) -> None:
    result = say(demo, SIGHTING, event_id="Ev1")
    assert result is not None and result.created
    assert (result.status, result.subject_ref) == (BreachStatus.NEW, "LOM-0003")
    report = report_row(demo, result.ref)
    assert (report.reporter_slack_id, report.channel_id, report.message_ts) == (
        "U0LEEDS",
        LEEDS,
        "1764064800.000100",
    )
    assert (report.district, report.seen_at, report.source) == (
        "Leeds",
        "today at 14:20",
        "message",
    )
    triage = outbox(demo, TRIAGE)
    assert len(triage) == 1 and triage[0].link_table == "breach_reports"
    blocks = valid_blocks(triage[0].payload["blocks"])
    actions = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(actions) == 9 and ui.MORE_INFO in actions
    shown = str(blocks)
    assert "LOM-0003" in shown and "Conditions it may touch" in shown
    assert "Recent history" in shown
    assert "assess by 27/11/2026" in shown  # two working days after Wednesday 25/11/2026


def test_the_reporter_gets_the_reference_in_their_thread_and_nothing_sensitive(
    demo: Runtime,
) -> None:
    result = say(demo, SIGHTING)
    assert result is not None
    [reply] = outbox(demo, LEEDS)
    assert reply.payload["thread_ts"] == "1764064800.000100"
    assert result.ref in reply.payload["text"]
    assert "LOM-0003" not in reply.payload["text"] and "Madeup" not in reply.payload["text"]
    with demo.uow() as uow:
        disclosed = uow.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "disclosure", AuditEntry.recipient == LEEDS
            )
        ).all()
    assert disclosed == []  # the district channel was told no subject


def test_chat_in_a_district_channel_is_left_alone(demo: Runtime) -> None:
    before = count_reports(demo)
    assert say(demo, "Anyone fancy a brew before the briefing?") is None
    assert count_reports(demo) == before and outbox(demo) == []


def test_an_ambiguous_first_name_is_stored_as_possible_and_triage_gets_a_picker(
    demo: Runtime,
) -> None:
    result = say(demo, "Shaun seen driving a hire van near the Crown")
    assert result is not None and result.status is BreachStatus.POSSIBLE
    report = report_row(demo, result.ref)
    assert report.subject_id is None and set(report.candidates or []) >= {"LOM-0003", "LOM-0023"}
    blocks = valid_blocks(outbox(demo, TRIAGE)[0].payload["blocks"])
    picker = [
        b["accessory"] for b in blocks if b.get("accessory", {}).get("type") == "static_select"
    ]
    assert picker and {o["value"].split(":")[1] for o in picker[0]["options"]} >= {"LOM-0003"}


def test_the_same_message_captured_twice_makes_one_report(
    demo: Runtime, leeds_officer: Actor
) -> None:
    first = say(demo, SIGHTING, event_id="Ev1")
    again = say(demo, SIGHTING, event_id="Ev1")  # Slack redelivers the event
    shortcut = say(demo, SIGHTING, source="shortcut", actor=leeds_officer)  # then the shortcut
    assert first is not None and again is not None and shortcut is not None
    assert first.created and not again.created and not shortcut.created
    assert first.ref == again.ref == shortcut.ref
    assert len(outbox(demo, TRIAGE)) == 1


def test_a_redelivered_chat_event_is_recorded_once_as_seen(demo: Runtime) -> None:
    assert say(demo, "Morning all", event_id="EvChat") is None
    assert say(demo, "Morning all", event_id="EvChat") is None
    with demo.uow() as uow:
        assert uow.session.get(SeenEvent, "EvChat") is not None


def test_an_explicit_report_naming_no_known_subject_is_kept_for_a_person(
    demo: Runtime, leeds_officer: Actor
) -> None:
    result = say(
        demo,
        "Saw the tall bloke from the briefing at the car wash",
        source="command",
        actor=leeds_officer,
    )
    assert result is not None and result.status is BreachStatus.POSSIBLE


def test_the_modal_refuses_a_subject_that_matches_no_one(
    demo: Runtime, leeds_officer: Actor
) -> None:
    before = count_reports(demo)
    with pytest.raises(InvalidInput) as err:
        say(demo, "seen at the car wash", source="modal", actor=leeds_officer, subject="Zebedee")
    assert err.value.field == "subject"
    assert count_reports(demo) == before


def test_only_people_with_a_role_may_use_the_shortcut(demo: Runtime) -> None:
    with pytest.raises(NotAuthorised):
        say(demo, SIGHTING, source="shortcut", actor=None, user="U0STRANGER")


def test_an_empty_report_is_refused(demo: Runtime, leeds_officer: Actor) -> None:
    with pytest.raises(InvalidInput):
        say(demo, "   ", source="command", actor=leeds_officer)


def test_an_edit_updates_the_report_and_keeps_the_earlier_text(demo: Runtime) -> None:
    result = say(demo, SIGHTING)
    assert result is not None
    edited = SIGHTING.replace("white", "silver")
    for _ in range(2):  # the same edit event delivered twice
        ref = record_edit(
            demo.uow(), LEEDS, "1764064800.000100", edited, "U0LEEDS", edit_ts="1764064900.000200"
        )
        assert ref == result.ref
    report = report_row(demo, result.ref)
    assert report.text == edited
    with demo.uow() as uow:
        history = uow.session.scalars(select(BreachEdit).where(BreachEdit.kind == "edit")).all()
    assert [h.text for h in history] == [SIGHTING]
    updates = [m for m in outbox(demo, TRIAGE) if m.method == "update"]
    assert len(updates) == 1 and "silver" in str(updates[0].payload["blocks"])


def test_an_edit_of_a_message_that_was_not_a_report_changes_nothing(demo: Runtime) -> None:
    assert record_edit(demo.uow(), LEEDS, "1.1", "new text", "U0LEEDS", edit_ts="1.2") is None


def test_a_deleted_report_is_flagged_and_its_text_kept(demo: Runtime) -> None:
    result = say(demo, SIGHTING)
    assert result is not None
    assert (
        record_deletion(demo.uow(), LEEDS, "1764064800.000100", delete_ts="1764065000.1")
        == result.ref
    )
    report = report_row(demo, result.ref)
    assert report.deleted and report.text == SIGHTING
    update = [m for m in outbox(demo, TRIAGE) if m.method == "update"][-1]
    assert "deleted" in str(update.payload["blocks"])


def test_more_information_is_asked_in_the_thread_and_the_reply_attaches(
    demo: Runtime, officer: Actor
) -> None:
    result = say(demo, SIGHTING)
    assert result is not None
    request_more_info(demo.uow(), officer, result.breach_id, "What colour was the van?")
    assert report_row(demo, result.ref).status is BreachStatus.NEED_INFO
    question = outbox(demo, LEEDS)[-1]
    assert question.payload["thread_ts"] == "1764064800.000100"
    assert "What colour was the van?" in question.payload["text"]
    for _ in range(2):  # a redelivered reply attaches once
        ref = attach_reply(
            demo.uow(),
            LEEDS,
            "1764064800.000100",
            "1764065100.000300",
            "U0LEEDS",
            "White, a Transit, reg started YX19",
        )
        assert ref == result.ref
    report = report_row(demo, result.ref)
    assert report.status is BreachStatus.NEW
    with demo.uow() as uow:
        replies = uow.session.scalars(select(BreachEdit).where(BreachEdit.kind == "reply")).all()
    assert [r.text for r in replies] == ["White, a Transit, reg started YX19"]
    assert "Transit" in str(outbox(demo, TRIAGE)[-1].payload["blocks"])


def test_a_reply_under_an_ordinary_message_is_not_attached(demo: Runtime) -> None:
    assert attach_reply(demo.uow(), LEEDS, "1.0", "1.1", "U0LEEDS", "agreed") is None


def test_confirming_the_subject_of_a_possible_report_makes_it_ready_to_assess(
    demo: Runtime, officer: Actor
) -> None:
    result = say(demo, "Shaun seen driving a hire van near the Crown")
    assert result is not None
    text = confirm_subject(demo.uow(), officer, result.breach_id, "LOM-0003")
    assert "LOM-0003" in text
    report = report_row(demo, result.ref)
    assert report.status is BreachStatus.NEW and report.subject_id is not None
    update = [m for m in outbox(demo, TRIAGE) if m.method == "update"][-1]
    blocks = valid_blocks(update.payload["blocks"])
    assert any(b["type"] == "actions" and len(b["elements"]) == 5 for b in blocks)


def test_a_district_officer_may_not_confirm_or_ask(demo: Runtime, leeds_officer: Actor) -> None:
    result = say(demo, "Shaun seen driving a hire van near the Crown")
    assert result is not None
    with pytest.raises(NotAuthorised):
        confirm_subject(demo.uow(), leeds_officer, result.breach_id, "LOM-0003")
    with pytest.raises(NotAuthorised):
        request_more_info(demo.uow(), leeds_officer, result.breach_id, "more?")


def test_intelligence_flagged_as_a_breach_opportunity_reaches_triage(
    demo: Runtime, officer: Actor
) -> None:
    logged = log_intelligence(
        demo.uow(),
        officer,
        LogIntel(
            "LOM-0003",
            "Using a second phone to arrange meetings",
            parse_grading("2B P"),
            breach_opportunity=True,
        ),
    )
    assert "sent to triage as breach report BR-" in logged.summary
    [post] = outbox(demo, TRIAGE)
    assert "second phone" in str(post.payload["blocks"])
    with demo.uow() as uow:
        disclosed = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.recipient == TRIAGE)
        ).all()
    assert disclosed[0].detail == {"classification": Classification.INTELLIGENCE.value}


def test_intelligence_without_the_flag_does_not_go_to_triage(demo: Runtime, officer: Actor) -> None:
    log_intelligence(
        demo.uow(), officer, LogIntel("LOM-0003", "Lives with sister", parse_grading("2B P"))
    )
    assert outbox(demo, TRIAGE) == []
