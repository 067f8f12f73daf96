"""A burst of district reports at Slack's limits: triage posts and reporters' receipts due
together share one post per channel (each report with its own buttons), and a report's later
updates go to that post's thread instead of overwriting the others."""

from __future__ import annotations

import re

from sqlalchemy import select

from lom_bot.blocks import breach as ui
from lom_bot.domain.enums import AssessmentOutcome
from lom_bot.store.tables import BreachReport, OutboxMessage
from tests.e2e.harness import SlackHarness
from tests.e2e.test_breach_e2e import LEEDS, TRIAGE, assess, district_say, posts
from tests.test_breach_support import valid_blocks

SIGHTINGS = [
    "Seen Shaun Madeup driving a white hire van on the ring road at 14:{n:02d}",
    "Shaun Madeup outside the bookmakers on Briggate at 15:{n:02d} with two men",
]


def burst(slack: SlackHarness, count: int) -> list[str]:
    """`count` reports in #leeds before the outbox runs; their message ts."""
    stamps = []
    for n in range(count):
        ts, result = district_say(slack, SIGHTINGS[n % 2].format(n=n))
        assert result.status == 200
        stamps.append(ts)
    return stamps


def reports(slack: SlackHarness, stamps: list[str]) -> list[BreachReport]:
    with slack.rt.uow() as uow:
        rows = uow.session.scalars(select(BreachReport).where(BreachReport.message_ts.in_(stamps)))
        return sorted(rows, key=lambda r: r.id)


def test_reports_due_together_share_one_triage_post_and_one_receipt_each_with_buttons(
    slack: SlackHarness,
) -> None:
    stamps = burst(slack, 5)
    calls = slack.flush()
    made = reports(slack, stamps)
    refs = [r.ref for r in made]
    [triage] = posts(calls, TRIAGE)
    blocks = valid_blocks(triage["blocks"])
    assert "5 breach reports arrived together" in blocks[0]["text"]["text"]
    assert re.findall(r"BR-\d{5}", triage["text"]) == refs
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    no_breach = ui.outcome_action(AssessmentOutcome.NO_BREACH)
    assert sorted(e["value"] for e in buttons if e["action_id"] == no_breach) == sorted(
        str(r.id) for r in made
    )  # every report keeps its own buttons
    [receipt] = posts(calls, LEEDS)
    assert "thread_ts" not in receipt  # one post in the channel, naming each reporter
    assert all(f"*{ref}*" in str(receipt["blocks"]) for ref in refs)
    assert str(receipt["blocks"]).count("<@U0LEEDS>") == 5
    assert {r.triage_ts for r in made} == {slack.standin.messages_in(TRIAGE)[-1].ts}
    with slack.rt.uow() as uow:
        rows = uow.session.scalars(select(OutboxMessage).where(OutboxMessage.shared)).all()
        assert len(rows) == 10 and all(row.sent_at is not None for row in rows)


def test_an_update_to_a_report_in_a_shared_post_goes_to_its_thread(slack: SlackHarness) -> None:
    stamps = burst(slack, 3)
    slack.flush()
    first = reports(slack, stamps)[0]
    shared_ts = first.triage_ts or ""
    assess(slack, "U0OFF1", first, shared_ts, AssessmentOutcome.FIRST_WARNING)
    calls = slack.flush()
    assert [c for c in calls if c.method == "chat.update"] == []  # the others stay as they are
    card = [p for p in posts(calls, TRIAGE) if p.get("thread_ts") == shared_ts]
    assert len(card) == 1 and first.ref in card[0]["text"]
    valid_blocks(card[0]["blocks"])


def test_two_reports_are_still_posted_and_acknowledged_one_by_one_a_tick_first(
    slack: SlackHarness,
) -> None:
    stamps = burst(slack, 2)
    calls = slack.flush()
    assert len(posts(calls, TRIAGE)) == 2
    receipts = posts(calls, LEEDS)
    assert sorted(r["thread_ts"] for r in receipts) == sorted(stamps)
    for ts in stamps:  # the cheapest acknowledgement first: a reaction, then the thread reply
        (message,) = [m for m in slack.standin.messages_in(LEEDS) if m.ts == ts]
        assert message.reactions == ["white_check_mark"]
        order = [
            c.method
            for c in calls
            if c.params.get("timestamp") == ts or c.params.get("thread_ts") == ts
        ]
        assert order == ["reactions.add", "chat.postMessage"]


def test_a_reaction_slack_refuses_does_not_hold_up_the_reply(slack: SlackHarness) -> None:
    slack.standin.fail_next("reactions.add", error="missing_scope")
    (ts,) = burst(slack, 1)
    calls = slack.flush()
    assert [r["thread_ts"] for r in posts(calls, LEEDS)] == [ts]


def test_a_burst_acknowledged_by_a_shared_receipt_adds_no_reactions(slack: SlackHarness) -> None:
    burst(slack, 4)
    calls = slack.flush()
    assert [c for c in calls if c.method == "reactions.add"] == []
