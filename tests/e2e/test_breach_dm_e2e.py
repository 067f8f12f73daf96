"""A district officer's DM to the bot is a breach report, end to end (signed event in, Web API
calls out): their role may report breaches, not log contacts."""

from __future__ import annotations

from sqlalchemy import func, select

from lom_bot.console.signing import message_event
from lom_bot.store.tables import BreachReport, Draft, Subject
from tests.e2e.harness import SlackHarness

DM = "DU0LEEDS"


def _reports(slack: SlackHarness) -> list[tuple[str, str | None, str]]:
    """(reference, subject reference, source) of every report made from a DM."""
    with slack.rt.uow() as uow:
        rows = uow.session.execute(
            select(BreachReport.ref, Subject.ref, BreachReport.source)
            .outerjoin(Subject, Subject.id == BreachReport.subject_id)
            .where(BreachReport.source == "dm")
            .order_by(BreachReport.id)
        )
        return [(ref, subject, source) for ref, subject, source in rows]


def _drafts(slack: SlackHarness) -> int:
    with slack.rt.uow() as uow:
        return int(uow.session.scalar(select(func.count(Draft.id))) or 0)


def test_a_district_officers_dm_naming_a_subject_is_recorded_as_a_breach_report(
    slack: SlackHarness,
) -> None:
    text = "Seen Ryan Dummy driving a hire van on York Road at 3pm"
    result = slack.event(message_event(DM, "U0LEEDS", text, "1764000101.000100"))
    assert result.status == 200
    (reply,) = result.to("chat.postMessage")
    [(ref, subject, _)] = _reports(slack)
    assert subject == "LOM-0013"
    assert f"Recorded as breach report *{ref}*" in reply["text"]
    assert "may not record" not in reply["text"] and "LOM-0013" not in reply["text"]
    assert _drafts(slack) == 0
    delivered = slack.flush()
    triage = [c.params for c in delivered if c.params.get("channel") == "C0TRIAGE"]
    assert any(ref in p["text"] and "LOM-0013" in p["text"] for p in triage)


def test_a_dm_naming_two_subjects_makes_a_report_for_each(slack: SlackHarness) -> None:
    text = "Kelly Inventive seen with Ryan Dummy outside the Corn Exchange at 14:00"
    result = slack.event(message_event(DM, "U0LEEDS", text, "1764000102.000100"))
    (reply,) = result.to("chat.postMessage")
    made = _reports(slack)
    assert [subject for _, subject, _ in made] == ["LOM-0008", "LOM-0013"]
    assert all(ref in reply["text"] for ref, _, _ in made)


def test_a_dm_naming_no_subject_says_where_to_report_and_writes_nothing(
    slack: SlackHarness,
) -> None:
    result = slack.event(message_event(DM, "U0LEEDS", "hello, how does this work?", "1764000103.1"))
    (reply,) = result.to("chat.postMessage")
    assert "/lom breach" in reply["text"] and "Nothing was recorded" in reply["text"]
    assert _reports(slack) == [] and _drafts(slack) == 0


def test_a_redelivered_dm_makes_one_report_and_one_answer(slack: SlackHarness) -> None:
    event = message_event(DM, "U0LEEDS", "Spotted LOM-0013 in a hire van", "1764000104.1")
    first = slack.event(event)
    again = slack.event(event, retry_num=1)
    assert len(first.to("chat.postMessage")) == 1
    assert again.status == 200 and again.to("chat.postMessage") == []
    assert len(_reports(slack)) == 1


def test_a_lom_officers_dm_is_still_a_draft_not_a_breach_report(slack: SlackHarness) -> None:
    text = "LOM-0001 home visit, seen at home, new white van on the drive"
    slack.event(message_event("DU0OFF1", "U0OFF1", text, "1764000105.1"))
    assert _reports(slack) == [] and _drafts(slack) == 1


def test_a_district_officers_home_says_a_message_to_the_bot_is_a_report(
    slack: SlackHarness,
) -> None:
    event = {"type": "app_home_opened", "user": "U0LEEDS", "tab": "home", "channel": DM}
    (published,) = slack.event({**event, "event_ts": "1764000106.1"}).to("views.publish")
    assert "in a message to lom-bot" in str(published["view"]["blocks"])
