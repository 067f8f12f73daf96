"""Large data in the insight and transfer messages: every page is valid Block Kit, at most 50
blocks, and nothing is cut (no section clipped with an ellipsis, no officer or line dropped)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from lom_bot.blocks.capacity import SLIP_SHOWN, capacity_messages
from lom_bot.blocks.sentencing import sentencing_messages
from lom_bot.blocks.transfer import pack_offer_blocks
from lom_bot.domain.enums import RiskLevel
from lom_bot.services.capacity import CapacityWeek, OfficerLoad
from lom_bot.services.due import DueLine, LineKind, Officer, State
from lom_bot.services.sentencing import SentencedCase, SentencingReport
from tests.test_breach_support import db_url, seeded_template, valid_blocks  # noqa: F401
from tests.test_breach_support import demo as demo

DAY = date(2026, 11, 25)


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [str((b.get("text") or {}).get("text") or "") for b in blocks]


def _uncut(messages: list[tuple[str, list[dict[str, Any]]]]) -> str:
    for _, blocks in messages:
        valid_blocks(blocks)
        assert not any(t.endswith("…") for t in _texts(blocks)), "a section was clipped"
    return json.dumps([b for _, b in messages])


def test_a_large_teams_capacity_is_paged_with_every_officer_and_no_list_cut() -> None:
    loads = [
        OfficerLoad(
            Officer(n, f"DC Officer Number {n:02d} Longer-Surname", f"U{n:04d}"),
            5,
            [
                DueLine(
                    LineKind.HOME_VISIT,
                    State.OVERDUE,
                    DAY - timedelta(days=k),
                    "home visit",
                    f"LOM-{n * 100 + k:04d}",
                    "Name",
                    RiskLevel.VERY_HIGH,
                )
                for k in range(30)
            ],
        )
        for n in range(60)
    ]
    messages = capacity_messages(CapacityWeek(DAY, DAY + timedelta(days=6), loads, []))
    shown = _uncut(messages)
    assert len(messages) > 1
    assert all(f"DC Officer Number {n:02d}" in shown for n in range(60))
    assert shown.count("(very high risk): home visit") == SLIP_SHOWN
    assert "more, of lower risk" in shown


def test_two_hundred_sentences_at_sixty_courts_are_paged_and_every_case_listed() -> None:
    cases = [
        SentencedCase(
            f"BR-{n:05d}",
            f"LOM-{n:04d}",
            "association",
            f"Court number {n % 60} of the realm",
            DAY - timedelta(days=n),
            None,
            "s.25",
            "guilty",
            "custody",
            6 + n % 20,
            None,
            None,
            n % 3 == 0,
        )
        for n in range(200)
    ]
    messages = sentencing_messages(SentencingReport(DAY - timedelta(days=400), DAY, cases))
    shown = _uncut(messages)
    assert all(f"BR-{n:05d}" in shown for n in range(200))
    assert all(f"Court number {n} of the realm" in shown for n in range(60))


def test_a_dry_run_with_an_overlong_line_is_split_not_clipped() -> None:
    withheld = ", ".join(f"INT-{n:05d}" for n in range(700))
    text = f"Transfer pack for LOM-0001\n• Withheld (ask them): {withheld}.\nOpen: the officer."
    blocks = pack_offer_blocks(text, "F0PACK", None, ["Bolton", "Manchester"])
    shown = _uncut([("dry run", blocks)])
    assert all(f"INT-{n:05d}" in shown for n in range(700)) and "Open: the officer." in shown


def test_lom_stats_capacity_answers_every_page(
    monkeypatch: Any, demo: Any, supervisor: Any
) -> None:
    from lom_bot.handlers.commands import sentencing as command
    from lom_bot.handlers.commands_listener import dispatch
    from tests.test_handlers_dispatch import context

    pages = [
        (f"page {n}", [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}])
        for n in range(3)
    ]
    monkeypatch.setattr(command, "capacity_messages", lambda week: pages)
    reply = dispatch(context(demo, supervisor), "stats capacity")
    assert [reply.text, *(more.text for more in reply.more)] == ["page 0", "page 1", "page 2"]
