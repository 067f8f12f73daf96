"""Plain messages, App Home and event routing, end to end."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from lom_bot.console.signing import BOT_ID, message_event
from lom_bot.domain.enums import ContactKind, ContactOutcome
from lom_bot.store.tables import Contact, Draft, Subject
from tests.e2e.harness import SlackHarness, check_blocks, check_view

DM = "DU0OFF1"


def _contacts(slack: SlackHarness) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(Contact.id))) or 0)


def _buttons(blocks: list[dict[str, object]]) -> dict[str, str]:
    return {
        str(e["action_id"]): str(e["value"])
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]  # type: ignore[attr-defined]
    }


def test_a_dm_is_understood_and_saved_only_when_confirmed(slack: SlackHarness) -> None:
    before = _contacts(slack)
    text = "LOM-0001 home visit, seen at home, new white van on the drive"
    result = slack.event(message_event(DM, "U0OFF1", text, "1764000001.000100"))
    assert result.status == 200
    (reply,) = result.to("chat.postMessage")
    check_blocks(reply["blocks"])
    shown = json.dumps(reply["blocks"])
    assert "LOM-0001" in shown and "home visit" in shown and "attended complied" in shown
    assert "new white van on the drive" in shown
    assert _contacts(slack) == before
    posted = slack.standin.messages_in(DM)[-1]
    confirm = _buttons(reply["blocks"])["lom_draft_confirm"]
    saved = slack.click("U0OFF1", "lom_draft_confirm", confirm, DM, posted.ts)
    assert "Contact logged for LOM-0001" in saved.text
    again = slack.click("U0OFF1", "lom_draft_confirm", confirm, DM, posted.ts)
    assert "already saved" in again.text
    assert _contacts(slack) == before + 1
    with slack.rt.uow() as uow:
        contact = uow.session.scalars(select(Contact).order_by(Contact.id.desc())).first()
        assert contact is not None
        assert (contact.kind, contact.outcome) == (ContactKind.HOME_VISIT, ContactOutcome.COMPLIED)
        assert contact.notes == "new white van on the drive"


def test_what_is_not_understood_is_asked_not_guessed(slack: SlackHarness) -> None:
    result = slack.event(
        message_event(DM, "U0OFF1", "LOM-0001 no answer, went round", "1764000002.1")
    )
    (reply,) = result.to("chat.postMessage")
    shown = json.dumps(reply["blocks"])
    assert "What kind of contact" in shown and "What was the outcome" not in shown
    assert "lom_draft_confirm" not in _buttons(reply["blocks"])
    assert "lom_draft_edit" in _buttons(reply["blocks"])


def test_a_message_naming_no_subject_or_no_contact_gets_a_pointer_and_no_draft(
    slack: SlackHarness,
) -> None:
    for n, text in enumerate(
        ["hello", "what is due for me this week?", "went round, nobody about", "LOM-0001 thanks"]
    ):
        result = slack.event(message_event(DM, "U0OFF1", text, f"1764000003.{n}"))
        (reply,) = result.to("chat.postMessage")
        assert "if you name the subject" in reply["text"] and "/lom help" in reply["text"]
        assert not reply.get("blocks")
    with slack.rt.uow() as uow:
        assert uow.session.scalar(select(func.count(Draft.id))) == 0


def test_a_subject_named_by_name_and_a_spoken_day_are_shown_as_guesses(
    slack: SlackHarness,
) -> None:
    with slack.rt.uow() as uow:
        subject = uow.session.scalars(select(Subject).where(Subject.ref == "LOM-0003")).one()
    text = f"{subject.name} probation appointment FTA Monday"
    result = slack.event(message_event(DM, "U0OFF1", text, "1764000004.1"))
    (reply,) = result.to("chat.postMessage")
    check_blocks(reply["blocks"])
    shown = json.dumps(reply["blocks"])
    assert "LOM-0003" in shown and "unacceptable absence" in shown
    assert "Guessed, check before you confirm" in shown
    assert "LOM-0003 matched by full name" in shown and "'monday' read as 23/11/2026" in shown
    assert "lom_draft_confirm" in _buttons(reply["blocks"])


def test_a_redelivered_message_gets_one_answer(slack: SlackHarness) -> None:
    event = message_event(DM, "U0OFF1", "LOM-0001 call complied", "1764000003.1")
    slack.event(event)
    again = slack.event(event, retry_num=1)
    assert again.status == 200 and again.to("chat.postMessage") == []
    with slack.rt.uow() as uow:
        assert uow.session.scalar(select(func.count(Draft.id))) == 1


def test_edit_opens_the_form_prefilled_from_the_draft(slack: SlackHarness) -> None:
    reply = slack.event(message_event(DM, "U0OFF1", "LOM-0002 call no answer", "1764000004.1"))
    draft_id = _buttons(reply.to("chat.postMessage")[0]["blocks"])["lom_draft_edit"]
    edit = slack.click("U0OFF1", "lom_draft_edit", draft_id, DM, "1764000004.1")
    (view,) = edit.modals
    check_view(view)
    assert json.loads(view["private_metadata"])["request_key"] == f"draft:{draft_id}"


def test_a_mention_in_the_lom_team_channel_is_answered_privately(slack: SlackHarness) -> None:
    event = {
        "type": "app_mention",
        "channel": "C0LOMTEAM",
        "user": "U0OFF1",
        "text": "<@U0LOMBOT> LOM-0001 probation complied yesterday",
        "ts": "1764000005.1",
        "event_ts": "1764000005.1",
    }
    result = slack.event(event)
    (reply,) = result.to("chat.postEphemeral")
    assert reply["user"] == "U0OFF1" and "probation" in json.dumps(reply["blocks"])


def test_bot_messages_and_team_chatter_get_no_answer(slack: SlackHarness) -> None:
    own = message_event(DM, "U0LOMBOT", "LOM-0001 call complied", "1764000006.1", bot_id=BOT_ID)
    other = message_event(DM, None, "LOM-0001 call", "1764000007.1", bot_id="B0OTHER")
    chatter = message_event("C0LOMTEAM", "U0OFF1", "kettle's on", "1764000008.1")
    for event in (own, other, chatter):
        result = slack.event(event)
        assert result.status == 200 and result.replies == []


def test_district_channel_messages_are_acknowledged_not_answered_here(
    slack: SlackHarness,
) -> None:
    result = slack.event(message_event("C0LEEDS", "U0LEEDS", "nothing to see", "1764000009.1"))
    assert result.status == 200
    assert result.to("chat.postMessage") == [] or "breach" in json.dumps(result.calls)


def test_an_unknown_user_in_a_dm_is_not_authorised(slack: SlackHarness) -> None:
    result = slack.event(message_event("DU0NOBODY", "U0NOBODY", "LOM-0001 call", "1764000010.1"))
    assert "not authorised" in result.text and "LOM-0001" not in result.text


def test_an_officers_home_shows_caseload_due_and_releases(slack: SlackHarness) -> None:
    result = slack.event(
        {
            "type": "app_home_opened",
            "user": "U0OFF1",
            "tab": "home",
            "channel": "DU0OFF1",
            "event_ts": "1764000011.1",
        }
    )
    (published,) = result.to("views.publish")
    check_view(published["view"])
    shown = json.dumps(published["view"]["blocks"])
    assert (
        "Your caseload" in shown
        and "Due or overdue" in shown
        and "Releases in the next 30" in shown
    )


def test_a_district_officers_home_shows_only_conditions_to_watch(slack: SlackHarness) -> None:
    result = slack.event(
        {
            "type": "app_home_opened",
            "user": "U0LEEDS",
            "tab": "home",
            "channel": "DU0LEEDS",
            "event_ts": "1764000012.1",
        }
    )
    (published,) = result.to("views.publish")
    check_view(published["view"])
    shown = json.dumps(published["view"]["blocks"])
    assert "Leeds" in shown
    assert "risk" not in shown and "Due or overdue" not in shown and "PNC" not in shown
