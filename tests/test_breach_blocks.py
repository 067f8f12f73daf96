"""The triage post's blocks and the capture middleware, without HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from slack_bolt import BoltContext, BoltResponse
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from lom_bot.blocks import breach as ui
from lom_bot.blocks.common import escape
from lom_bot.domain.enums import AssessmentOutcome, BreachStatus
from lom_bot.handlers.breach_events import CAPTURED, capture_middleware, from_bot
from lom_bot.runtime import Runtime
from lom_bot.services.breach_model import AssessmentLine, SubjectSummary, TriageView
from lom_bot.store.tables import BreachReport
from tests import test_breach_support as support
from tests.test_breach_support import say, valid_blocks

# a demo database seeded once per session and copied per test (see test_breach_support)
db_url, demo, seeded_template = support.db_url, support.demo, support.seeded_template

SUMMARY = SubjectSummary(
    "LOM-0003",
    "Shaun Madeup",
    "Leeds",
    "medium",
    "in community",
    "SCPO-0003 active",
    "DC Olu Officer",
)


def view(text: str, **kw: Any) -> TriageView:
    fields: dict[str, Any] = dict(
        breach_id=7,
        ref="BR-00007",
        status=BreachStatus.NEW,
        source="message",
        reporter="U0LEEDS",
        channel_id="C0LEEDS",
        district="Leeds",
        permalink=None,
        received="25/11/2026 10:00",
        text=text,
        subject=SUMMARY,
    )
    fields.update(kw)
    return TriageView(**fields)


def section_texts(messages: list[list[dict[str, Any]]]) -> str:
    """The report's text as shown across every message, in order, with the heading removed."""
    parts = []
    for blocks in messages:
        for block in blocks:
            if block["type"] == "divider":
                break  # the subject card and buttons follow the text on the first message
            text = (block.get("text") or {}).get("text", "")
            if block["type"] == "section" and "fields" not in block:
                parts.append(text.removeprefix("*What was seen*\n"))
    return "".join(parts)


def test_a_report_longer_than_a_block_is_split_across_blocks_not_cut() -> None:
    text = ("The van & the car <both> were seen again. " * 300).strip()  # ~13,000 characters
    [blocks] = ui.triage_messages(view(text))
    valid_blocks(blocks)
    assert escape(text) in section_texts([blocks])


def test_a_report_longer_than_a_message_continues_in_further_messages() -> None:
    text = "word " * 40_000  # 200,000 characters: more than 50 blocks of text
    messages = ui.triage_messages(view(text.strip()))
    assert len(messages) > 1
    for blocks in messages:
        valid_blocks(blocks)
    assert escape(text.strip()) in section_texts(messages)
    assert any(b["type"] == "actions" for b in messages[0])  # the buttons stay on the post


def test_split_text_never_loses_a_character() -> None:
    for text in ("a" * 7000, "x " * 5000, "&amp;" * 1500, ""):
        pieces = ui.split_text(text, 1000)
        assert "".join(pieces) == text and all(len(p) <= 1000 for p in pieces)
        assert not any(p.endswith(("&", "&a", "&am", "&amp")) for p in pieces[:-1])


def test_an_assessed_report_shows_the_decision_and_no_buttons() -> None:
    decided = AssessmentLine(
        AssessmentOutcome.CPS_FILE,
        "DC Olu Officer",
        "25/11/2026 11:00",
        "Clear breach",
        False,
        ("CPS file for the s.25 offence: target 09/12/2026",),
    )
    [blocks] = ui.triage_messages(view("seen", status=BreachStatus.ASSESSED, assessment=decided))
    valid_blocks(blocks)
    assert not any(b["type"] == "actions" for b in blocks)
    assert "CPS file" in str(blocks) and "target 09/12/2026" in str(blocks)


def test_a_possible_report_offers_at_most_a_hundred_candidates() -> None:
    candidates = tuple((f"LOM-{n:04d}", f"LOM-{n:04d} Name {n} (Leeds)") for n in range(1, 140))
    [blocks] = ui.triage_messages(
        view("Kelly seen", status=BreachStatus.POSSIBLE, subject=None, candidates=candidates)
    )
    valid_blocks(blocks)
    [picker] = [b["accessory"] for b in blocks if "accessory" in b]
    assert len(picker["options"]) == 100


def test_the_capture_middleware_answers_503_and_stops_when_the_database_is_down(
    demo: Runtime, tmp_path: Path
) -> None:
    capture = capture_middleware(demo)
    body = {
        "type": "event_callback",
        "event_id": "EvX",
        "event": {
            "type": "message",
            "channel": "C0LEEDS",
            "user": "U0LEEDS",
            "ts": "1764064800.000100",
            "text": "Seen Shaun Madeup driving a hire van",
        },
    }
    called: list[bool] = []

    def next_() -> BoltResponse:
        called.append(True)
        return BoltResponse(status=200)

    working = demo.sessions
    demo.sessions = sessionmaker(sa.create_engine(f"sqlite:///{tmp_path}/no/such.sqlite3"))
    try:
        answer = capture(body, BoltContext(), next_)
    finally:
        demo.sessions = working
    assert answer is not None and answer.status == 503 and called == []
    capture(body, BoltContext(), next_)  # the retry
    assert called == [True] and body["event"][CAPTURED] is True
    with demo.uow() as uow:
        assert (
            uow.session.scalar(
                select(func.count(BreachReport.id)).where(
                    BreachReport.message_ts == "1764064800.000100"
                )
            )
            == 1
        )


def test_the_capture_middleware_lets_everything_else_through_untouched(demo: Runtime) -> None:
    capture = capture_middleware(demo)
    bodies = [
        {
            "type": "event_callback",
            "event": {
                "type": "message",
                "channel": "C0LOMTEAM",
                "user": "U0OFF1",
                "ts": "1.1",
                "text": "LOM-0003 seen",
            },
        },
        {"type": "event_callback", "event": {"type": "app_home_opened", "user": "U0OFF1"}},
        {"type": "block_actions", "actions": []},
    ]
    for body in bodies:
        assert capture(body, BoltContext(), lambda: BoltResponse(status=200)).status == 200
    assert say(demo, "Anyone about?") is None


def test_bots_are_ignored_unless_accepted(demo: Runtime) -> None:
    assert from_bot(demo, {"bot_id": "B1", "subtype": "bot_message"})
    assert from_bot(demo, {"user": "U0X", "bot_id": "B2"})
    assert not from_bot(demo, {"user": "U0LEEDS"})
    accepting = demo.config.model_copy(
        update={"accept_bot_messages_from": ["B1"], "bot_user_ids": ["U0BOTTY"]}
    )
    other = Runtime(demo.settings, accepting, demo.engine, demo.sessions, demo.clock)
    assert not from_bot(other, {"bot_id": "B1", "subtype": "bot_message"})
    assert from_bot(other, {"user": "U0BOTTY"})
